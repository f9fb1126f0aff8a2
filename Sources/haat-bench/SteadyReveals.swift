import Foundation

/// Creator and customer pairs never used before: each reveal a first contact, a new lead.
final class PairPicker: @unchecked Sendable {
    private let lock = NSLock()
    private var used = Set<Int>()
    let creators: Int, customers: Int

    init(creators: Int, customers: Int) { (self.creators, self.customers) = (creators, customers) }

    func next() -> (creator: Int, customer: Int) {
        lock.withLock {
            var pair = 0
            repeat { pair = Int.random(in: 0..<(creators * customers)) } while !used.insert(pair).inserted
            return (pair % creators, pair / creators)
        }
    }
}

/// One reveal of a steady load: its contact id, when it was asked and when answered.
struct TimedReveal: Sendable {
    let contactID: String
    let sent: ContinuousClock.Instant
    let answered: ContinuousClock.Instant
    var latency: Duration { answered - sent }
}

/// `rate` reveals a second for `seconds`, each a new lead of creator-N for a customer
/// (`pairs`), started on time whatever the answers' pace; the reveals answered.
func revealAtSteadyRate(_ api: BenchAPI, customers: [String], pairs: PairPicker, rate: Int, seconds: Int) async throws -> [TimedReveal] {
    let interval = Duration.seconds(1) / rate
    var next = ContinuousClock.now
    return try await withThrowingTaskGroup(of: TimedReveal?.self) { reveals in
        for _ in 0..<(rate * seconds) {
            next += interval
            try await Task.sleep(until: next)
            let (creator, customer) = pairs.next()
            reveals.addTask {
                let sent = ContinuousClock.now
                return try? await api.reveal(slug: "creator-\(creator)", token: customers[customer])
                    .map { TimedReveal(contactID: $0, sent: sent, answered: .now) }
            }
        }
        return try await reveals.reduce(into: []) { if let reveal = $1 { $0.append(reveal) } }
    }
}
