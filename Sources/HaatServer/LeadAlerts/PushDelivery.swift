import AsyncHTTPClient
import Foundation
import HaatStore
import Logging
import ServiceLifecycle
import WebPush

/// Sends each new lead to every push subscription of its creator (API.md "Lead alerts with
/// the dashboard closed"), from the store's queue (`LeadAlertStore`): woken when this
/// instance makes a lead, and every `pollInterval` for the rest (leads other instances
/// made, retries falling due, work an instance that stopped left claimed). A reveal never
/// waits for it, and one subscription's failures never hold back another's: each claimed
/// subscription is sent its leads in a task of its own.
final class PushDelivery: Service, Sendable {
    let store: any HaatStore
    let settings: PushSettings
    let logger: Logger
    /// Now; tests move it.
    let now: @Sendable () -> Date
    /// Which subscriptions to look at: a creator's when this instance made a lead for it,
    /// those due a retry every `pollInterval`, everyone's every `sweepInterval`.
    private let wakeups: AsyncStream<PushDeliveryScope>
    private let wakeup: AsyncStream<PushDeliveryScope>.Continuation

    /// Subscriptions claimed per look at the queue, leads sent to each per claim, and how
    /// long a claim lasts before another instance (or this one, restarted) may take the
    /// work over. A claim stops sending at half its lease, so it never outlives it.
    static let batch = 64, leadsEach = 20, concurrentWakeups = 32
    static let lease: TimeInterval = 60

    init(store: any HaatStore, settings: PushSettings, logger: Logger, now: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.settings = settings
        self.logger = logger
        self.now = now
        // Beyond this many waiting wake-ups, the oldest go: the poll finds their leads.
        (wakeups, wakeup) = AsyncStream.makeStream(of: PushDeliveryScope.self, bufferingPolicy: .bufferingNewest(1024))
    }

    /// A lead of `ownerEmail` was made here: look at that creator's subscriptions now,
    /// rather than at the next sweep.
    func wake(for ownerEmail: String) { wakeup.yield(.owner(ownerEmail)) }

    func run() async throws {
        // Its own client: redirects off, so that a push service cannot send the request on
        // to an address the endpoint policy would have refused.
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        let sender = PushSender(key: settings.key, policy: settings.policy, client: client,
                                timeout: settings.requestTimeout)
        // Retries are looked for often, since finding them is cheap; the sweep of every
        // subscription's leads costs a read per subscription, so it comes seldom (and first
        // thing: what the last run left).
        let ticks = Task { [wakeup, poll = settings.pollInterval, sweep = settings.sweepInterval] in
            let clock = ContinuousClock()
            var nextSweep = clock.now + sweep
            while !Task.isCancelled {
                try? await Task.sleep(for: poll)
                if clock.now >= nextSweep {
                    nextSweep = clock.now + sweep
                    wakeup.yield(.all)
                } else {
                    wakeup.yield(.retries)
                }
            }
        }
        // Each wake-up in a task of its own, a bounded number at once: a slow push service
        // delays only the leads going to it.
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.deliverDue(with: sender, in: .all) }
            var running = 1
            for await scope in wakeups.cancelOnGracefulShutdown() {
                if running >= Self.concurrentWakeups {
                    await group.next()
                    running -= 1
                }
                group.addTask { await self.deliverDue(with: sender, in: scope) }
                running += 1
            }
        }
        ticks.cancel()
        try await client.shutdown()
    }

    /// Claims and delivers until nothing within `scope` is due.
    func deliverDue(with sender: PushSender, in scope: PushDeliveryScope) async {
        while !Task.isCancelled {
            let due: [PushDue]
            do {
                due = try await store.claimPushDeliveries(now: now(), lease: Self.lease, limit: Self.batch, leadsEach: Self.leadsEach,
                                                          scope: scope)
            } catch {
                logger.error("push: the queue could not be read: \(error)")
                return
            }
            if due.isEmpty { return }
            await withTaskGroup(of: Void.self) { group in
                for item in due { group.addTask { await self.deliver(item, with: sender) } }
            }
        }
    }

    /// Sends a subscription its leads in order, and records how far it got.
    func deliver(_ due: PushDue, with sender: PushSender) async {
        let subscription = due.subscription
        guard let p256dh = Base64URL.decode(subscription.p256dh), let auth = Base64URL.decode(subscription.auth) else {
            return await finish(subscription.id, .gone)  // keys no browser could have sent: nothing will ever reach it
        }
        let target = PushSender.Subscription(endpoint: subscription.endpoint, p256dh: p256dh, auth: auth)
        var through: Int?
        let started = now()
        for lead in due.leads {
            if now().timeIntervalSince(started) > Self.lease / 2 { break }
            let outcome: PushSender.Outcome
            do { outcome = await sender.send(try LeadMessage(lead).pushBody(), to: target) } catch {
                outcome = .refused("the lead could not be written: \(error)")
            }
            switch outcome {
            case .delivered:
                through = lead.seq
            case .refused(let why):
                // The same would happen again: this lead is given up, the next ones go.
                logger.warning("push: lead \(lead.seq) not sent to subscription \(subscription.id): \(why)")
                through = lead.seq
            case .gone:
                return await finish(subscription.id, .gone)
            case .retry(let after):
                let time = now()
                if time.timeIntervalSince(lead.createdAt) >= settings.retryFor {
                    logger.warning("push: lead \(lead.seq) given up for subscription \(subscription.id) after \(Int(settings.retryFor)) s of retries")
                    through = lead.seq
                    continue
                }
                let attempts = due.attempts + 1
                // The service's Retry-After if it gave one, else 2^n s; never sooner than a
                // second (no busy loop on "Retry-After: 0") nor later than the longest wait.
                let wait = min(max(after ?? pow(2, Double(attempts)), 1), settings.longestRetryWait)
                return await finish(subscription.id, .retry(through: through, retryAt: time.addingTimeInterval(wait), attempts: attempts,
                                                            failingSince: due.failingSince ?? time))
            }
        }
        await finish(subscription.id, .done(through: through ?? 0))
    }

    private func finish(_ id: String, _ report: PushDeliveryReport) async {
        do { try await store.finishPushDelivery(subscriptionID: id, report) } catch {
            // The claim lapses and the work is taken up again: a lead may go twice, never not at all.
            logger.error("push: the delivery of subscription \(id) could not be recorded: \(error)")
        }
    }
}

/// The lead hub, telling push delivery of each lead made here as it goes to the sockets.
struct PushWakingHub: NotificationHub {
    let inner: any NotificationHub
    let delivery: PushDelivery

    func publish(_ lead: Lead) {
        inner.publish(lead)
        delivery.wake(for: lead.ownerEmail)
    }

    func subscribe(ownerEmail: String, receive: @escaping @Sendable (HubEvent) -> Void) -> HubSubscription {
        inner.subscribe(ownerEmail: ownerEmail, receive: receive)
    }
}
