import Foundation
import HaatStore

/// The hub of one `haat serve` process: subscribers in memory, per creator account.
/// A subscriber is a callback, not a stream with a task waiting on it, so an idle socket
/// costs the hub one dictionary entry.
public final class LocalNotificationHub: NotificationHub, @unchecked Sendable {
    private typealias Receiver = @Sendable (HubEvent) -> Void
    private let lock = NSLock()
    private var subscribers: [String: [Int: Receiver]] = [:]
    private var nextID = 0
    private var keepAliveTask: Task<Void, Never>?

    /// Subscribers are pinged in this many turns per keep-alive period, so that 5,000
    /// sockets do not all wake at the same moment.
    static let keepAliveTurns = 8

    /// `keepAlive`: how often every subscriber gets `.keepAlive` (nil: never).
    public init(keepAlive: Duration? = .seconds(25)) {
        guard let keepAlive else { return }
        let turns = Self.keepAliveTurns
        keepAliveTask = Task.detached { [weak self] in
            var turn = 0
            while !Task.isCancelled {
                try? await Task.sleep(for: keepAlive / turns)
                guard let self else { return }
                // Each subscriber's turn comes once a period: the one its id falls in.
                let due = self.lock.withLock {
                    self.subscribers.values.flatMap { $0.filter { id, _ in id % turns == turn }.map(\.value) }
                }
                for receive in due { receive(.keepAlive) }
                turn = (turn + 1) % turns
            }
        }
    }

    deinit {
        keepAliveTask?.cancel()
    }

    public func publish(_ lead: Lead) { deliver(.lead(lead), to: lead.ownerEmail) }

    /// Tells the subscribers of `ownerEmail` that lead `seq` exists (made elsewhere).
    public func announce(ownerEmail: String, seq: Int) { deliver(.announced(seq: seq), to: ownerEmail) }

    /// Calls every subscriber of `ownerEmail` back, outside the lock.
    private func deliver(_ event: HubEvent, to ownerEmail: String) {
        let receivers = lock.withLock { subscribers[ownerEmail].map { Array($0.values) } ?? [] }
        for receive in receivers { receive(event) }
    }

    public func subscribe(ownerEmail: String, receive: @escaping @Sendable (HubEvent) -> Void) -> HubSubscription {
        let id = lock.withLock {
            nextID += 1
            subscribers[ownerEmail, default: [:]][nextID] = receive
            return nextID
        }
        return HubSubscription { [weak self] in
            guard let self else { return }
            self.lock.withLock {
                self.subscribers[ownerEmail]?[id] = nil
                if self.subscribers[ownerEmail]?.isEmpty == true { self.subscribers[ownerEmail] = nil }
            }
        }
    }
}
