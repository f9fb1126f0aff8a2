import Foundation
import HaatCore
@testable import HaatStore
import Hummingbird
import RazorpayFake
import StoreFixtures
import Testing
@testable import HaatServer

/// API.md "Payments (Razorpay)" over real HTTP, against the loopback fake Razorpay:
/// orders, Checkout's verify, webhooks (delivered by the fake, and hand-made ones for
/// what the fake would never send), one payment buying exactly one period.
struct PaymentTests {
    typealias Harness = RazorpayHarness
    static let day: TimeInterval = 86_400

    /// The subscription in `GET /me`'s quota.
    static func subscription(_ api: TestServer.Client, _ token: String) async throws -> [String: Any]? {
        let me = try await api.send(.get, "me", token: token)
        return (me.json["quota"] as? [String: Any])?["subscription"] as? [String: Any]
    }

    static func periodEnd(_ subscription: [String: Any]?) -> Date? {
        (subscription?["current_period_end"] as? String).flatMap { try? Date($0, strategy: .iso8601) }
    }

    /// Waits (up to 5 s) for `condition`: webhooks arrive on their own time.
    static func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<100 {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    static func order(_ api: TestServer.Client, _ token: String, plan: String = "month") async throws -> String {
        let reply = try await api.send(.post, "payments/orders", json: ["plan_id": plan], token: token)
        #expect(reply.status == .created, "\(reply.text)")
        return try #require(reply.json["order_id"] as? String)
    }

    @Test(arguments: StoreKind.allCases) func outOfQuotaThenSubscribeThenRevealCharged(_ kind: StoreKind) async throws {
        try await Harness.withFake { fake, settings in
            let server = try await Harness.server(kind, settings)
            try await server.publishCreator("cake-one", number: 10001)
            try await server.publishCreator("cake-two", number: 10002)
            try await server.run { api in
                let token = try #require(try await api.register("asha@example.com")["access_token"] as? String)
                #expect(try await api.send(.post, "creators/cake-one/contact", token: token).json["charged"] as? String == "free")
                #expect(try await api.send(.post, "creators/cake-two/contact", token: token).status == .init(code: 402))

                let created = try await api.send(.post, "payments/orders", json: ["plan_id": "month"], token: token)
                #expect(created.status == .created, "\(created.text)")
                #expect(created.json["amount_paise"] as? Int == 9900 && created.json["currency"] as? String == "INR")
                #expect(created.json["key_id"] as? String == Harness.keys.keyID && created.json["plan_id"] as? String == "month")
                let orderID = try #require(created.json["order_id"] as? String)
                #expect(orderID.hasPrefix("order_"))
                let sent = try #require(fake.requests.first { $0.path == "/v1/orders" })
                #expect(sent.body.contains("\"amount\":9900") && sent.body.contains("\"currency\":\"INR\""))
                #expect(sent.authorization == "Basic " + Data("\(Harness.keys.keyID):\(Harness.keys.keySecret)".utf8).base64EncodedString())

                // Checkout pays; the browser hands its three fields to verify.
                let checkout = try fake.pay(orderID: orderID, captured: true)
                let before = Date()
                let verified = try await api.send(.post, "payments/verify", json: checkout, token: token)
                #expect(verified.status == .ok, "\(verified.text)")
                let subscription = try #require(verified.json["subscription"] as? [String: Any])
                #expect(subscription["status"] as? String == "active" && subscription["plan_id"] as? String == "month")
                let end = try #require(Self.periodEnd(subscription))
                #expect(abs(end.timeIntervalSince(before) - 30 * Self.day) < 60)

                let reveal = try await api.send(.post, "creators/cake-two/contact", token: token)
                #expect(reveal.status == .ok && reveal.json["charged"] as? String == "subscription", "\(reveal.text)")
                #expect(((reveal.json["quota"] as? [String: Any])?["subscription"] as? [String: Any])?["status"] as? String == "active")
                #expect(try await Self.subscription(api, token)?["id"] as? String == subscription["id"] as? String)

                // Verifying the same payment again changes nothing.
                let again = try await api.send(.post, "payments/verify", json: checkout, token: token)
                #expect(again.status == .ok && Self.periodEnd(again.json["subscription"] as? [String: Any]) == end)
                #expect(Self.periodEnd(try await Self.subscription(api, token)) == end)
            }
        }
    }

    @Test(arguments: StoreKind.allCases) func verifyRefusesBadSignaturesOthersOrdersAndMissingFields(_ kind: StoreKind) async throws {
        try await Harness.withFake { fake, settings in
            let server = try await Harness.server(kind, settings)
            try await server.run { api in
                let asha = try #require(try await api.register("asha@example.com")["access_token"] as? String)
                let ravi = try #require(try await api.register("ravi@example.com")["access_token"] as? String)
                let orderID = try await Self.order(api, asha)
                var checkout = try fake.pay(orderID: orderID, captured: true)
                let signature = try #require(checkout["razorpay_signature"] as? String)

                // Someone else's order, even with its valid signature: not found.
                let others = try await api.send(.post, "payments/verify", json: checkout, token: ravi)
                #expect(others.status == .notFound && others.errorCode == "not_found")
                #expect(try await Self.subscription(api, ravi) == nil)

                checkout["razorpay_signature"] = String(signature.reversed())
                let forged = try await api.send(.post, "payments/verify", json: checkout, token: asha)
                #expect(forged.status == .badRequest && forged.errorCode == "invalid_signature")
                checkout["razorpay_signature"] = signature.uppercased()
                #expect(try await api.send(.post, "payments/verify", json: checkout, token: asha).errorCode == "invalid_signature")
                // The signature covers the payment id too.
                checkout["razorpay_signature"] = signature
                checkout["razorpay_payment_id"] = "pay_Other000000001"
                #expect(try await api.send(.post, "payments/verify", json: checkout, token: asha).errorCode == "invalid_signature")
                #expect(try await Self.subscription(api, asha) == nil)

                let missing = try await api.send(.post, "payments/verify", json: ["razorpay_order_id": orderID], token: asha)
                #expect(missing.status == .unprocessableContent && missing.errorMessage?.contains("razorpay_signature") == true)
                #expect(try await api.send(.post, "payments/verify", json: [:], token: nil).status == .unauthorized)
                let events = try await server.database.integers("SELECT COUNT(*) FROM payment_events").first
                #expect(events == 0)
            }
        }
    }

    @Test(arguments: StoreKind.allCases) func ordersRefuseUnknownPlansAndReportRazorpayFailures(_ kind: StoreKind) async throws {
        try await Harness.withFake { fake, settings in
            let server = try await Harness.server(kind, settings)
            try await server.run { api in
                let token = try #require(try await api.register("asha@example.com")["access_token"] as? String)
                let unknown = try await api.send(.post, "payments/orders", json: ["plan_id": "forever"], token: token)
                #expect(unknown.status == .unprocessableContent && unknown.errorMessage?.contains("plan_id") == true)
                #expect(try await api.send(.post, "payments/orders", json: ["plan_id": "month"]).status == .unauthorized)

                fake.injectServerErrors(1)
                let failing = try await api.send(.post, "payments/orders", json: ["plan_id": "month"], token: token)
                #expect(failing.status == .badGateway && failing.errorCode == "bad_gateway")
                let recorded = try await server.database.integers("SELECT COUNT(*) FROM payment_orders").first
                #expect(recorded == 0)
                // Razorpay is back: the next try works.
                _ = try await Self.order(api, token, plan: "year")
            }
        }
        // No payments configured, or Razorpay not answering at all.
        var unreachable = PaymentSettings(apiBase: "http://127.0.0.1:9", keyID: "rzp_test_X", keySecret: "k", webhookSecret: "w")
        unreachable.requestTimeout = 0.5
        for settings in [nil, unreachable] {
            let server = try await Harness.server(kind, settings)
            try await server.run { api in
                let token = try #require(try await api.register("asha@example.com")["access_token"] as? String)
                let reply = try await api.send(.post, "payments/orders", json: ["plan_id": "month"], token: token)
                #expect(reply.status == .badGateway && reply.errorCode == "bad_gateway", "\(reply.text)")
            }
        }
    }

    @Test(arguments: StoreKind.allCases) func webhooksAloneActivateAndEveryReportOfOnePaymentBuysOnePeriod(_ kind: StoreKind) async throws {
        try await Harness.withFake { fake, settings in
            let server = try await Harness.server(kind, settings)
            try await server.run { api in
                try Harness.aim(fake, at: api)
                let token = try #require(try await api.register("asha@example.com")["access_token"] as? String)

                // The browser window closed after paying: only the webhooks report it.
                let first = try await Self.order(api, token)
                let firstCheckout = try fake.pay(orderID: first, captured: true)
                #expect(try await Self.eventually { try await Self.subscription(api, token)?["status"] as? String == "active" })
                let webhooks = try #require(fake.webhooks)
                #expect(try await Self.eventually { webhooks.attempts.count == 2 })
                #expect(webhooks.attempts.allSatisfy { $0.status == 200 })
                let end = try #require(Self.periodEnd(try await Self.subscription(api, token)))

                // Replayed byte for byte: 200, and no second period.
                await webhooks.redeliver(webhooks.attempts[0].eventID)
                #expect(webhooks.attempts.last?.status == 200)
                #expect(Self.periodEnd(try await Self.subscription(api, token)) == end)
                // The browser's verify arriving after the webhooks: the same subscription, unchanged.
                let late = try await api.send(.post, "payments/verify", json: firstCheckout, token: token)
                #expect(late.status == .ok && Self.periodEnd(late.json["subscription"] as? [String: Any]) == end)

                // A second purchase, its events out of order and verified too: one more period, from the current end.
                webhooks.outOfOrder = true
                let second = try await Self.order(api, token)
                let checkout = try fake.pay(orderID: second, captured: true)
                #expect(try await api.send(.post, "payments/verify", json: checkout, token: token).status == .ok)
                #expect(try await Self.eventually { webhooks.attempts.count == 5 })
                let extended = try #require(Self.periodEnd(try await Self.subscription(api, token)))
                #expect(abs(extended.timeIntervalSince(end) - 30 * Self.day) < 1)

                // A failed payment grants nothing and is recorded.
                let third = try await Self.order(api, token)
                _ = try fake.pay(orderID: third, captured: false)
                #expect(try await Self.eventually { webhooks.attempts.count == 6 })
                #expect(Self.periodEnd(try await Self.subscription(api, token)) == extended)
            }
            let outcomes = try await server.database.texts("SELECT event || ':' || outcome FROM payment_events ORDER BY id")
            #expect(outcomes.filter { $0.hasSuffix(":granted") }.count == 2, "\(outcomes)")
            #expect(outcomes.contains("payment.failed:recorded"))
            let paid = try await server.database.integers("SELECT CAST(SUM(amount_paise) AS BIGINT) FROM payment_orders WHERE status = 'paid'")
            #expect(paid == [2 * 9900])
        }
    }

    @Test(arguments: StoreKind.allCases) func webhooksWithBadSignaturesNoEventIDWrongAmountsOrUnknownOrdersChangeNothing(_ kind: StoreKind) async throws {
        try await Harness.withFake { _, settings in
            let server = try await Harness.server(kind, settings)
            try await server.run { api in
                let token = try #require(try await api.register("asha@example.com")["access_token"] as? String)
                let orderID = try await Self.order(api, token)
                func deliver(_ body: String, eventID: String? = "evt_\(UUID().uuidString.prefix(8))", secret: String = Harness.webhookSecret)
                    async throws -> TestServer.Reply {
                    try await api.send(.post, "payments/webhook", raw: body, headers: Harness.webhookHeaders(for: body, eventID: eventID, secret: secret))
                }

                let captured = Harness.event("payment.captured", orderID: orderID)
                let forged = try await deliver(captured, secret: "not-the-webhook-secret")
                #expect(forged.status == .badRequest && forged.errorCode == "invalid_signature")
                // Signed with the key secret, which is not the webhook secret.
                #expect(try await deliver(captured, secret: Harness.keys.keySecret).errorCode == "invalid_signature")
                // The signature covers the exact bytes: a re-serialised body fails.
                var headers = Harness.webhookHeaders(for: captured, eventID: "evt_pretty")
                headers[.contentType] = "application/json"
                let pretty = try await api.send(.post, "payments/webhook", raw: captured.replacingOccurrences(of: ",", with: ", "), headers: headers)
                #expect(pretty.errorCode == "invalid_signature")
                let unsigned = try await api.send(.post, "payments/webhook", raw: captured)
                #expect(unsigned.status == .badRequest && unsigned.errorCode == "invalid_signature")
                let noEventID = try await deliver(captured, eventID: nil)
                #expect(noEventID.status == .badRequest && noEventID.errorCode == "bad_request")
                #expect(try await deliver("{not json").errorCode == "bad_request")

                let cheap = try await deliver(Harness.event("payment.captured", orderID: orderID, amount: 100))
                #expect(cheap.status == .ok && cheap.json["outcome"] as? String == "amount_mismatch")
                let stranger = try await deliver(Harness.event("order.paid", orderID: "order_NotHaats000001"))
                #expect(stranger.status == .ok && stranger.json["outcome"] as? String == "unknown_order")
                let refund = try await deliver(Harness.event("refund.processed", orderID: orderID))
                #expect(refund.status == .ok && refund.json["outcome"] as? String == "recorded")
                let authorized = try await deliver(Harness.event("payment.captured", orderID: orderID, status: "authorized"))
                #expect(authorized.status == .ok && authorized.json["outcome"] as? String == "recorded")
                #expect(try await Self.subscription(api, token) == nil)

                // The genuine event grants; its replay is a 200 with no second effect.
                let genuine = try await deliver(captured, eventID: "evt_Genuine0000001")
                #expect(genuine.status == .ok && genuine.json["outcome"] as? String == "granted")
                let end = Self.periodEnd(try await Self.subscription(api, token))
                let replay = try await deliver(captured, eventID: "evt_Genuine0000001")
                #expect(replay.status == .ok && replay.json["outcome"] as? String == "duplicate_event")
                #expect(Self.periodEnd(try await Self.subscription(api, token)) == end)
            }
        }
    }

    @Test(arguments: StoreKind.allCases) func verifyAndWebhooksOfOnePaymentAtTheSameMomentGrantOnePeriod(_ kind: StoreKind) async throws {
        try await Harness.withFake { fake, settings in
            let server = try await Harness.server(kind, settings)
            try await server.run { api in
                let token = try #require(try await api.register("asha@example.com")["access_token"] as? String)
                for round in 0..<5 {
                    let orderID = try await Self.order(api, token)
                    let checkout = try fake.pay(orderID: orderID, captured: true)
                    let paymentID = try #require(checkout["razorpay_payment_id"] as? String)
                    let verifyBody = String(decoding: try JSONSerialization.data(withJSONObject: checkout), as: UTF8.self)
                    let before = Self.periodEnd(try await Self.subscription(api, token))
                    // Three copies of each: the verify, then a webhook of each event.
                    let statuses = try await api.sendConcurrently(9) { index, api in
                        let (copy, kind) = index.quotientAndRemainder(dividingBy: 3)
                        guard kind > 0 else { return try await api.send(.post, "payments/verify", raw: verifyBody, token: token) }
                        let event = kind == 1 ? "payment.captured" : "order.paid"
                        let body = Harness.event(event, orderID: orderID, paymentID: paymentID)
                        let headers = Harness.webhookHeaders(for: body, eventID: "evt_\(round)_\(event)_\(copy % 2)")
                        return try await api.send(.post, "payments/webhook", raw: body, headers: headers)
                    }.map(\.status)
                    #expect(statuses.allSatisfy { $0 == .ok }, "\(statuses)")
                    let after = try #require(Self.periodEnd(try await Self.subscription(api, token)))
                    let expected = (before ?? after.addingTimeInterval(-30 * Self.day)).addingTimeInterval(30 * Self.day)
                    #expect(abs(after.timeIntervalSince(expected)) < 1, "round \(round): one period per payment")
                }
            }
            #expect(try await server.database.integers("SELECT COUNT(*) FROM payment_events WHERE outcome = 'granted'") == [5])
        }
    }

    @Test(arguments: StoreKind.allCases) func anExpiredPlanReadsExpiredAndRevealsNeedANewOne(_ kind: StoreKind) async throws {
        try await Harness.withFake { fake, settings in
            let server = try await Harness.server(kind, settings, freeContacts: 0)
            try await server.publishCreator("cake-one", number: 10001)
            try await server.run { api in
                let token = try #require(try await api.register("asha@example.com")["access_token"] as? String)
                let checkout = try fake.pay(orderID: try await Self.order(api, token), captured: true)
                #expect(try await api.send(.post, "payments/verify", json: checkout, token: token).status == .ok)
                // The period ends (as if 31 days passed): expiry is computed when read.
                try await server.database.execute("UPDATE subscriptions SET current_period_end = $1", [.time(Date().addingTimeInterval(-60))])
                #expect(try await Self.subscription(api, token)?["status"] as? String == "expired")
                let refused = try await api.send(.post, "creators/cake-one/contact", token: token)
                #expect(refused.status == .init(code: 402))
                #expect(((refused.json["quota"] as? [String: Any])?["subscription"] as? [String: Any])?["status"] as? String == "expired")
                // A new payment starts a new period from now, not from the old end.
                let renewal = try fake.pay(orderID: try await Self.order(api, token), captured: true)
                let renewed = try await api.send(.post, "payments/verify", json: renewal, token: token)
                let end = try #require(Self.periodEnd(renewed.json["subscription"] as? [String: Any]))
                #expect(abs(end.timeIntervalSinceNow - 30 * Self.day) < 60)
                #expect(try await api.send(.post, "creators/cake-one/contact", token: token).json["charged"] as? String == "subscription")
            }
        }
    }
}
