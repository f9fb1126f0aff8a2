import Foundation
import Hummingbird
import RazorpayFake

// `razorpay-fake`: the loopback stand-in for Razorpay (test payments only).
// RAZORPAY_FAKE_PORT (default 8099), RAZORPAY_KEY_ID, RAZORPAY_KEY_SECRET, and where to
// post payment events: RAZORPAY_FAKE_WEBHOOK_URL with RAZORPAY_WEBHOOK_SECRET.
let environment = ProcessInfo.processInfo.environment
let keys = FakeRazorpay.Keys(keyID: environment["RAZORPAY_KEY_ID"] ?? "rzp_test_HaatDemoKey0001",
                             keySecret: environment["RAZORPAY_KEY_SECRET"] ?? "haat-demo-test-secret")
let port = Int(environment["RAZORPAY_FAKE_PORT"] ?? "") ?? 8099
print("razorpay-fake (test payments, not Razorpay) on http://127.0.0.1:\(port), key \(keys.keyID)")
let webhooks = environment["RAZORPAY_FAKE_WEBHOOK_URL"].map {
    FakeWebhooks(url: $0, secret: environment["RAZORPAY_WEBHOOK_SECRET"] ?? "haat-demo-webhook-secret")
}
try await FakeRazorpay(keys: keys, webhooks: webhooks).application(port: port).runService()
