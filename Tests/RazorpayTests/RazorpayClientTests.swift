import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import Razorpay
import RazorpayFake
import Testing

/// The Razorpay client against the loopback fake over real HTTP, and the signatures
/// against values computed independently.
struct RazorpayClientTests {
    static let keys = FakeRazorpay.Keys(keyID: "rzp_test_ClientTests001", keySecret: "client-tests-secret")

    /// Runs `body` with the fake listening on a free port.
    static func withFake(_ body: @escaping @Sendable (FakeRazorpay, String) async throws -> Void) async throws {
        let fake = FakeRazorpay(keys: keys)
        try await fake.whileListening { base in try await body(fake, base) }
    }

    @Test func ordersAreCreatedAndFetchedWithBasicAuth() async throws {
        try await Self.withFake { fake, base in
            let client = RazorpayClient(baseURL: base, keyID: Self.keys.keyID, keySecret: Self.keys.keySecret)
            let order = try await client.createOrder(amountPaise: 9900, receipt: "haat-1", notes: ["plan": "month"])
            #expect(order.id.hasPrefix("order_") && order.id.count == 20)
            #expect(order.amount == 9900 && order.amountDue == 9900 && order.amountPaid == 0 && order.status == "created")
            #expect(order.currency == "INR" && order.receipt == "haat-1" && order.attempts == 0)
            #expect(try await client.fetchOrder(id: order.id) == order)
            let sent = try #require(fake.requests.first { $0.method == "POST" })
            #expect(sent.authorization == "Basic " + Data("\(Self.keys.keyID):\(Self.keys.keySecret)".utf8).base64EncodedString())
            #expect(sent.method == "POST" && sent.path == "/v1/orders" && sent.body.contains("\"amount\":9900"))
        }
    }

    @Test func razorpaysErrorsBecomeTypedErrors() async throws {
        try await Self.withFake { _, base in
            let client = RazorpayClient(baseURL: base, keyID: Self.keys.keyID, keySecret: Self.keys.keySecret)
            await #expect(throws: RazorpayError.badRequest(description: "The amount must be at least INR 1.00", field: "amount")) {
                try await client.createOrder(amountPaise: 50, receipt: nil)
            }
            await #expect(throws: RazorpayError.badRequest(description: "The receipt may not be greater than 40 characters.", field: "receipt")) {
                try await client.createOrder(amountPaise: 100, receipt: String(repeating: "r", count: 41))
            }
            await #expect(throws: RazorpayError.badRequest(description: "The id provided does not exist", field: nil)) {
                try await client.fetchOrder(id: "order_DoesNotExist00")
            }
            let wrongKey = RazorpayClient(baseURL: base, keyID: Self.keys.keyID, keySecret: "not the secret")
            await #expect(throws: RazorpayError.authenticationFailed) { try await wrongKey.createOrder(amountPaise: 9900, receipt: nil) }
            let nobody = RazorpayClient(baseURL: "http://127.0.0.1:9", keyID: "k", keySecret: "s", timeout: .seconds(2), readAttempts: 1)
            await #expect { try await nobody.fetchOrder(id: "order_x") } throws: { error in
                if case .unavailable = error as? RazorpayError { return true }
                return false
            }
        }
    }

    @Test func readsAreRetriedOnServerErrorsAndCreatesAreNot() async throws {
        try await Self.withFake { fake, base in
            let client = RazorpayClient(baseURL: base, keyID: Self.keys.keyID, keySecret: Self.keys.keySecret)
            let order = try await client.createOrder(amountPaise: 19900, receipt: nil)
            fake.injectServerErrors(2)
            #expect(try await client.fetchOrder(id: order.id) == order, "two server errors, then the read succeeds")
            fake.injectServerErrors(1)
            await #expect(throws: RazorpayError.server(description: "The server encountered an error. The incident has been reported to admins.")) {
                try await client.createOrder(amountPaise: 19900, receipt: nil)
            }
            let creates = fake.requests.filter { $0.method == "POST" && $0.path == "/v1/orders" }
            #expect(creates.count == 2, "a failed create is not sent again: it might have made an order")
        }
    }

    @Test func checkoutsSignatureVerifies() async throws {
        try await Self.withFake { _, base in
            let client = RazorpayClient(baseURL: base, keyID: Self.keys.keyID, keySecret: Self.keys.keySecret)
            let order = try await client.createOrder(amountPaise: 9900, receipt: nil)
            var request = URLRequest(url: URL(string: base + "/_test/orders/\(order.id)/pay")!)
            request.httpMethod = "POST"
            request.httpBody = Data(#"{"outcome":"captured"}"#.utf8)
            let (data, _) = try await URLSession.shared.data(for: request)
            let handed = try #require(try JSONSerialization.jsonObject(with: data) as? [String: String])
            let paymentID = try #require(handed["razorpay_payment_id"]), signature = try #require(handed["razorpay_signature"])
            #expect(handed["razorpay_order_id"] == order.id && paymentID.hasPrefix("pay_"))
            #expect(RazorpaySignature.isValidPayment(orderID: order.id, paymentID: paymentID, signature: signature, keySecret: Self.keys.keySecret))
            #expect(!RazorpaySignature.isValidPayment(orderID: "order_Other000000000", paymentID: paymentID, signature: signature, keySecret: Self.keys.keySecret))
            #expect(!RazorpaySignature.isValidPayment(orderID: order.id, paymentID: paymentID, signature: signature, keySecret: "another secret"))
            let paid = try await client.fetchOrder(id: order.id)
            #expect(paid.status == "paid" && paid.amountPaid == 9900 && paid.amountDue == 0 && paid.attempts == 1)
        }
    }

    @Test func signaturesMatchAnIndependentComputation() {
        // openssl: printf 'order_A|pay_B' | openssl dgst -sha256 -hmac secret
        #expect(RazorpaySignature.payment(orderID: "order_A", paymentID: "pay_B", keySecret: "secret")
                == "64302fe866b18d796052d1dcbf300cf4e855f198ec279dadef68c28610dd4844")
        let body = Data(#"{"event":"payment.captured"}"#.utf8)
        let signature = RazorpaySignature.webhook(body: body, secret: "whsec")
        #expect(signature.count == 64 && signature == signature.lowercased())
        #expect(RazorpaySignature.isValidWebhook(body: body, signature: signature, secret: "whsec"))
        #expect(!RazorpaySignature.isValidWebhook(body: body + Data(" ".utf8), signature: signature, secret: "whsec"), "one byte more")
        #expect(!RazorpaySignature.isValidWebhook(body: body, signature: signature.uppercased(), secret: "whsec"), "hex is lowercase")
        #expect(!RazorpaySignature.isValidWebhook(body: body, signature: String(signature.dropLast()), secret: "whsec"))
        #expect(!RazorpaySignature.isValidWebhook(body: body, signature: "", secret: "whsec"))
    }
}
