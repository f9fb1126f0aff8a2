import ArgumentParser
import Foundation
import HaatServer
import Hummingbird
import RazorpayFake

/// Razorpay for `haat serve`: in demo mode without keys, test payments through the
/// loopback fake, which says so.
enum PaymentSetup {
    /// Runs `serve` with Razorpay as configured; without payment settings (demo mode, no
    /// keys), beside test payments that `serve`'s configuration points at. `serve` calls
    /// `listening` with the port it listens on, where the test webhooks then go.
    static func serve(_ configuration: ServerConfiguration,
                      _ serve: @escaping @Sendable (ServerConfiguration, _ listening: @escaping @Sendable (Int) -> Void) async throws -> Void) async throws {
        guard configuration.payments == nil else { return try await serve(configuration) { _ in } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            let host = configuration.host
            let started = try await startTestPayments(webhookURL: webhookURL(host: host, port: configuration.port), in: &group)
            var withPayments = configuration
            withPayments.payments = started.settings
            progress("Demo mode: test payments through a local stand-in for Razorpay at \(started.settings.apiBase) (no money moves); "
                + "set RAZORPAY_KEY_ID, RAZORPAY_KEY_SECRET and RAZORPAY_WEBHOOK_SECRET for real ones.")
            let (ready, webhooks) = (withPayments, started.webhooks)
            // With --port 0 the system chooses: the test webhooks are aimed there.
            group.addTask { try await serve(ready) { port in webhooks.url = webhookURL(host: host, port: port) } }
            do {
                try await group.next()
            } catch {
                group.cancelAll()
                throw error
            }
            // Stopped by a signal, which the test payments server heard too.
            try await group.waitForAll()
        }
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
