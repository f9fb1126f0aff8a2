import Crypto
import Foundation
import SMS
import StoreFixtures
import Testing
import WebPush
@testable import HaatServer

/// Demo mode's "Test alerts": `GET /creator/alerts/log` shows a creator each lead pushed
/// and each text sent to them, by the server's own push hub and text scheduler; another
/// creator sees none of it, and outside demo mode the route is not there.
struct TestAlertLogTests {
    static func server(_ kind: StoreKind, outbox: TextAlertTests.Outbox, demo: Bool) async throws -> TestServer {
        let server = try await TestServer(kind) {
            $0.freeContacts = 50
            $0.sms = SMSSettings(gateway: outbox, alertGateway: outbox, testMode: true)
            $0.push = PushSettings(key: try! VAPIDKey(privateKey: P256.Signing.PrivateKey(), subject: "mailto:ops@haat.example"),
                                   policy: PushEndpointPolicy(allowPrivate: false))
            $0.keepsTestAlertLog = demo
            $0.textAlertInterval = .milliseconds(100)
            // Midday where the server is, whatever the hour here: no quiet hours.
            $0.timeZone = TextAlertTests.zone(where: Date(), isHour: 12)
            $0.siteURL = "https://haat.example"
        }
        try await server.publishCreator("asha-cakes", account: "asha@example.com", number: 10001)
        return server
    }

    static func log(_ api: TestServer.Client, _ token: String) async throws -> [[String: Any]] {
        let reply = try await api.send(.get, "creator/alerts/log", token: token)
        #expect(reply.status == .ok, "\(reply.text)")
        return reply.json["items"] as? [[String: Any]] ?? []
    }

    @Test(arguments: StoreKind.allCases) func theLogShowsEachPushAndTextToItsCreatorOnly(_ kind: StoreKind) async throws {
        let outbox = TextAlertTests.Outbox()
        let server = try await Self.server(kind, outbox: outbox, demo: true)
        try await server.run { api in
            let asha = try await TextAlertTests.creatorTextedAfter(5, api, server)
            let ravi = try await CreatorLeadTests.signUp(api, "ravi@example.com", role: "creator")
            #expect(try await Self.log(api, asha.token).isEmpty)

            let lead = try await CreatorLeadTests.reveal(api, try await CreatorLeadTests.signUp(api, "kiran@example.com"), "asha-cakes",
                                                         service: "Birthday cake")
            let pushed = try #require(try await Self.log(api, asha.token).first)
            let message = try #require(pushed["push"] as? [String: Any])
            let pushedLead = try #require(message["lead"] as? [String: Any])
            #expect(pushed["kind"] as? String == "push" && message["type"] as? String == "lead" && message["seq"] as? Int == 1)
            #expect(pushedLead["contact_id"] as? String == lead && pushedLead["service"] as? String == "Birthday cake")
            #expect((pushedLead["customer"] as? [String: Any])?["name"] as? String == "Test kiran")

            // Ten minutes unopened (times moved back): the server's own scheduler texts it.
            let past = Date().addingTimeInterval(-600)
            try await server.database.execute("UPDATE leads SET created_at = $1", [.time(past)])
            try await server.database.execute("UPDATE accounts SET sms_alerts_since = $1 WHERE sms_alerts_since IS NOT NULL",
                                              [.time(past.addingTimeInterval(-1))])
            var items: [[String: Any]] = []
            for _ in 0..<100 where items.count < 2 {
                try await Task.sleep(for: .milliseconds(100))
                items = try await Self.log(api, asha.token)
            }
            let texted = try #require(items.first)
            #expect(items.count == 2 && texted["kind"] as? String == "text" && items[1]["kind"] as? String == "push", "newest first")
            #expect(texted["contact_id"] as? String == lead && texted["to"] as? String == "+919822012345")
            #expect(texted["text"] as? String == outbox.messages.first?.text && outbox.messages.count == 1)
            #expect((texted["text"] as? String)?.contains("Birthday cake") == true)

            #expect(try await Self.log(api, ravi.token).isEmpty, "another creator's alerts are not shown")
            let customer = try await CreatorLeadTests.signUp(api, "asha.customer@example.com")
            #expect(try await api.send(.get, "creator/alerts/log", token: customer.token).status == .forbidden)
            #expect(try await api.send(.get, "creator/alerts/log").status == .unauthorized)
        }
    }

    @Test func outsideDemoModeThereIsNoLog() async throws {
        let server = try await Self.server(.sqlite, outbox: TextAlertTests.Outbox(), demo: false)
        try await server.run { api in
            let asha = try await CreatorLeadTests.signUp(api, "asha@example.com", role: "creator")
            let reply = try await api.send(.get, "creator/alerts/log", token: asha.token)
            #expect(reply.status == .notFound && reply.errorCode == "not_found", "\(reply.text)")
        }
    }
}
