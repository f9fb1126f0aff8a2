import Crypto
import Foundation
import HaatCore
import HaatStore
import HTTPTypes
import JWTKit
import StoreFixtures
import Testing
import WebPush
import WebPushFake
@testable import HaatServer

/// API.md "Lead alerts with the dashboard closed", Web Push: subscriptions, and each new
/// lead delivered to every device of its creator through a push service on loopback,
/// encrypted for that device and signed with the server's VAPID key.
struct PushAlertTests {
    static let key = P256.Signing.PrivateKey()

    static func server(_ kind: StoreKind, push: Bool = true, allowPrivate: Bool = true) async throws -> TestServer {
        let server = try await TestServer(kind) {
            $0.freeContacts = 50
            if push {
                var settings = PushSettings(key: try! VAPIDKey(privateKey: key, subject: "mailto:ops@haat.example"),
                                            policy: PushEndpointPolicy(allowPrivate: allowPrivate))
                settings.pollInterval = .milliseconds(200)
                $0.push = settings
            }
        }
        try await server.publishCreator("asha-cakes", account: "asha@example.com", number: 10001)
        try await server.publishCreator("ravi-frames", account: "ravi@example.com", number: 10002)
        return server
    }

    /// Waits up to `seconds` for `condition`.
    static func eventually(_ seconds: Double = 10, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }

    @Test(arguments: StoreKind.allCases) func pushIsOffWithoutAKey(_ kind: StoreKind) async throws {
        try await Self.server(kind, push: false).run { api in
            let creator = try await CreatorLeadTests.signUp(api, "asha@example.com", role: "creator")
            let key = try await api.send(.get, "creator/push/key", token: creator.token)
            #expect(key.status == .notFound && key.errorCode == "not_found")
            let subscribe = try await api.send(.post, "creator/push/subscriptions", json: FakeBrowser().subscription(endpoint: "https://1.1.1.1/p"), token: creator.token)
            #expect(subscribe.status == .notFound)
            // A customer is refused before push being off is told.
            let customer = try await CreatorLeadTests.signUp(api, "kiran@example.com")
            #expect(try await api.send(.get, "creator/push/key", token: customer.token).status == .forbidden)
        }
    }

    @Test(arguments: StoreKind.allCases) func aCreatorSubscribesListsAndRemovesDevices(_ kind: StoreKind) async throws {
        try await Self.server(kind, allowPrivate: false).run { api in
            let asha = try await CreatorLeadTests.signUp(api, "asha@example.com", role: "creator")
            let ravi = try await CreatorLeadTests.signUp(api, "ravi@example.com", role: "creator")
            let key = try await api.send(.get, "creator/push/key", token: asha.token)
            #expect(key.json["vapid_public_key"] as? String == Base64URL.encode(Self.key.publicKey.x963Representation))

            let phone = FakeBrowser(), laptop = FakeBrowser()
            let android: HTTPFields = [.userAgent: "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36"]
            let first = try await api.send(.post, "creator/push/subscriptions", json: phone.subscription(endpoint: "https://1.1.1.1/push/a"),
                                           token: asha.token, headers: android)
            #expect(first.status == .created)
            let id = try #require(first.json["subscription_id"] as? String)
            // The same endpoint again renews it: one device, the same id.
            let again = try await api.send(.post, "creator/push/subscriptions", json: phone.subscription(endpoint: "https://1.1.1.1/push/a"),
                                           token: asha.token, headers: android)
            #expect(again.status == .created && again.json["subscription_id"] as? String == id)
            _ = try await api.send(.post, "creator/push/subscriptions", json: laptop.subscription(endpoint: "https://[2606:4700::1111]/push/b"),
                                   token: asha.token)
            let list = try await api.send(.get, "creator/push/subscriptions", token: asha.token)
            let items = try #require(list.json["items"] as? [[String: Any]])
            #expect(items.count == 2 && list.json["next_cursor"] is NSNull)
            let phoneEntry = try #require(items.first { $0["subscription_id"] as? String == id })
            #expect(phoneEntry["device"] as? String == "Chrome on Android" && phoneEntry["push_service"] as? String == "1.1.1.1")
            #expect(!list.text.contains("push/a") && !list.text.contains("p256dh"))  // never the endpoint's path or keys

            // Another creator sees none of them and cannot remove them.
            let theirs = try await api.send(.get, "creator/push/subscriptions", token: ravi.token)
            #expect((theirs.json["items"] as? [Any])?.isEmpty == true)
            #expect(try await api.send(.delete, "creator/push/subscriptions/\(id)", token: ravi.token).status == .notFound)
            #expect(try await api.send(.delete, "creator/push/subscriptions/\(id)", token: asha.token).status == .noContent)
            #expect(try await api.send(.delete, "creator/push/subscriptions/\(id)", token: asha.token).status == .notFound)
            let after = try await api.send(.get, "creator/push/subscriptions", token: asha.token)
            #expect((after.json["items"] as? [Any])?.count == 1)
        }
    }

    /// No request forgery into the operator's network (API.md): an endpoint must be https
    /// on a public address; bad keys are refused too. Each answer is 422 and adds nothing.
    @Test(arguments: StoreKind.allCases) func endpointsIntoTheOperatorsNetworkAndBadKeysAreRefused(_ kind: StoreKind) async throws {
        try await Self.server(kind, allowPrivate: false).run { api in
            let asha = try await CreatorLeadTests.signUp(api, "asha@example.com", role: "creator")
            let browser = FakeBrowser()
            for endpoint in ["http://1.1.1.1/push", "https://127.0.0.1/push", "https://10.1.2.3/push", "https://169.254.169.254/latest",
                             "https://[::1]/push", "https://localhost/push", "https://192.168.1.1:8443/push", "ftp://1.1.1.1/x", ""] {
                let reply = try await api.send(.post, "creator/push/subscriptions", json: browser.subscription(endpoint: endpoint), token: asha.token)
                #expect(reply.status == .unprocessableContent && reply.errorCode == "validation_failed", "\(endpoint): \(reply.text)")
            }
            var bad = browser.subscription(endpoint: "https://1.1.1.1/push")
            bad["keys"] = ["p256dh": Base64URL.encode(Data(repeating: 4, count: 65)), "auth": Base64URL.encode(browser.auth)]
            #expect(try await api.send(.post, "creator/push/subscriptions", json: bad, token: asha.token).status == .unprocessableContent)
            bad["keys"] = ["p256dh": Base64URL.encode(browser.key.publicKey.x963Representation), "auth": "c2hvcnQ"]
            #expect(try await api.send(.post, "creator/push/subscriptions", json: bad, token: asha.token).status == .unprocessableContent)
            #expect(try await api.send(.post, "creator/push/subscriptions", json: ["endpoint": "https://1.1.1.1/push"], token: asha.token).status
                    == .unprocessableContent)
            let list = try await api.send(.get, "creator/push/subscriptions", token: asha.token)
            #expect((list.json["items"] as? [Any])?.isEmpty == true)
        }
    }

    /// A lead reaches each of its creator's devices through their push services, encrypted
    /// for each (RFC 8291) and signed (RFC 8292), with TTL and Urgency; another creator's
    /// device gets nothing; a device subscribed later is not sent older leads.
    @Test(arguments: StoreKind.allCases) func eachNewLeadReachesEveryDeviceOfItsCreator(_ kind: StoreKind) async throws {
        let service = FakePushService()
        try await service.whileListening { base in
            try await Self.server(kind).run { api in
                let asha = try await CreatorLeadTests.signUp(api, "asha@example.com", role: "creator")
                let ravi = try await CreatorLeadTests.signUp(api, "ravi@example.com", role: "creator")
                let phone = FakeBrowser(), laptop = FakeBrowser(), other = FakeBrowser()
                for (browser, name, token) in [(phone, "phone", asha.token), (laptop, "laptop", asha.token), (other, "ravi", ravi.token)] {
                    let reply = try await api.send(.post, "creator/push/subscriptions", json: browser.subscription(endpoint: "\(base)/push/\(name)"), token: token)
                    #expect(reply.status == .created, "\(reply.text)")
                }
                let customer = try await CreatorLeadTests.signUp(api, "kiran@example.com")
                let contactID = try await CreatorLeadTests.reveal(api, customer, "asha-cakes", service: "Birthday cake", message: "For Saturday, 2 kg")
                #expect(try await Self.eventually { service.received(by: "phone").count == 1 && service.received(by: "laptop").count == 1 })

                let inbox = try await api.send(.get, "creator/leads", token: asha.token)
                let lead = try #require((inbox.json["items"] as? [[String: Any]])?.first)
                for (browser, name) in [(phone, "phone"), (laptop, "laptop")] {
                    let message = try #require(service.received(by: name).first)
                    let json = try JSONSerialization.jsonObject(with: browser.decrypt(message.body)) as! [String: Any]
                    #expect(json["type"] as? String == "lead" && json["seq"] as? Int == 1)
                    let pushed = try #require(json["lead"] as? [String: Any])
                    #expect(NSDictionary(dictionary: pushed).isEqual(to: lead), "\(pushed) vs \(lead)")
                    #expect(pushed["contact_id"] as? String == contactID && pushed["message"] as? String == "For Saturday, 2 kg")
                    #expect(message.headers["content-encoding"] == "aes128gcm" && message.headers["ttl"] == "86400" && message.headers["urgency"] == "high")
                    try await Self.checkVAPID(message.headers["authorization"], audience: base)
                }
                #expect(service.received(by: "ravi").isEmpty)

                // A device subscribed now gets the next lead, not this one.
                let tablet = FakeBrowser()
                _ = try await api.send(.post, "creator/push/subscriptions", json: tablet.subscription(endpoint: "\(base)/push/tablet"), token: asha.token)
                let second = try await CreatorLeadTests.signUp(api, "meera@example.com")
                try await CreatorLeadTests.reveal(api, second, "asha-cakes", service: "Cupcakes")
                #expect(try await Self.eventually { service.received(by: "tablet").count == 1 && service.received(by: "phone").count == 2 })
                let tabletMessage = try JSONSerialization.jsonObject(with: tablet.decrypt(service.received(by: "tablet")[0].body)) as! [String: Any]
                #expect(tabletMessage["seq"] as? Int == 2)
            }
        }
    }

    static func checkVAPID(_ header: String?, audience: String) async throws {
        struct Claims: JWTPayload {
            let aud: String
            let exp: Int
            let sub: String
            func verify(using algorithm: some JWTAlgorithm) async throws {}
        }
        let parts = try #require(header?.wholeMatch(of: /vapid t=([^,]+),k=(.+)/))
        #expect(String(parts.2) == Base64URL.encode(key.publicKey.x963Representation))
        let verifier = await JWTKeyCollection().add(ecdsa: try ES256PublicKey(backing: key.publicKey))
        let claims = try await verifier.verify(String(parts.1), as: Claims.self)
        #expect(claims.aud == audience && claims.sub == "mailto:ops@haat.example")
        #expect(claims.exp > Int(Date().timeIntervalSince1970) && claims.exp <= Int(Date().timeIntervalSince1970) + 24 * 3600)
    }

    /// 404 and 410 delete the subscription; 429 and 5xx are tried again, and the lead still
    /// arrives; one failing device never holds back another.
    @Test(arguments: StoreKind.allCases) func goneDevicesAreForgottenAndFailuresRetried(_ kind: StoreKind) async throws {
        let service = FakePushService()
        service.inject(.status(410), for: "gone")
        service.inject(.status(503), .status(429), for: "flaky")
        try await service.whileListening { base in
            let server = try await Self.server(kind)
            try await server.run { api in
                let asha = try await CreatorLeadTests.signUp(api, "asha@example.com", role: "creator")
                for name in ["gone", "flaky", "fine"] {
                    _ = try await api.send(.post, "creator/push/subscriptions", json: FakeBrowser().subscription(endpoint: "\(base)/push/\(name)"), token: asha.token)
                }
                let customer = try await CreatorLeadTests.signUp(api, "kiran@example.com")
                try await CreatorLeadTests.reveal(api, customer, "asha-cakes", service: "Birthday cake")
                #expect(try await Self.eventually { service.received(by: "fine").count == 1 })
                #expect(try await Self.eventually(15) { service.received(by: "flaky").count == 3 })  // 503, 429, then delivered
                #expect(try await Self.eventually {
                    let list = try await api.send(.get, "creator/push/subscriptions", token: asha.token)
                    return (list.json["items"] as? [Any])?.count == 2
                })
                #expect(service.received(by: "gone").count == 1)
                // Delivered once: the retried lead is not sent again once through.
                try await Task.sleep(for: .seconds(1))
                #expect(service.received(by: "flaky").count == 3 && service.received(by: "fine").count == 1)
            }
        }
    }
}
