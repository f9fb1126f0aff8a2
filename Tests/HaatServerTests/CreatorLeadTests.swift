import Foundation
import HaatCore
@testable import HaatStore
import Hummingbird
import HummingbirdWSClient
import HummingbirdWSTesting
import NIOWebSocket
import StoreFixtures
import Testing
@testable import HaatServer

/// API.md "Creator side": the lead inbox, status changes, analytics, and the WebSocket of
/// live leads, over real HTTP and real WebSocket connections.
struct CreatorLeadTests {
    /// Two creator accounts, each owning one published profile, and customers to ask them.
    static func server(_ kind: StoreKind) async throws -> TestServer {
        let server = try await TestServer(kind) {
            $0.freeContacts = 50
            $0.notificationPingInterval = .seconds(1)
        }
        try await server.publishCreator("asha-cakes", account: "asha@example.com", number: 10001)
        try await server.publishCreator("ravi-frames", account: "ravi@example.com", number: 10002)
        return server
    }

    struct Session {
        let token: String
        let id: String
    }

    static func signUp(_ api: TestServer.Client, _ email: String, role: String? = nil) async throws -> Session {
        let session = try await api.register(email, role: role)
        return Session(token: try #require(session["access_token"] as? String),
                       id: try #require((session["user"] as? [String: Any])?["id"] as? String))
    }

    /// A customer's first contact of `slug`; returns the contact id.
    @discardableResult
    static func reveal(_ api: TestServer.Client, _ customer: Session, _ slug: String, service: String? = nil, message: String? = nil) async throws -> String {
        var body: [String: Any] = [:]
        if let service { body["service"] = service }
        if let message { body["message"] = message }
        body["callback_phone"] = "+91 50000 77777"
        let reply = try await api.send(.post, "creators/\(slug)/contact", json: body, token: customer.token)
        #expect(reply.status == .ok, "\(reply.text)")
        return try #require(reply.json["contact_id"] as? String)
    }

    static func ticket(_ api: TestServer.Client, _ creator: Session) async throws -> String {
        let reply = try await api.send(.post, "creator/notifications/ticket", token: creator.token)
        #expect(reply.status == .created && reply.json["expires_in"] as? Int == 60, "\(reply.text)")
        return try #require(reply.json["ticket"] as? String)
    }

    @Test(arguments: StoreKind.allCases) func theInboxShowsOnlyTheCreatorsOwnLeads(_ kind: StoreKind) async throws {
        let server = try await Self.server(kind)
        try await server.run { api in
            let asha = try await Self.signUp(api, "asha@example.com", role: "creator")
            let ravi = try await Self.signUp(api, "ravi@example.com", role: "creator")
            let customer = try await Self.signUp(api, "meera@example.com")
            let ashaLead = try await Self.reveal(api, customer, "asha-cakes", service: "Birthday cake", message: "For Sunday")
            let raviLead = try await Self.reveal(api, customer, "ravi-frames")
            _ = try await api.send(.post, "creators/asha-cakes/contact", token: customer.token)  // a repeat: no new lead

            let inbox = try await api.send(.get, "creator/leads", token: asha.token)
            #expect(inbox.status == .ok && inbox.json["next_cursor"] is NSNull)
            let items = try #require(inbox.json["items"] as? [[String: Any]])
            #expect(items.count == 1)
            let lead = try #require(items.first)
            #expect(lead["contact_id"] as? String == ashaLead && lead["creator_slug"] as? String == "asha-cakes")
            #expect((lead["customer"] as? [String: Any])?["name"] as? String == "Test meera")
            #expect(lead["service"] as? String == "Birthday cake" && lead["message"] as? String == "For Sunday")
            #expect(lead["callback_phone"] as? String == "+915000077777" && lead["status"] as? String == "new")
            #expect((lead["created_at"] as? String)?.hasSuffix("Z") == true)

            let changed = try await api.send(.patch, "creator/leads/\(ashaLead)", json: ["status": "responded"], token: asha.token)
            #expect(changed.status == .ok && changed.json["status"] as? String == "responded", "\(changed.text)")
            // Another creator's lead does not exist for Asha; nor does a made-up one.
            for id in [raviLead, "no-such-lead"] {
                let reply = try await api.send(.patch, "creator/leads/\(id)", json: ["status": "won"], token: asha.token)
                #expect(reply.status == .notFound && reply.errorCode == "not_found")
            }
            #expect(try await api.send(.patch, "creator/leads/\(ashaLead)", json: ["status": "maybe"], token: asha.token).status == .unprocessableContent)
            #expect(try await api.send(.patch, "creator/leads/\(ashaLead)", raw: "{", token: asha.token).status == .badRequest)
            let responded = try await api.send(.get, "creator/leads?status=responded", token: asha.token)
            #expect((responded.json["items"] as? [[String: Any]])?.count == 1)
            let fresh = try await api.send(.get, "creator/leads?status=new", token: asha.token)
            #expect((fresh.json["items"] as? [[String: Any]])?.isEmpty == true)
            #expect(try await api.send(.get, "creator/leads?status=bogus", token: asha.token).status == .unprocessableContent)
            let raviInbox = try await api.send(.get, "creator/leads", token: ravi.token)
            #expect((raviInbox.json["items"] as? [[String: Any]])?.map { $0["contact_id"] as? String } == [raviLead])

            // Customers and strangers have no inbox.
            for path in ["creator/leads", "creator/analytics"] {
                let customerReply = try await api.send(.get, path, token: customer.token)
                #expect(customerReply.status == .forbidden && customerReply.errorCode == "forbidden")
                #expect(try await api.send(.get, path).status == .unauthorized)
            }
            #expect(try await api.send(.post, "creator/notifications/ticket", token: customer.token).status == .forbidden)
            #expect(try await api.send(.delete, "creator/leads").status == .methodNotAllowed)
        }
        // The first move away from `new` is the response time; later moves keep it.
        let responded = try await server.database.integers("SELECT COUNT(*) FROM leads WHERE first_response_at IS NOT NULL").first
        #expect(responded == 1)
    }

    @Test(arguments: StoreKind.allCases) func theInboxPagesNewestFirst(_ kind: StoreKind) async throws {
        let server = try await Self.server(kind)
        try await server.run { api in
            let asha = try await Self.signUp(api, "asha@example.com", role: "creator")
            var made: [String] = []
            for index in 0..<5 {
                let customer = try await Self.signUp(api, "customer\(index)@example.com")
                made.append(try await Self.reveal(api, customer, "asha-cakes"))
            }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await api.send(.get, "creator/leads?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), token: asha.token)
                #expect(page.status == .ok)
                seen += (page.json["items"] as? [[String: Any]] ?? []).compactMap { $0["contact_id"] as? String }
                cursor = page.json["next_cursor"] as? String
            } while cursor != nil && seen.count < 10
            #expect(seen == made.reversed())
        }
    }

    @Test(arguments: StoreKind.allCases) func analyticsOnAKnownSetOfLeads(_ kind: StoreKind) async throws {
        let server = try await Self.server(kind)
        try await server.run { api in
            let asha = try await Self.signUp(api, "asha@example.com", role: "creator")
            var leads: [String] = []
            for (index, service) in ["Birthday cake", "Birthday cake", "Wedding cake", nil].enumerated() {
                let customer = try await Self.signUp(api, "c\(index)@example.com")
                leads.append(try await Self.reveal(api, customer, "asha-cakes", service: service))
            }
            // Known times: two leads today, one 3 days ago, one 40 days ago (outside 30).
            let now = Date()
            let times = [now, now, now.addingTimeInterval(-3 * 86400), now.addingTimeInterval(-40 * 86400)]
            let ids = leads
            for (lead, time) in zip(ids, times) {
                try await server.database.execute("UPDATE leads SET created_at = $1 WHERE contact_id = $2", [.time(time), .text(lead)])
            }
            // Responded after 10 and 30 minutes; the third is still new.
            try await server.database.execute("UPDATE leads SET status = 'responded', first_response_at = $1 WHERE contact_id = $2",
                                              [.time(times[0].addingTimeInterval(600)), .text(ids[0])])
            try await server.database.execute("UPDATE leads SET status = 'won', first_response_at = $1 WHERE contact_id = $2",
                                              [.time(times[2].addingTimeInterval(1800)), .text(ids[2])])
            let reply = try await api.send(.get, "creator/analytics?days=7", token: asha.token)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.json["total"] as? Int == 3)
            let days = try #require(reply.json["by_day"] as? [[String: Any]])
            #expect(days.count == 7)
            #expect(days.map { $0["count"] as? Int } == [0, 0, 0, 1, 0, 0, 2], "\(days)")
            let dates = days.compactMap { $0["date"] as? String }
            #expect(dates == dates.sorted() && dates.last == Self.utcDay(now))
            let services = try #require(reply.json["by_service"] as? [[String: Any]])
            #expect(services.first?["service"] as? String == "Birthday cake" && services.first?["count"] as? Int == 2)
            #expect(services.count == 2)
            #expect(reply.json["by_status"] as? [String: Int] == ["new": 1, "responded": 1, "won": 1, "lost": 0])
            #expect(abs((reply.json["response_rate"] as? Double ?? 0) - 2.0 / 3.0) < 0.001)
            #expect(reply.json["median_response_minutes"] as? Double == 20)

            let month = try await api.send(.get, "creator/analytics", token: asha.token)
            #expect(month.json["total"] as? Int == 3 && (month.json["by_day"] as? [Any])?.count == 30)
            let quarter = try await api.send(.get, "creator/analytics?days=90", token: asha.token)
            #expect(quarter.json["total"] as? Int == 4)
            for bad in ["0", "366", "ten", ""] {
                #expect(try await api.send(.get, "creator/analytics?days=\(bad)", token: asha.token).status == .unprocessableContent, "\(bad)")
            }
            let ravi = try await Self.signUp(api, "ravi@example.com", role: "creator")
            let empty = try await api.send(.get, "creator/analytics?days=1", token: ravi.token)
            #expect(empty.json["total"] as? Int == 0 && empty.json["response_rate"] as? Double == 0)
            #expect(empty.json.keys.contains("median_response_minutes") && empty.json["median_response_minutes"] is NSNull)
        }
    }

    static func utcDay(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }

    // MARK: The WebSocket

    /// What one socket saw: the leads' seqs and contact ids in order, and how it closed.
    struct SocketLog: Sendable {
        var seqs: [Int] = []
        var contactIDs: [String] = []
        var pings = 0
        var close: WebSocketErrorCode?
    }

    /// Opens the socket with `ticket`, reads until `leads` lead messages arrived (or the
    /// server closed, or 20 s passed), acknowledging up to `ackUpTo`, then leaves.
    /// `whenReplayed` runs once the first `replayed` leads were seen, socket still open.
    static func listen(_ api: TestServer.Client, ticket: String, leads: Int, replayed: Int = 0, ackUpTo: Int? = nil,
                       waitForPing: Bool = false, whenReplayed: @escaping @Sendable () async throws -> Void = {}) async throws -> SocketLog {
        let log = LogBox()
        let close = try await withThrowingTaskGroup(of: WebSocketCloseFrame?.self) { group in
            group.addTask {
                try await api.client.ws("/api/v1/creator/notifications?ticket=\(ticket)") { inbound, outbound, _ in
                    if replayed == 0 { try await whenReplayed() }
                    for try await message in inbound.messages(maxSize: 1 << 16) {
                        guard case .text(let text) = message,
                              let json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { continue }
                        if json["type"] as? String == "ping" {
                            log.update { $0.pings += 1 }
                        } else if json["type"] as? String == "lead", let seq = json["seq"] as? Int,
                                  let id = (json["lead"] as? [String: Any])?["contact_id"] as? String {
                            let count = log.update { $0.seqs.append(seq); $0.contactIDs.append(id); return $0.seqs.count }
                            if count == replayed, replayed > 0 { try await whenReplayed() }
                            if let ackUpTo, seq == ackUpTo {
                                try await outbound.writeTextMessage(#"{"type":"ack","seq":\#(seq)}"#)
                            }
                        }
                        let state = log.value
                        if state.seqs.count >= leads && (!waitForPing || state.pings > 0) { break }
                    }
                }
            }
            // A safety net only (the socket ends as soon as it saw what it waits for): wide,
            // because the whole suite runs at once on two cores.
            group.addTask {
                try await Task.sleep(for: .seconds(20))
                throw CancellationError()
            }
            let first = try await group.next()!
            group.cancelAll()
            return first
        }
        var result = log.value
        result.close = close?.closeCode
        return result
    }

    /// The creator's recorded acknowledgement once it reaches `seq` (recording follows
    /// the message by a moment), or what it is after 2 s.
    static func acknowledgementMark(_ server: TestServer, reaching seq: Int) async throws -> Int? {
        var mark: Int?
        for _ in 0..<100 {
            mark = try await server.database.integers("SELECT seq FROM lead_acknowledgements WHERE account = 'asha@example.com'").first
            if mark == seq { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        return mark
    }

    final class LogBox: @unchecked Sendable {
        private let lock = NSLock()
        private var log = SocketLog()
        var value: SocketLog { lock.withLock { log } }
        @discardableResult func update<T>(_ change: (inout SocketLog) -> T) -> T { lock.withLock { change(&log) } }
    }

    @Test(arguments: StoreKind.allCases) func replayInOrderThenLiveThenAcknowledgedLeadsStayAcknowledged(_ kind: StoreKind) async throws {
        let server = try await Self.server(kind)
        try await server.run { api in
            let asha = try await Self.signUp(api, "asha@example.com", role: "creator")
            // Three leads while Asha is offline.
            var made: [String] = []
            for index in 0..<3 {
                made.append(try await Self.reveal(api, try await Self.signUp(api, "early\(index)@example.com"), "asha-cakes"))
            }
            // Connect: the three replay in order, then a live one arrives; ack up to 2.
            let late = try await Self.signUp(api, "late@example.com")
            let lateLead = LogBox()
            let first = try await Self.listen(api, ticket: try await Self.ticket(api, asha), leads: 4, replayed: 3, ackUpTo: 2) {
                let id = try await Self.reveal(api, late, "asha-cakes")
                lateLead.update { $0.contactIDs = [id] }
            }
            #expect(first.seqs == [1, 2, 3, 4])
            #expect(first.contactIDs == made + lateLead.value.contactIDs)
            #expect(try await Self.acknowledgementMark(server, reaching: 2) == 2)
            // Reconnect: only what was not acknowledged, no duplicates, no gaps.
            let second = try await Self.listen(api, ticket: try await Self.ticket(api, asha), leads: 2, ackUpTo: 4)
            #expect(second.seqs == [3, 4])
            let third = try await Self.listen(api, ticket: try await Self.ticket(api, asha), leads: 0, waitForPing: true)
            #expect(third.seqs.isEmpty && third.pings > 0)
        }
        #expect(try await Self.acknowledgementMark(server, reaching: 4) == 4)
    }

    @Test(arguments: StoreKind.allCases) func everySocketOfTheCreatorGetsTheLeadAndNoOtherCreatorDoes(_ kind: StoreKind) async throws {
        let server = try await Self.server(kind)
        try await server.run { api in
            let asha = try await Self.signUp(api, "asha@example.com", role: "creator")
            let ravi = try await Self.signUp(api, "ravi@example.com", role: "creator")
            let customer = try await Self.signUp(api, "meera@example.com")
            let tickets = [try await Self.ticket(api, asha), try await Self.ticket(api, asha), try await Self.ticket(api, ravi)]
            let ready = AsyncStream<Void>.makeStream()
            let logs = try await withThrowingTaskGroup(of: (Int, SocketLog).self) { group in
                for (index, ticket) in tickets.enumerated() {
                    group.addTask {
                        // Ravi's socket expects nothing: it waits for a ping instead.
                        (index, try await Self.listen(api, ticket: ticket, leads: index < 2 ? 1 : 0, waitForPing: index == 2) {
                            ready.continuation.yield()
                        })
                    }
                }
                var opened = 0
                for await _ in ready.stream {
                    opened += 1
                    if opened == 3 { break }
                }
                try await Task.sleep(for: .milliseconds(100))
                try await Self.reveal(api, customer, "asha-cakes")
                return try await group.reduce(into: [Int: SocketLog]()) { $0[$1.0] = $1.1 }
            }
            #expect(logs[0]?.seqs == [1] && logs[1]?.seqs == [1])
            #expect(logs[2]?.seqs == [], "another creator's socket must not hear of it")
            #expect((logs[2]?.pings ?? 0) > 0)
        }
    }

    /// Pings go out every second here; a client that answers none of them is gone (a
    /// phone that lost its network), and the server hangs up after the next period, with
    /// no close handshake to wait for. The other socket tests' clients answer pings and
    /// stay open.
    @Test(arguments: StoreKind.allCases) func aSocketThatAnswersNoPingIsDropped(_ kind: StoreKind) async throws {
        let server = try await Self.server(kind)
        try await server.run { api in
            let asha = try await Self.signUp(api, "asha@example.com", role: "creator")
            let ticket = try await Self.ticket(api, asha)
            let port = try #require(api.client.port)
            let silence = await RawWebSocketProbe.onThreadOfItsOwn {
                RawWebSocketProbe.stayingSilent(port: port, path: "/api/v1/creator/notifications?ticket=\(ticket)", timeoutSeconds: 15)
            }
            let ping: UInt8 = 0x9, close: UInt8 = 0x8
            #expect(silence.opcodes.contains(ping), "the server pinged: \(silence.opcodes)")
            #expect(!silence.opcodes.contains(close), "a dead client is cut, not closed politely: \(silence.opcodes)")
            #expect(silence.droppedAfter != nil, "a silent client must be dropped")
        }
    }

    @Test(arguments: StoreKind.allCases) func badReusedAndExpiredTicketsCloseWith4401(_ kind: StoreKind) async throws {
        let server = try await Self.server(kind)
        try await server.run { api in
            let asha = try await Self.signUp(api, "asha@example.com", role: "creator")
            let ticket = try await Self.ticket(api, asha)
            let used = try await Self.listen(api, ticket: ticket, leads: 0, waitForPing: true)
            #expect(used.close != .unknown(4401))
            let port = try #require(api.client.port)
            func refusal(_ ticket: String) async -> Int? {
                await RawWebSocketProbe.onThreadOfItsOwn {
                    RawWebSocketProbe.firstCloseCode(port: port, path: "/api/v1/creator/notifications?ticket=\(ticket)", timeoutSeconds: 15)
                }
            }
            #expect(await refusal(ticket) == 4401, "a reused ticket")
            #expect(await refusal("made-up") == 4401)
            #expect(await refusal("") == 4401)
            let expiring = try await Self.ticket(api, asha)
            try await server.database.execute("UPDATE notification_tickets SET expires_at = $1", [.time(Date().addingTimeInterval(-1))])
            #expect(await refusal(expiring) == 4401, "an expired ticket")
            // Without an upgrade, the path says what it is.
            #expect(try await api.send(.get, "creator/notifications").status == .badRequest)
        }
    }

    /// A connection upgrades on its first request only: asked later (a proxy reusing its
    /// connections), the server sends the client to the same URL on a fresh connection.
    @Test func anUpgradeAskedLateOnAKeptAliveConnectionIsRedirectedToAFreshOne() async throws {
        let server = try await Self.server(.sqlite)
        try await server.run { api in
            let port = try #require(api.client.port)
            let path = "/api/v1/creator/notifications?ticket=abc"
            let answer = try #require(await RawWebSocketProbe.onThreadOfItsOwn {
                RawWebSocketProbe.lateUpgradeAnswer(port: port, firstPath: "/api/v1/health", path: path)
            })
            #expect(answer.hasPrefix("http/1.1 307"), "\(answer)")
            #expect(answer.contains("location: \(path)"), "\(answer)")
            #expect(answer.contains("connection: close"), "\(answer)")
        }
    }

    @Test(arguments: StoreKind.allCases) func malformedClientMessagesAreIgnored(_ kind: StoreKind) async throws {
        let server = try await Self.server(kind)
        try await server.run { api in
            let asha = try await Self.signUp(api, "asha@example.com", role: "creator")
            try await Self.reveal(api, try await Self.signUp(api, "meera@example.com"), "asha-cakes")
            let ticket = try await Self.ticket(api, asha)
            let close = try await api.client.ws("/api/v1/creator/notifications?ticket=\(ticket)") { inbound, outbound, _ in
                for text in ["not json", #"{"type":"ack"}"#, #"{"type":"ack","seq":"x"}"#, #"{"type":"ack","seq":-5}"#, "[]",
                             #"{"type":"ack","seq":99}"#] {
                    try await outbound.writeTextMessage(text)
                }
                var iterator = inbound.messages(maxSize: 1 << 16).makeAsyncIterator()
                _ = try await iterator.next()
            }
            #expect(close?.closeCode != .unknown(4401))
        }
        // An ack from the future acknowledges only what exists.
        #expect(try await Self.acknowledgementMark(server, reaching: 1) == 1)
    }
}
