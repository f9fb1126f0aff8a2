import ArgumentParser
import Foundation
import Hummingbird
import WebPushFake

/// `haat-bench push`: one Web Push subscription per creator account on a running
/// `haat serve` (which must allow private endpoints: `HAAT_PUSH_ALLOW_PRIVATE=1`), a push
/// service faked in this process, and leads for random creators at a steady rate, in
/// rounds of two phases: with no subscriptions (the reveal's own latency), then with them
/// (removed again after). Rounds alternate the two, so that the machine's drift falls on
/// both alike. Prints the reveal's latency in each phase, reveal → push arrival, the
/// pushes a second delivered, and each round's p99 ratio with their median; then a lead
/// for every creator at once, for the pushes a second the server sustains.
struct BenchPush: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "push", abstract: "Load Web Push delivery (used by make bench-push).")

    @Option(help: "The server's base URL.")
    var url: String = "http://127.0.0.1:8080"
    @Option(help: "How many creators (accounts creator-N@example.com own profiles creator-N), one subscription each.")
    var creators: Int = 5000
    @Option(help: "Leads made per second.")
    var rate: Int = 100
    @Option(help: "How long leads are made in each phase, in seconds.")
    var seconds: Int = 20
    @Option(help: "Rounds of the two phases.")
    var rounds: Int = 3
    @Option(help: "An admin account (made with haat admin create-user) that confirms each creator as its profile's owner.")
    var adminEmail: String
    @Option(help: "That admin's password.")
    var adminPassword: String

    func run() async throws {
        let api = BenchAPI(base: url + "/api/v1")
        print("setting up \(creators) creator accounts…")
        let tokens = try await api.creators(creators, adminEmail: adminEmail, adminPassword: adminPassword)
        let customers = try await api.customers(max(1, 2 * rounds * rate * seconds / 500 + 2), named: "push-customer")
        let pairs = PairPicker(creators: creators, customers: customers.count)

        // One browser's keys for every subscription: each message is still encrypted and
        // signed for its own endpoint, which is what the server pays for.
        let browser = FakeBrowser()
        let arrivals = Arrivals()
        let service = FakePushService { message in
            let id = (try? browser.decrypt(message.body)).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
                .flatMap { ($0["lead"] as? [String: Any])?["contact_id"] as? String }
            if let id { arrivals.arrived(id) }
        }
        try await service.whileListening { base in
            var ratios: [Double] = []
            var withoutP99: [Double] = [], withP99: [Double] = [], arrivalP99: [Double] = []
            for round in 1...rounds {
                print("round \(round), phase 1: \(rate) leads/s for \(seconds) s, no push subscriptions")
                let alone = try await load(api, customers: customers, pairs: pairs)
                report("without push", alone.latencies)

                let subscriptions = try await subscribe(base, api, browser, tokens)
                print("round \(round), phase 2: \(rate) leads/s for \(seconds) s, each pushed to its creator's device")
                let started = ContinuousClock.now, before = arrivals.count
                let pushed = try await load(api, customers: customers, pairs: pairs)
                try await Task.sleep(for: .seconds(5))  // the last pushes
                report("with push", pushed.latencies)
                let toPush = pushed.sent.compactMap { id, sent in arrivals.time(of: id).map { $0 - sent } }.sorted()
                print(String(format: "BENCH push: %d of %d leads pushed; reveal request → push received p50 %.1f ms, p99 %.1f ms",
                             toPush.count, pushed.sent.count, milliseconds(toPush, 0.5), milliseconds(toPush, 0.99)))
                if let last = arrivals.last {
                    let span = last - started
                    print(String(format: "BENCH push: %.0f pushes a second delivered over the phase (%d in %.1f s)",
                                 Double(arrivals.count - before) / inSeconds(span), arrivals.count - before, inSeconds(span)))
                }
                let ratio = milliseconds(pushed.latencies, 0.99) / milliseconds(alone.latencies, 0.99)
                print(String(format: "BENCH round %d: reveal p99 with push / without: %.2f", round, ratio))
                ratios.append(ratio)
                withoutP99.append(milliseconds(alone.latencies, 0.99))
                withP99.append(milliseconds(pushed.latencies, 0.99))
                arrivalP99.append(milliseconds(toPush, 0.99))

                print("removing the subscriptions…")
                _ = try await concurrentMap(0..<creators, width: 16) { index in
                    try await api.delete("/creator/push/subscriptions/\(subscriptions[index])", token: tokens[index])
                }
            }
            // What the server sustains: a lead for every creator's device, the reveals 64 at a
            // time as fast as they are answered, timed to the last push's arrival.
            _ = try await subscribe(base, api, browser, tokens)
            print("burst: \(creators) leads as fast as the server takes them")
            let before = arrivals.count, started = ContinuousClock.now
            _ = try await concurrentMap(0..<creators, width: 64) { _ in
                let (creator, customer) = pairs.next()
                return try await api.reveal(slug: "creator-\(creator)", token: customers[customer]) != nil
            }
            let revealed = ContinuousClock.now - started
            for _ in 0..<600 where arrivals.count - before < creators { try await Task.sleep(for: .milliseconds(100)) }
            if let last = arrivals.last {
                // When the last push comes just after the last reveal, push kept pace with the
                // reveals, and what it sustains is at least their rate.
                print(String(format: "BENCH burst: %d leads revealed in %.1f s; %d pushed by %.1f s (the last %.0f ms after the last reveal): "
                             + "%.0f pushes a second sustained", creators, inSeconds(revealed), arrivals.count - before,
                             inSeconds(last - started), inSeconds(last - started - revealed) * 1000,
                             Double(arrivals.count - before) / inSeconds(last - started)))
            }
            print(String(format: "BENCH medians of %d rounds: reveal p99 %.1f ms without push, %.1f ms with; push received p99 %.1f ms",
                         rounds, median(withoutP99), median(withP99), median(arrivalP99)))
            let each = ratios.map { String(format: "%.2f", $0) }.joined(separator: ", ")
            print(String(format: "BENCH reveal p99 with push / without, median of %d rounds: %.2f", rounds, median(ratios))
                  + " (each: \(each); target ≤ 1.10)")
        }
    }

    /// One subscription per creator on the push service at `base`; their ids.
    func subscribe(_ base: String, _ api: BenchAPI, _ browser: FakeBrowser, _ tokens: [String]) async throws -> [String] {
        print("subscribing \(creators) creators to the push service at \(base)…")
        return try await concurrentMap(0..<creators, width: 16) { index -> String in
            let (status, json) = try await api.post("/creator/push/subscriptions",
                                                    browser.subscription(endpoint: "\(base)/push/creator-\(index)"), token: tokens[index])
            guard status == 201, let id = json["subscription_id"] as? String else {
                throw ValidationError("could not subscribe creator-\(index): HTTP \(status) (is HAAT_PUSH_ALLOW_PRIVATE=1 set?)")
            }
            return id
        }
    }

    func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// Leads at the rate for the phase's seconds; each reveal's latency and when it was sent, by contact id.
    func load(_ api: BenchAPI, customers: [String], pairs: PairPicker) async throws -> (latencies: [Duration], sent: [String: ContinuousClock.Instant]) {
        let reveals = try await revealAtSteadyRate(api, customers: customers, pairs: pairs, rate: rate, seconds: seconds)
        return (reveals.map(\.latency).sorted(), Dictionary(reveals.map { ($0.contactID, $0.sent) }, uniquingKeysWith: { first, _ in first }))
    }

    func report(_ phase: String, _ latencies: [Duration]) {
        print("BENCH reveal \(phase): " + String(format: "%d leads, p50 %.1f ms, p99 %.1f ms", latencies.count,
                                                       milliseconds(latencies, 0.5), milliseconds(latencies, 0.99)))
    }

    func inSeconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// When each lead's push arrived (the first, if several).
    final class Arrivals: @unchecked Sendable {
        private let lock = NSLock()
        private var times: [String: ContinuousClock.Instant] = [:]
        private(set) var last: ContinuousClock.Instant?
        func arrived(_ id: String) {
            lock.withLock {
                let now = ContinuousClock.now
                if times[id] == nil { times[id] = now }
                last = now
            }
        }
        func time(of id: String) -> ContinuousClock.Instant? { lock.withLock { times[id] } }
        var count: Int { lock.withLock { times.count } }
    }
}
