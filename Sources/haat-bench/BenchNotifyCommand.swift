import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HummingbirdWSClient
import Logging

/// `haat bench notify`: opens one lead socket per creator account against a running
/// `haat serve`, makes leads for random creators at a steady rate, and prints delivery
/// latency (reveal response → socket receipt) and the server's memory per open socket.
/// The server must run with high rate limits and free contacts (scripts/bench-notify.sh).
struct BenchNotify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "notify", abstract: "Load the lead WebSocket (used by make bench).")

    @Option(help: "The server's base URL.")
    var url: String = "http://127.0.0.1:8080"
    @Option(help: "How many creator sockets (accounts creator-N@example.com own profiles creator-N).")
    var sockets: Int = 5000
    @Option(help: "Leads made per second.")
    var rate: Int = 100
    @Option(help: "How long leads are made, in seconds.")
    var seconds: Int = 20
    @Option(help: "The server's process id, to read its memory (Linux /proc).")
    var serverPid: Int?
    @Option(help: "Where customers reveal, when another instance than the sockets' (the scale-out benchmark).")
    var revealUrl: String?
    @Option(help: "An admin account (made with haat admin create-user) that confirms each creator as its profile's owner.")
    var adminEmail: String
    @Option(help: "That admin's password.")
    var adminPassword: String

    func run() async throws {
        let api = BenchAPI(base: url + "/api/v1")
        let revealAPI = BenchAPI(base: (revealUrl ?? url) + "/api/v1")
        print("setting up \(sockets) creator accounts…")
        let creators = try await api.creators(sockets, adminEmail: adminEmail, adminPassword: adminPassword)
        let customers = try await api.customers(max(1, rate * seconds / 500 + 1), named: "notify-customer")
        let tickets = try await concurrentMap(0..<sockets, width: 16) { index in try await api.ticket(token: creators[index]) }

        let before: Resident? = if let serverPid { await Resident.settled(pid: serverPid) } else { nil }
        let receipts = Receipts()
        let opened = AsyncStream<Void>.makeStream()
        let wsBase = url.replacingOccurrences(of: "http://", with: "ws://") + "/api/v1/creator/notifications?ticket="
        let logger = { var logger = Logger(label: "bench-notify"); logger.logLevel = .critical; return logger }()
        try await withThrowingTaskGroup(of: Void.self) { group in
            var iterator = opened.stream.makeAsyncIterator()
            // At most 64 handshakes in flight: the server's accept backlog is not the test.
            for (index, ticket) in tickets.enumerated() {
                if index >= 64 { _ = await iterator.next() }
                group.addTask {
                    _ = try? await WebSocketClient.connect(url: wsBase + ticket, logger: logger) { inbound, outbound, _ in
                        opened.continuation.yield()
                        for try await message in inbound.messages(maxSize: 1 << 16) {
                            guard case .text(let text) = message, let lead = LeadMessage(text) else { continue }
                            receipts.received(lead.contactID, at: .now)
                            try await outbound.writeTextMessage(#"{"type":"ack","seq":\#(lead.seq)}"#)
                        }
                    }
                }
            }
            for _ in 0..<min(64, tickets.count) { _ = await iterator.next() }
            print("\(sockets) sockets open")
            // The creators' unacknowledged leads (from earlier load) are replayed on connect:
            // measure live delivery once that has passed, not behind it.
            let quiet = ContinuousClock.now + .seconds(30)
            while let last = receipts.lastArrival, ContinuousClock.now - last < .seconds(1), ContinuousClock.now < quiet {
                try await Task.sleep(for: .milliseconds(200))
            }
            if receipts.count > 0 { print("BENCH (\(receipts.count) leads made earlier were replayed on connect first)") }
            // Idle: what the open sockets cost once the burst of handshakes has settled.
            let handshaken = serverPid.flatMap(Resident.init(pid:))
            let after: Resident? = if let serverPid { await Resident.settled(pid: serverPid) } else { nil }
            if let before, let handshaken, let after {
                func perSocket(_ bytes: Int) -> Double { Double(bytes) / Double(sockets) / 1024 }
                print(String(format: "BENCH server memory per idle socket: %.1f KB (anonymous resident: %d MB with the sockets, %d MB before; %.1f KB a socket just after the handshakes)",
                             perSocket(after.anonymous - before.anonymous), after.anonymous >> 20, before.anonymous >> 20,
                             perSocket(handshaken.anonymous - before.anonymous)))
                print(String(format: "BENCH   mapped database pages %+.1f KB a socket (file-backed: the kernel can drop and reread them)",
                             perSocket(after.file - before.file)))
            }

            // Leads at a steady rate, each a first contact (a new customer/creator pair).
            let reveals = try await revealAtSteadyRate(revealAPI, customers: customers, pairs: PairPicker(creators: sockets, customers: customers.count),
                                                       rate: rate, seconds: seconds)
            let responses = Dictionary(reveals.map { ($0.contactID, (sent: $0.sent, answered: $0.answered)) }, uniquingKeysWith: { first, _ in first })
            try await Task.sleep(for: .seconds(2))  // the last deliveries
            // From the reveal's request (the customer's click) and from its response: the
            // lead is published before the response is written, so the second is often 0.
            let fromRequest = responses.compactMap { id, times in receipts.time(of: id).map { $0 - times.sent } }.sorted()
            let fromResponse = responses.compactMap { id, times in receipts.time(of: id).map { max(.zero, $0 - times.answered) } }.sorted()
            print(String(format: "BENCH %d leads at %d/s to %d open sockets, not delivered %d", responses.count, rate, sockets,
                         responses.count - fromRequest.count))
            print(String(format: "BENCH   reveal request → socket: p50 %.2f ms, p99 %.2f ms", milliseconds(fromRequest, 0.5), milliseconds(fromRequest, 0.99)))
            print(String(format: "BENCH   reveal response → socket: p50 %.2f ms, p99 %.2f ms", milliseconds(fromResponse, 0.5), milliseconds(fromResponse, 0.99)))
            group.cancelAll()
        }
    }

    /// What process `pid` holds in memory, in bytes (Linux): anonymous (its heap and
    /// stacks: what a socket costs) and file-backed (mapped pages of the database file,
    /// which the kernel can drop and reread; SQLite maps the file).
    struct Resident {
        let anonymous: Int
        let file: Int

        /// The reading once it stops falling (the handshakes' passing memory may still be
        /// handed back): at least 3 s, at most 15 s.
        static func settled(pid: Int) async -> Resident? {
            var last: Resident?
            for second in 1...15 {
                try? await Task.sleep(for: .seconds(1))
                guard let now = Resident(pid: pid) else { return nil }
                if second >= 3, let last, now.anonymous > last.anonymous - last.anonymous / 100 { return now }
                last = now
            }
            return last
        }

        init?(pid: Int) {
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
            func kilobytes(_ key: String) -> Int? {
                status.split(separator: "\n").first(where: { $0.hasPrefix(key) })
                    .flatMap { $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first }.flatMap { Int($0) }
            }
            guard let anonymous = kilobytes("RssAnon:"), let file = kilobytes("RssFile:") else { return nil }
            self.anonymous = anonymous * 1024
            self.file = file * 1024
        }
    }

    struct LeadMessage {
        let seq: Int
        let contactID: String

        init?(_ text: String) {
            guard let json = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], json["type"] as? String == "lead",
                  let seq = json["seq"] as? Int, let id = (json["lead"] as? [String: Any])?["contact_id"] as? String else { return nil }
            self.seq = seq
            contactID = id
        }
    }

    /// When each lead reached a socket (the first socket, if several).
    final class Receipts: @unchecked Sendable {
        private let lock = NSLock()
        private var times: [String: ContinuousClock.Instant] = [:]
        private var latest: ContinuousClock.Instant?
        func received(_ id: String, at time: ContinuousClock.Instant) {
            lock.withLock {
                if times[id] == nil { times[id] = time }
                latest = time
            }
        }
        func time(of id: String) -> ContinuousClock.Instant? { lock.withLock { times[id] } }
        var lastArrival: ContinuousClock.Instant? { lock.withLock { latest } }
        var count: Int { lock.withLock { times.count } }
    }
}

/// The few API calls the notify benchmark makes, over plain HTTP.
struct BenchAPI: Sendable {
    let base: String

    func post(_ path: String, _ body: [String: Any], token: String? = nil) async throws -> (Int, [String: Any]) {
        try await send("POST", path, body, token: token)
    }

    func delete(_ path: String, token: String) async throws -> Int {
        try await send("DELETE", path, nil, token: token).0
    }

    private func send(_ method: String, _ path: String, _ body: [String: Any]?, token: String?) async throws -> (Int, [String: Any]) {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let token { request.setValue("Bearer " + token, forHTTPHeaderField: "Authorization") }
        if let body { request.httpBody = try JSONSerialization.data(withJSONObject: body) }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:])
    }

    /// Registers the account (or signs in, if it exists) and returns its access token.
    func session(email: String, role: String) async throws -> String {
        let password = "a bench password"
        var (status, json) = try await post("/auth/register", ["email": email, "password": password, "name": "Bench", "role": role])
        if status == 409 { (status, json) = try await post("/auth/login", ["email": email, "password": password]) }
        guard let token = json["access_token"] as? String else { throw ValidationError("could not sign in \(email): HTTP \(status)") }
        return token
    }

    func login(email: String, password: String) async throws -> String {
        let (status, json) = try await post("/auth/login", ["email": email, "password": password])
        guard let token = json["access_token"] as? String else { throw ValidationError("could not sign in \(email): HTTP \(status)") }
        return token
    }

    /// The accounts creator-N@example.com (N below `count`), each confirmed by the admin as
    /// the owner of profile creator-N (signing up with a profile's email proves nothing);
    /// their access tokens.
    func creators(_ count: Int, adminEmail: String, adminPassword: String) async throws -> [String] {
        let tokens = try await concurrentMap(0..<count, width: 16) { index in
            try await session(email: "creator-\(index)@example.com", role: "creator")
        }
        let admin = try await login(email: adminEmail, password: adminPassword)
        _ = try await concurrentMap(0..<count, width: 16) { index in try await confirmOwner(slug: "creator-\(index)", adminToken: admin) }
        return tokens
    }

    /// `count` customer accounts `<name>-N@example.com`; their access tokens.
    func customers(_ count: Int, named name: String) async throws -> [String] {
        try await concurrentMap(0..<count, width: 8) { index in try await session(email: "\(name)-\(index)@example.com", role: "customer") }
    }

    func confirmOwner(slug: String, adminToken: String) async throws {
        let (status, _) = try await post("/admin/creators/\(slug)/confirm-owner", [:], token: adminToken)
        guard status == 200 else { throw ValidationError("could not confirm the owner of \(slug): HTTP \(status)") }
    }

    func ticket(token: String) async throws -> String {
        let (status, json) = try await post("/creator/notifications/ticket", [:], token: token)
        guard let ticket = json["ticket"] as? String else { throw ValidationError("no ticket: HTTP \(status)") }
        return ticket
    }

    /// A reveal's contact id, when it made a new lead.
    func reveal(slug: String, token: String) async throws -> String? {
        let (status, json) = try await post("/creators/\(slug)/contact", [:], token: token)
        return status == 200 && json["charged"] as? String != "repeat" ? json["contact_id"] as? String : nil
    }
}

/// The `p` quantile of durations sorted ascending, in milliseconds (NaN for none).
func milliseconds(_ sorted: [Duration], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let value = sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))].components
    return Double(value.seconds) * 1000 + Double(value.attoseconds) / 1e15
}

/// `transform` over `items`, at most `width` at a time, results in order.
func concurrentMap<T: Sendable>(_ items: Range<Int>, width: Int, _ transform: @escaping @Sendable (Int) async throws -> T) async throws -> [T] {
    try await withThrowingTaskGroup(of: (Int, T).self) { group in
        var results = [T?](repeating: nil, count: items.count)
        var next = items.lowerBound
        for _ in 0..<min(width, items.count) {
            let index = next
            group.addTask { (index, try await transform(index)) }
            next += 1
        }
        while let (index, value) = try await group.next() {
            results[index - items.lowerBound] = value
            if next < items.upperBound {
                let index = next
                group.addTask { (index, try await transform(index)) }
                next += 1
            }
        }
        return results.map { $0! }
    }
}
