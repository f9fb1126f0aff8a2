import AsyncHTTPClient
import Foundation
import NIOCore
import Razorpay

/// The fake's webhooks (RAZORPAY.md §5, §7.5–6): events POSTed to a configured URL, signed
/// with the webhook secret over the exact bytes sent, with `X-Razorpay-Event-Id`. A
/// non-2xx answer or no answer within 5 s is retried with back-off; every attempt is
/// recorded. Tests can redeliver an event (same id, same bytes), send events out of order,
/// or sign one badly.
public final class FakeWebhooks: @unchecked Sendable {
    public struct Attempt: Sendable, Equatable {
        public let eventID: String
        public let event: String
        /// The HTTP status answered, or nil when there was no answer.
        public let status: Int?
    }

    struct Event: Sendable {
        let id: String
        let name: String
        let body: Data
    }

    private var currentURL: String
    let secret: String
    let retryDelay: Duration
    let maximumAttempts: Int
    private let lock = NSLock()
    private var events: [String: Event] = [:]
    private var recorded: [Attempt] = []
    private var signNextBadly = false
    /// Send `order.paid` before `payment.captured` (Razorpay does not promise an order).
    public var outOfOrder = false

    public init(url: String, secret: String, retryDelay: Duration = .milliseconds(200), maximumAttempts: Int = 5) {
        currentURL = url
        self.secret = secret
        self.retryDelay = retryDelay
        self.maximumAttempts = maximumAttempts
    }

    public var attempts: [Attempt] { lock.withLock { recorded } }

    /// Where events are posted; a test sets it once its server's port is known.
    public var url: String {
        get { lock.withLock { currentURL } }
        set { lock.withLock { currentURL = newValue } }
    }

    /// The next event goes out with a signature that does not match its body.
    public func signNextEventBadly() { lock.withLock { signNextBadly = true } }

    /// Sends event `id` again, byte for byte, with the same id (as Razorpay's redelivery).
    public func redeliver(_ id: String) async {
        guard let event = lock.withLock({ events[id] }) else { return }
        await deliver(event, signature: RazorpaySignature.webhook(body: event.body, secret: secret))
    }

    /// The events of a payment: `payment.captured` and `order.paid`, or `payment.failed`.
    func paymentEvents(payment: [String: Any], order: [String: Any], captured: Bool) {
        let now = Int(Date().timeIntervalSince1970)
        func envelope(_ name: String, _ payload: [String: Any]) -> Event {
            let json: [String: Any] = ["entity": "event", "account_id": "acc_HaatFake000001", "event": name,
                                       "contains": Array(payload.keys).sorted(), "payload": payload, "created_at": now]
            let body = (try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])) ?? Data()
            return Event(id: FakeRazorpay.newID("evt"), name: name, body: body)
        }
        var batch: [Event]
        if captured {
            batch = [envelope("payment.captured", ["payment": ["entity": payment]]),
                     envelope("order.paid", ["payment": ["entity": payment], "order": ["entity": order]])]
            if outOfOrder { batch.reverse() }
        } else {
            batch = [envelope("payment.failed", ["payment": ["entity": payment]])]
        }
        lock.withLock { for event in batch { events[event.id] = event } }
        Task {
            for event in batch {
                let bad = lock.withLock { defer { signNextBadly = false }; return signNextBadly }
                let signature = bad ? String(repeating: "0", count: 64) : RazorpaySignature.webhook(body: event.body, secret: secret)
                await deliverWithRetries(event, signature: signature)
            }
        }
    }

    private func deliverWithRetries(_ event: Event, signature: String) async {
        var wait = retryDelay
        for _ in 0..<maximumAttempts {
            if await deliver(event, signature: signature) { return }
            try? await Task.sleep(for: wait)
            wait = wait * 2
        }
    }

    /// One POST; whether it was answered with a 2xx.
    @discardableResult
    private func deliver(_ event: Event, signature: String) async -> Bool {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "X-Razorpay-Signature", value: signature)
        request.headers.add(name: "X-Razorpay-Event-Id", value: event.id)
        request.body = .bytes(ByteBuffer(bytes: event.body))
        var status: Int?
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
            _ = try? await response.body.collect(upTo: 1 << 16)
            status = Int(response.status.code)
        } catch {
            status = nil
        }
        lock.withLock { recorded.append(Attempt(eventID: event.id, event: event.name, status: status)) }
        return status.map { (200..<300).contains($0) } ?? false
    }
}
