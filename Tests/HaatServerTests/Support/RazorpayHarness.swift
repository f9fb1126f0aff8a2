import Foundation
import HaatCore
import HTTPTypes
import Hummingbird
import Razorpay
import RazorpayFake
import StoreFixtures
import Testing
@testable import HaatServer

/// The loopback fake Razorpay for server tests, on a free port. Its webhooks go nowhere
/// until a test points them at its running server (`aim(at:)`).
enum RazorpayHarness {
    static let keys = FakeRazorpay.Keys(keyID: "rzp_test_HaatServerTst01", keySecret: "server-test-key-secret")
    static let webhookSecret = "server-test-webhook-secret"

    static func withFake(_ body: @escaping @Sendable (FakeRazorpay, PaymentSettings) async throws -> Void) async throws {
        let webhooks = FakeWebhooks(url: "http://127.0.0.1:9/not-yet", secret: webhookSecret, retryDelay: .milliseconds(50), maximumAttempts: 3)
        let fake = FakeRazorpay(keys: keys, webhooks: webhooks)
        try await fake.whileListening { base in
            try await body(fake, PaymentSettings(apiBase: base, keyID: keys.keyID, keySecret: keys.keySecret, webhookSecret: webhookSecret,
                                                 checkoutScript: base + "/v1/checkout.js", testMode: true))
        }
    }

    /// A server with the two plans of the sample site.yml and these payment settings.
    static func server(_ kind: StoreKind, _ settings: PaymentSettings?, freeContacts: Int = 1) async throws -> TestServer {
        try await TestServer(kind) {
            $0.freeContacts = freeContacts
            $0.plans = [Plan(id: Slug("month")!, name: "One month", amount: Money(paise: 9900), periodDays: 30),
                        Plan(id: Slug("year")!, name: "One year", amount: Money(paise: 79900), periodDays: 365)]
            $0.payments = settings
        }
    }

    /// Points the fake's webhooks at the running test server.
    static func aim(_ fake: FakeRazorpay, at api: TestServer.Client) throws {
        let port = try #require(api.client.port)
        fake.webhooks?.url = "http://127.0.0.1:\(port)/api/v1/payments/webhook"
    }

    /// A webhook body as Razorpay sends it (RAZORPAY.md §5), for a payment of `amount` on `orderID`.
    static func event(_ name: String, orderID: String, paymentID: String = "pay_Test00000000001", amount: Int = 9900,
                      status: String = "captured") -> String {
        let payment: [String: Any] = ["id": paymentID, "entity": "payment", "amount": amount, "currency": "INR", "status": status,
                                      "order_id": orderID, "method": "upi", "captured": status == "captured", "notes": [Any]()]
        let json: [String: Any] = ["entity": "event", "account_id": "acc_Test0000000001", "event": name, "contains": ["payment"],
                                   "payload": ["payment": ["entity": payment]], "created_at": 1_790_000_000]
        return String(decoding: try! JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]), as: UTF8.self)
    }

    /// Headers of a delivery of `body`, signed with `secret`.
    static func webhookHeaders(for body: String, eventID: String?, secret: String = webhookSecret) -> HTTPFields {
        var headers = HTTPFields()
        headers[HTTPField.Name("X-Razorpay-Signature")!] = RazorpaySignature.webhook(body: Data(body.utf8), secret: secret)
        if let eventID { headers[HTTPField.Name("X-Razorpay-Event-Id")!] = eventID }
        return headers
    }
}
