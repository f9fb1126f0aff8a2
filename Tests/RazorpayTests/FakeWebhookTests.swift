import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import Razorpay
import RazorpayFake
import Testing

/// The fake's webhooks, received by a real HTTP endpoint: signed over the exact bytes,
/// one id per event kept on redelivery, retried after failures, out of order on demand.
struct FakeWebhookTests {
    static let secret = "webhook-tests-secret"

    /// A receiver that records every delivery and fails the first `failures` of them.
    final class Receiver: @unchecked Sendable {
        struct Delivery { let eventID: String; let signature: String; let body: Data }
        private let lock = NSLock()
        private var received: [Delivery] = []
        var failures: Int
        init(failures: Int) { self.failures = failures }
        var deliveries: [Delivery] { lock.withLock { received } }

        func application(onListening: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
            let router = Router()
            router.post("hook") { request, _ -> Response in
                let body = try await request.body.collect(upTo: 1 << 20)
                let fail = self.lock.withLock { () -> Bool in
                    self.received.append(Delivery(eventID: request.headers[.init("X-Razorpay-Event-Id")!] ?? "",
                                                  signature: request.headers[.init("X-Razorpay-Signature")!] ?? "",
                                                  body: Data(body.readableBytesView)))
                    if self.failures > 0 { self.failures -= 1; return true }
                    return false
                }
                return Response(status: fail ? .internalServerError : .ok)
            }
            return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                               onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) })
        }
    }

    /// A receiver and the fake (webhooks to the receiver), both listening; then `body`.
    static func withFakeAndReceiver(failures: Int = 0, outOfOrder: Bool = false,
                                    _ body: @escaping @Sendable (FakeRazorpay, FakeWebhooks, Receiver, RazorpayClient, String) async throws -> Void) async throws {
        let receiver = Receiver(failures: failures)
        let receiverListening = AsyncStream<Int>.makeStream()
        let receiverApp = receiver.application { receiverListening.continuation.yield($0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await receiverApp.runService(gracefulShutdownSignals: []) }
            defer { group.cancelAll() }
            var receiverPorts = receiverListening.stream.makeAsyncIterator()
            let receiverPort = try #require(await receiverPorts.next())
            let webhooks = FakeWebhooks(url: "http://127.0.0.1:\(receiverPort)/hook", secret: secret, retryDelay: .milliseconds(50))
            webhooks.outOfOrder = outOfOrder
            let fake = FakeRazorpay(keys: RazorpayClientTests.keys, webhooks: webhooks)
            try await fake.whileListening { base in
                let client = RazorpayClient(baseURL: base, keyID: RazorpayClientTests.keys.keyID, keySecret: RazorpayClientTests.keys.keySecret)
                try await body(fake, webhooks, receiver, client, base)
            }
        }
    }

    static func pay(_ base: String, _ orderID: String, outcome: String = "captured") async throws {
        var request = URLRequest(url: URL(string: base + "/_test/orders/\(orderID)/pay")!)
        request.httpMethod = "POST"
        request.httpBody = Data(#"{"outcome":"\#(outcome)"}"#.utf8)
        _ = try await URLSession.shared.data(for: request)
    }

    static func waitFor(_ condition: () -> Bool) async throws {
        for _ in 0..<100 where !condition() { try await Task.sleep(for: .milliseconds(30)) }
    }

    static func eventName(_ body: Data) -> String? {
        (try? JSONSerialization.jsonObject(with: body) as? [String: Any])?["event"] as? String
    }

    @Test func aPaymentSendsSignedEventsThatAreRedeliveredByteForByte() async throws {
        try await Self.withFakeAndReceiver { _, webhooks, receiver, client, base in
            let order = try await client.createOrder(amountPaise: 9900, receipt: nil)
            try await Self.pay(base, order.id)
            try await Self.waitFor { receiver.deliveries.count >= 2 }
            let deliveries = receiver.deliveries
            #expect(deliveries.map { Self.eventName($0.body) } == ["payment.captured", "order.paid"])
            for delivery in deliveries {
                #expect(RazorpaySignature.isValidWebhook(body: delivery.body, signature: delivery.signature, secret: Self.secret))
                #expect(delivery.eventID.hasPrefix("evt_"))
            }
            #expect(Set(deliveries.map(\.eventID)).count == 2)
            let paid = try #require(try JSONSerialization.jsonObject(with: deliveries[1].body) as? [String: Any])
            let orderEntity = ((paid["payload"] as? [String: Any])?["order"] as? [String: Any])?["entity"] as? [String: Any]
            #expect(orderEntity?["id"] as? String == order.id && orderEntity?["status"] as? String == "paid")

            await webhooks.redeliver(deliveries[0].eventID)
            let again = try #require(receiver.deliveries.last)
            #expect(again.eventID == deliveries[0].eventID && again.body == deliveries[0].body && again.signature == deliveries[0].signature)
        }
    }

    @Test func failedDeliveriesAreRetriedAndFailuresAndBadSignaturesHappenOnDemand() async throws {
        try await Self.withFakeAndReceiver(failures: 2, outOfOrder: true) { _, webhooks, receiver, client, base in
            let order = try await client.createOrder(amountPaise: 9900, receipt: nil)
            try await Self.pay(base, order.id)
            try await Self.waitFor { receiver.deliveries.count >= 4 && webhooks.attempts.count >= 4 }
            let names = receiver.deliveries.map { Self.eventName($0.body) }
            #expect(names == ["order.paid", "order.paid", "order.paid", "payment.captured"], "out of order, the first retried twice")
            #expect(webhooks.attempts.map(\.status) == [500, 500, 200, 200])

            let failing = try await client.createOrder(amountPaise: 19900, receipt: nil)
            webhooks.signNextEventBadly()
            try await Self.pay(base, failing.id, outcome: "failed")
            try await Self.waitFor { receiver.deliveries.count >= 5 }
            let failed = try #require(receiver.deliveries.last)
            #expect(Self.eventName(failed.body) == "payment.failed")
            #expect(!RazorpaySignature.isValidWebhook(body: failed.body, signature: failed.signature, secret: Self.secret))
        }
    }
}
