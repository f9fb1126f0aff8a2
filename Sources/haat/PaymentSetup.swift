import ArgumentParser
import Foundation
import HaatServer
import Hummingbird
import RazorpayFake

/// Razorpay for `haat serve`: the keys from the environment, required outside demo mode;
/// in demo mode without keys, test payments through the loopback fake, which says so.
enum PaymentSetup {
    static let requiredVariables = ["RAZORPAY_KEY_ID", "RAZORPAY_KEY_SECRET", "RAZORPAY_WEBHOOK_SECRET"]

    /// The settings from the environment, or nil in demo mode when none of the keys is set
    /// (test payments). A key missing outside demo mode is a start-up error naming it.
    static func settings(environment: [String: String], demo: Bool) throws -> PaymentSettings? {
        let values = requiredVariables.map { environment[$0].flatMap { $0.isEmpty ? nil : $0 } }
        let missing = zip(requiredVariables, values).filter { $0.1 == nil }.map(\.0)
        if demo, missing.count == requiredVariables.count { return nil }
        guard missing.isEmpty, let keyID = values[0], let keySecret = values[1], let webhookSecret = values[2] else {
            let list = missing.joined(separator: ", ")
            throw ValidationError("\(list) \(missing.count == 1 ? "is" : "are") not set: Razorpay's key id and key secret are in its Dashboard "
                + "(Account & Settings → API keys), the webhook secret is the one chosen for the webhook to /api/v1/payments/webhook"
                + (demo ? "; or unset all three for test payments" : "; or run with --demo for test payments"))
        }
        let base = environment["RAZORPAY_API_BASE"].flatMap { $0.isEmpty ? nil : $0 } ?? PaymentSettings.razorpayAPIBase
        guard let url = URL(string: base), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw ValidationError("RAZORPAY_API_BASE must be an http(s) URL such as \(PaymentSettings.razorpayAPIBase), not \"\(base)\"")
        }
        return PaymentSettings(apiBase: base, keyID: keyID, keySecret: keySecret, webhookSecret: webhookSecret)
    }

    /// Starts the fake on a free loopback port as a task of `group`, its webhooks posted to
    /// `webhookURL` with a throwaway secret, and returns the settings that point at it.
    /// It stops with `haat serve`, on the same signals.
    static func startTestPayments(webhookURL: String, in group: inout ThrowingTaskGroup<Void, any Error>) async throws
        -> (settings: PaymentSettings, webhooks: FakeWebhooks) {
        let keys = FakeRazorpay.Keys(keyID: "rzp_test_" + randomAlphanumerics(14), keySecret: randomAlphanumerics(32))
        let webhookSecret = randomAlphanumerics(32)
        let webhooks = FakeWebhooks(url: webhookURL, secret: webhookSecret)
        let fake = FakeRazorpay(keys: keys, webhooks: webhooks)
        let listening = AsyncStream<Int>.makeStream()
        let application = fake.application(port: 0) { port in
            listening.continuation.yield(port)
            listening.continuation.finish()
        }
        group.addTask { try await application.runService(gracefulShutdownSignals: [.sigterm, .sigint]) }
        var ports = listening.stream.makeAsyncIterator()
        guard let port = await ports.next() else { throw ValidationError("the test payments server did not start") }
        let base = "http://127.0.0.1:\(port)"
        return (PaymentSettings(apiBase: base, keyID: keys.keyID, keySecret: keys.keySecret, webhookSecret: webhookSecret,
                                checkoutScript: base + "/v1/checkout.js", testMode: true), webhooks)
    }

    /// Where the in-process fake reaches `haat serve`: a wildcard address is reached on loopback.
    static func webhookURL(host: String, port: Int) -> String {
        let reachable = ["0.0.0.0", "::", ""].contains(host) ? "127.0.0.1" : host
        let authority = reachable.contains(":") ? "[\(reachable)]" : reachable
        return "http://\(authority):\(port)/api/v1/payments/webhook"
    }

    private static func randomAlphanumerics(_ count: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
