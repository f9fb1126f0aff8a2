import Foundation
import HaatCore
import HaatStore
import SMS
import StoreFixtures
import Testing
@testable import HaatServer

/// API.md `PUT /creator/alerts`: a text to the creator's verified number when a lead is
/// still unopened that many minutes after it was made; once per lead, never in the quiet
/// hours, never once acknowledged.
struct TextAlertTests {
    /// Every text sent, in memory.
    final class Outbox: SMSGateway, @unchecked Sendable {
        let name = "outbox"
        private let lock = NSLock()
        private var sent: [SMSMessage] = []
        var messages: [SMSMessage] { lock.withLock { sent } }
        func send(_ message: SMSMessage) async throws { lock.withLock { sent.append(message) } }
    }

    static func server(_ kind: StoreKind, outbox: Outbox = Outbox()) async throws -> TestServer {
        let server = try await TestServer(kind) {
            $0.freeContacts = 50
            $0.sms = SMSSettings(gateway: outbox, alertGateway: outbox)
            $0.textAlertInterval = .seconds(3600)  // the tests call textDue themselves, at the times they choose
            $0.siteURL = "https://haat.example"
        }
        try await server.publishCreator("asha-cakes", account: "asha@example.com", number: 10001)
        return server
    }

    /// A zone whose local hour is `hour` at `time`: the quiet hours without waiting for night.
    static func zone(where time: Date, isHour hour: Int) -> TimeZone {
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let offset = ((hour - utc.component(.hour, from: time)) % 24 + 24) % 24
        return TimeZone(secondsFromGMT: (offset > 12 ? offset - 24 : offset) * 3600)!
    }

    /// Asha, a creator with a verified number, texted leads left `minutes` unopened.
    static func creatorTextedAfter(_ minutes: Int, _ api: TestServer.Client, _ server: TestServer) async throws -> CreatorLeadTests.Session {
        let asha = try await CreatorLeadTests.signUp(api, "asha@example.com", role: "creator")
        try await server.store.verifyPhone("+919822012345", ofAccount: asha.id, at: Date())
        #expect(try await api.send(.put, "creator/alerts", json: ["sms_after_minutes": minutes], token: asha.token).status == .ok)
        return asha
    }

    func alerts(_ server: TestServer, _ outbox: Outbox, hour: Int = 12, at time: Date) -> LeadTextAlerts {
        LeadTextAlerts(store: server.store, gateway: outbox, timeZone: Self.zone(where: time, isHour: hour), siteURL: "https://haat.example",
                       logger: .init(label: "test"), now: { time })
    }

    @Test(arguments: StoreKind.allCases) func theSettingIsACreatorsAndNeedsAVerifiedNumber(_ kind: StoreKind) async throws {
        let server = try await Self.server(kind)
        try await server.run { api in
            let asha = try await CreatorLeadTests.signUp(api, "asha@example.com", role: "creator")
            #expect(try await api.send(.get, "creator/alerts", token: asha.token).json["sms_after_minutes"] is NSNull)
            let unverified = try await api.send(.put, "creator/alerts", json: ["sms_after_minutes": 10], token: asha.token)
            #expect(unverified.status == .forbidden && unverified.errorCode == "phone_unverified")
            try await server.store.verifyPhone("+919822012345", ofAccount: asha.id, at: Date())
            for bad: Any in [4, 1441, "10", 7.5, [String: Any]()] {
                let body: [String: Any] = (bad as? [String: Any]) ?? ["sms_after_minutes": bad]
                let reply = try await api.send(.put, "creator/alerts", json: body, token: asha.token)
                #expect(reply.status == .unprocessableContent && reply.errorMessage?.contains("sms_after_minutes") == true, "\(bad): \(reply.text)")
            }
            #expect(try await api.send(.put, "creator/alerts", json: ["sms_after_minutes": 10], token: asha.token).json["sms_after_minutes"] as? Int == 10)
            #expect(try await api.send(.get, "creator/alerts", token: asha.token).json["sms_after_minutes"] as? Int == 10)
            #expect(try await api.send(.put, "creator/alerts", json: ["sms_after_minutes": NSNull()], token: asha.token).json["sms_after_minutes"] is NSNull)
            let customer = try await CreatorLeadTests.signUp(api, "kiran@example.com")
            #expect(try await api.send(.put, "creator/alerts", json: ["sms_after_minutes": 10], token: customer.token).status == .forbidden)
        }
    }

    @Test(arguments: StoreKind.allCases) func aServerThatCannotTextAcceptsOnlyNever(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        try await server.run { api in
            let asha = try await CreatorLeadTests.signUp(api, "asha@example.com", role: "creator")
            try await server.store.verifyPhone("+919822012345", ofAccount: asha.id, at: Date())
            #expect(try await api.send(.put, "creator/alerts", json: ["sms_after_minutes": 10], token: asha.token).status == .unprocessableContent)
            #expect(try await api.send(.put, "creator/alerts", json: ["sms_after_minutes": NSNull()], token: asha.token).status == .ok)
        }
    }

    /// Past the window, one text with the service and a link to the lead; not before, not
    /// twice, and not for a lead made before the setting was turned on.
    @Test(arguments: StoreKind.allCases) func aLeadLeftUnopenedIsTextedOnce(_ kind: StoreKind) async throws {
        let outbox = Outbox()
        let server = try await Self.server(kind, outbox: outbox)
        try await server.run { api in
            let asha = try await CreatorLeadTests.signUp(api, "asha@example.com", role: "creator")
            try await server.store.verifyPhone("+919822012345", ofAccount: asha.id, at: Date())
            let early = try await CreatorLeadTests.reveal(api, try await CreatorLeadTests.signUp(api, "early@example.com"), "asha-cakes")
            try await Task.sleep(for: .milliseconds(20))
            _ = try await api.send(.put, "creator/alerts", json: ["sms_after_minutes": 10], token: asha.token)
            let customer = try await CreatorLeadTests.signUp(api, "kiran@example.com")
            let lead = try await CreatorLeadTests.reveal(api, customer, "asha-cakes", service: "Birthday cake")
            let made = Date()
            #expect(await alerts(server, outbox, at: made.addingTimeInterval(9 * 60)).textDue() == 0)
            #expect(await alerts(server, outbox, at: made.addingTimeInterval(11 * 60)).textDue() == 1)
            #expect(await alerts(server, outbox, at: made.addingTimeInterval(30 * 60)).textDue() == 0)
            let text = try #require(outbox.messages.first)
            #expect(outbox.messages.count == 1 && text.to == "+919822012345")
            #expect(text.text.contains("Birthday cake from Test") && text.text.hasSuffix("https://haat.example/dashboard/?lead=\(lead)"), "\(text.text)")
            #expect(!outbox.messages.contains { $0.text.contains(early) })
        }
    }

    @Test(arguments: StoreKind.allCases) func anAcknowledgedLeadIsNotTexted(_ kind: StoreKind) async throws {
        let outbox = Outbox()
        let server = try await Self.server(kind, outbox: outbox)
        try await server.run { api in
            let asha = try await Self.creatorTextedAfter(5, api, server)
            try await CreatorLeadTests.reveal(api, try await CreatorLeadTests.signUp(api, "kiran@example.com"), "asha-cakes")
            // Opened on the dashboard (its socket acknowledges what it shows).
            let socket = try await CreatorLeadTests.listen(api, ticket: try await CreatorLeadTests.ticket(api, asha), leads: 1, ackUpTo: 1)
            #expect(socket.seqs == [1])
            _ = try await CreatorLeadTests.acknowledgementMark(server, reaching: 1)
            #expect(await alerts(server, outbox, at: Date().addingTimeInterval(3600)).textDue() == 0)
            #expect(outbox.messages.isEmpty)
        }
    }

    /// Between 21:00 and 08:00 local, nothing; the same lead is texted once the morning comes.
    @Test(arguments: StoreKind.allCases) func quietHoursWaitForTheMorning(_ kind: StoreKind) async throws {
        let outbox = Outbox()
        let server = try await Self.server(kind, outbox: outbox)
        try await server.run { api in
            _ = try await Self.creatorTextedAfter(5, api, server)
            try await CreatorLeadTests.reveal(api, try await CreatorLeadTests.signUp(api, "kiran@example.com"), "asha-cakes")
            let later = Date().addingTimeInterval(600)
            for quiet in [21, 23, 0, 7] { #expect(await alerts(server, outbox, hour: quiet, at: later).textDue() == 0, "\(quiet):00") }
            #expect(outbox.messages.isEmpty)
            #expect(await alerts(server, outbox, hour: 8, at: later).textDue() == 1)
        }
        #expect(LeadTextAlerts.isQuiet(Date(timeIntervalSince1970: 1_800_000_000), in: Self.zone(where: Date(timeIntervalSince1970: 1_800_000_000), isHour: 20)) == false)
    }

    /// Several instances looking at once (on PostgreSQL, transactions racing for the same
    /// leads) text each lead once.
    @Test(arguments: StoreKind.allCases) func instancesLookingAtOnceTextEachLeadOnce(_ kind: StoreKind) async throws {
        let outbox = Outbox()
        let server = try await Self.server(kind, outbox: outbox)
        try await server.run { api in
            _ = try await Self.creatorTextedAfter(5, api, server)
            for index in 0..<6 {
                try await CreatorLeadTests.reveal(api, try await CreatorLeadTests.signUp(api, "c\(index)@example.com"), "asha-cakes")
            }
            let later = Date().addingTimeInterval(600)
            let counts = await withTaskGroup(of: Int.self) { group in
                for _ in 0..<4 { group.addTask { await alerts(server, outbox, at: later).textDue() } }
                return await group.reduce(0, +)
            }
            #expect(counts == 6 && outbox.messages.count == 6 && Set(outbox.messages.map(\.text)).count == 6)
        }
    }
}
