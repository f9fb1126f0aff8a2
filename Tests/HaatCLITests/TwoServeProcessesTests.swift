import Foundation
import StoreFixtures
import Testing

/// Scale-out as it runs: two real `haat serve` processes on one PostgreSQL database (a
/// scratch database on make test's cluster), sharing the JWT secret and the media folder.
/// Tokens and tickets from one work on the other; quota stays exact; leads cross over.
struct TwoServeProcessesTests {
    static let creators = 40

    /// A workspace with `creators` approved creators (owned by maker@example.com, an account
    /// the operator made) in a fresh
    /// database, and two servers on it. `body` gets both; they stop when it ends.
    static func withTwoServers(freeContacts: Int, _ body: (ServeProcess, ServeProcess) async throws -> Void) async throws {
        var files = CommandLineTests.config
        for index in 0..<creators {
            files["content/creators/cake-\(index)/index.md"] = CommandLineTests.creator("Cake \(index)")
                .replacingOccurrences(of: "account: a@example.com", with: "account: maker@example.com")
        }
        let folder = try CommandLineTests.workspace(files)
        defer { try? FileManager.default.removeItem(at: folder) }
        let scratch = try await ScratchDatabase.make()
        let environment = ServeProcess.environment().merging([
            "HAAT_MEDIA": folder.appendingPathComponent("media").path,
            "HAAT_FREE_CONTACTS": String(freeContacts),
            // Limits are per instance; these tests are about the store, not the limits.
            "HAAT_RATE_LIMIT_SCALE": "100",
        ]) { _, specific in specific }
        let approved = try CommandLineTests.haat(["approve", "--all", "--db", scratch.url], in: folder, environment: environment)
        #expect(approved.status == 0, "\(approved.errors)")
        // The operator makes the creators' account, so it owns their profiles at once.
        let maker = try CommandLineTests.haat(["admin", "create-user", "--db", scratch.url, "--email", "maker@example.com",
                                               "--password", "correct horse battery", "--name", "Maker", "--role", "creator"],
                                              in: folder, environment: environment)
        #expect(maker.status == 0, "\(maker.errors)")
        let first = try await ServeProcess.start("a", in: folder, database: scratch.url, environment: environment)
        let second: ServeProcess
        do {
            second = try await ServeProcess.start("b", in: folder, database: scratch.url, environment: environment)
        } catch {
            await first.stop()
            throw error
        }
        do {
            try await body(first, second)
        } catch {
            await first.stop()
            await second.stop()
            throw error
        }
        await first.stop()
        await second.stop()
        try await scratch.drop()
    }

    @Test func aLeadRevealedOnOneInstanceReachesTheSocketOnTheOtherWithinASecond() async throws {
        try await Self.withTwoServers(freeContacts: 2) { a, b in
            let maker = try await a.api.login("maker@example.com")
            let customer = try await b.api.register("asha@example.com")
            let ticket = try await a.api.ticket(maker)  // issued by A, used on B
            let opened = AsyncStream<Void>.makeStream()
            async let leads = LeadSocket.collect(base: b.api.base, ticket: ticket, onOpen: { opened.continuation.yield() }) { $0.count == 1 }
            var iterator = opened.stream.makeAsyncIterator()
            _ = await iterator.next()
            let reveal = try await a.api.send(.POST, "creators/cake-7/contact", json: ["message": "A cake for Sunday"], token: customer)
            #expect(reveal.status == 200)
            // From the reveal's answer (the lead is committed by then) to the socket on B.
            let answered = ContinuousClock.now
            let received = try await leads
            let elapsed = ContinuousClock.now - answered
            #expect(received.map(\.contactID) == [reveal.json["contact_id"] as? String].compactMap { $0 })
            #expect(elapsed < .seconds(1), "the lead took \(elapsed)")
        }
    }

    @Test func fortyConcurrentFirstContactsSplitAcrossInstancesUseExactlyTheFreeLimit() async throws {
        try await Self.withTwoServers(freeContacts: 2) { a, b in
            let customer = try await a.api.register("asha@example.com")
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<Self.creators {
                    let server = index.isMultiple(of: 2) ? a : b
                    group.addTask { try await server.api.send(.POST, "creators/cake-\(index)/contact", token: customer).status }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 200 }.count == 2, "\(statuses.sorted())")
            #expect(statuses.filter { $0 == 402 }.count == Self.creators - 2, "\(statuses.sorted())")
            for server in [a, b] {
                let me = try await server.api.send(.GET, "me", token: customer)
                #expect((me.json["quota"] as? [String: Any])?["free_used"] as? Int == 2)
                let contacts = try await server.api.send(.GET, "contacts?limit=100", token: customer)
                #expect((contacts.json["items"] as? [[String: Any]])?.count == 2)
            }
        }
    }

    /// Customers reveal through both instances; instance A is killed with SIGKILL while
    /// its requests are in flight. Every reveal that was answered 200 has its lead, the
    /// creator's replay on B holds exactly the contacts made (seq 1…n, no gap), and B
    /// goes on serving.
    @Test func anInstanceKilledMidLoadLosesNoCommittedLead() async throws {
        try await Self.withTwoServers(freeContacts: 1000) { a, b in
            let maker = try await b.api.login("maker@example.com")
            var customers: [String] = []
            for index in 0..<6 { customers.append(try await b.api.register("customer-\(index)@example.com")) }
            let answered = Counter(), killed = Flag()
            let outcomes = try await withThrowingTaskGroup(of: [Outcome].self) { group in
                for customer in customers {
                    group.addTask {
                        var outcomes: [Outcome] = []
                        for index in 0..<Self.creators {
                            let throughA = index.isMultiple(of: 2)
                            // Once A is gone, a load balancer sends nothing more its way.
                            if throughA && killed.value {
                                outcomes.append(Outcome(throughA: true, status: nil, contactID: nil))
                                continue
                            }
                            let server = throughA ? a : b
                            do {
                                let reply = try await server.api.send(.POST, "creators/cake-\(index)/contact", token: customer, timeout: .seconds(5))
                                outcomes.append(Outcome(throughA: throughA, status: reply.status, contactID: reply.json["contact_id"] as? String))
                            } catch {
                                outcomes.append(Outcome(throughA: throughA, status: nil, contactID: nil))
                            }
                            answered.add()
                        }
                        return outcomes
                    }
                }
                group.addTask {
                    while answered.value < 60 { try await Task.sleep(for: .milliseconds(5)) }
                    await a.kill()
                    killed.set()
                    return []
                }
                return try await group.reduce(into: [Outcome]()) { $0 += $1 }
            }
            let fromA = outcomes.filter(\.throughA)
            #expect(fromA.contains { $0.status == 200 } && fromA.contains { $0.status == nil }, "A was killed mid-load")
            #expect(outcomes.filter { !$0.throughA }.allSatisfy { $0.status == 200 }, "B kept serving")
            let committed = Set(outcomes.compactMap(\.contactID))

            // What the store holds: every customer's contacts, read through B.
            var contacts = Set<String>()
            for customer in customers {
                let page = try await b.api.send(.GET, "contacts?limit=100", token: customer)
                for item in page.json["items"] as? [[String: Any]] ?? [] { if let id = item["contact_id"] as? String { contacts.insert(id) } }
            }
            #expect(committed.isSubset(of: contacts), "every reveal answered 200 was kept")
            let expected = contacts.count
            let replay = try await LeadSocket.collect(base: b.api.base, ticket: try await b.api.ticket(maker)) { $0.count >= expected }
            #expect(replay.map(\.seq) == Array(1...max(1, contacts.count)), "seq 1…n in order, no gap")
            #expect(Set(replay.map(\.contactID)) == contacts, "a lead for every contact, none without one")
            #expect(try await b.api.send(.POST, "creators/cake-1/contact", token: try await b.api.register("late@example.com")).status == 200)
        }
    }

    struct Outcome: Sendable {
        let throughA: Bool
        /// nil when no answer came (the instance was killed).
        let status: Int?
        let contactID: String?
    }

    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var isSet = false
        var value: Bool { lock.withLock { isSet } }
        func set() { lock.withLock { isSet = true } }
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        var value: Int { lock.withLock { count } }
        func add() { lock.withLock { count += 1 } }
    }
}
