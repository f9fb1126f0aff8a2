import Foundation
import Hummingbird
import Razorpay

/// A stand-in for Razorpay on loopback that behaves as RAZORPAY.md says the real service
/// does: Basic auth against one key pair, orders with realistic ids and Razorpay's
/// validation errors and error envelope, and a test-only control that plays Checkout
/// (`POST /_test/orders/{id}/pay`). Every request is recorded for assertions. Used by
/// tests and, labelled "test payments", by `make demo` without Razorpay keys.
public final class FakeRazorpay: @unchecked Sendable {
    public struct Keys: Sendable {
        public let keyID: String
        public let keySecret: String
        public init(keyID: String, keySecret: String) {
            self.keyID = keyID
            self.keySecret = keySecret
        }
    }

    public struct RecordedRequest: Sendable {
        public let method: String
        public let path: String
        public let authorization: String?
        public let body: String
    }

    public let keys: Keys
    /// Where payment events go, when set.
    public let webhooks: FakeWebhooks?
    private let lock = NSLock()
    private var orders: [String: [String: Any]] = [:]
    private var payments: [String: [String: Any]] = [:]
    private var paymentsOfOrder: [String: [String]] = [:]
    private var recorded: [RecordedRequest] = []
    private var serverErrorsToInject = 0

    public init(keys: Keys, webhooks: FakeWebhooks? = nil) {
        self.keys = keys
        self.webhooks = webhooks
    }

    public var requests: [RecordedRequest] { lock.withLock { recorded } }

    /// The next `count` API requests answer Razorpay's 500 `SERVER_ERROR`.
    public func injectServerErrors(_ count: Int) { lock.withLock { serverErrorsToInject = count } }

    /// The fake as a Hummingbird application on `host:port` (0: any free port, told to
    /// `onListening`).
    public func application(host: String = "127.0.0.1", port: Int, onListening: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol {
        let router = Router()
        router.post("v1/orders") { request, context in try await self.api(request, context) { body in try self.createOrder(body) } }
        router.get("v1/orders/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            return try await self.api(request, context) { _ in try self.order(id) }
        }
        router.get("v1/orders/:id/payments") { request, context in
            let id = context.parameters.get("id") ?? ""
            return try await self.api(request, context) { _ in
                _ = try self.order(id)
                let items = self.lock.withLock { (self.paymentsOfOrder[id] ?? []).compactMap { self.payments[$0] } }
                return ["entity": "collection", "count": items.count, "items": items]
            }
        }
        router.get("v1/payments/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            return try await self.api(request, context) { _ in
                guard let payment = self.lock.withLock({ self.payments[id] }) else { throw Failure.notFound }
                return payment
            }
        }
        // Checkout in the browser: the stand-in script, and the payment it makes.
        router.get("v1/checkout.js") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/javascript; charset=utf-8", .cacheControl: "no-cache"],
                     body: .init(byteBuffer: ByteBuffer(bytes: Self.checkoutScript)))
        }
        router.post("_test/checkout/pay") { request, _ in
            let body = try await Self.json(request)
            var response = try self.respond {
                // Checkout knows only the public key id, and pays only that merchant's orders.
                guard body["key"] as? String == self.keys.keyID else { throw Failure.authentication }
                return try self.pay(orderID: body["order_id"] as? String ?? "", captured: body["outcome"] as? String != "failed", method: "upi")
            }
            response.headers[.accessControlAllowOrigin] = "*"
            return response
        }
        router.post("_test/orders/:id/pay") { request, context in
            let id = context.parameters.get("id") ?? ""
            let body = try await Self.json(request)
            return try self.respond { try self.pay(orderID: id, captured: (body["outcome"] as? String ?? "captured") == "captured", method: body["method"] as? String ?? "upi") }
        }
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "razorpay-fake"),
                           onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) })
    }

    /// Runs the fake on a free loopback port while `body` runs, handing it the base URL.
    public func whileListening(_ body: (String) async throws -> Void) async throws {
        let listening = AsyncStream<Int>.makeStream()
        let app = application(port: 0) { listening.continuation.yield($0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            defer { group.cancelAll() }
            var ports = listening.stream.makeAsyncIterator()
            guard let port = await ports.next() else { return }
            try await body("http://127.0.0.1:\(port)")
        }
    }

    // MARK: The API

    enum Failure: Error {
        case authentication
        case badRequest(String, field: String?, reason: String)
        case notFound
        case server
    }

    private func api(_ request: Request, _ context: BasicRequestContext, _ handle: ([String: Any]) throws -> [String: Any]) async throws -> Response {
        let raw = try await request.body.collect(upTo: 1 << 20)
        let text = String(buffer: raw)
        let authorization = request.headers[.authorization]
        let injected = lock.withLock {
            recorded.append(RecordedRequest(method: request.method.rawValue, path: request.uri.path, authorization: authorization, body: text))
            if serverErrorsToInject > 0 { serverErrorsToInject -= 1; return true }
            return false
        }
        return try respond {
            guard authorization == "Basic " + Data("\(keys.keyID):\(keys.keySecret)".utf8).base64EncodedString() else { throw Failure.authentication }
            if injected { throw Failure.server }
            var body: [String: Any] = [:]
            if !text.isEmpty {
                guard let parsed = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
                    throw Failure.badRequest("The request body is not valid JSON.", field: nil, reason: "input_validation_failed")
                }
                body = parsed
            }
            return try handle(body)
        }
    }

    private func respond(_ make: () throws -> [String: Any]) throws -> Response {
        do {
            return try Self.response(.ok, make())
        } catch let failure as Failure {
            switch failure {
            case .authentication:
                return try Self.response(.unauthorized, Self.envelope("BAD_REQUEST_ERROR", "Authentication failed", source: "NA", step: "NA", reason: "NA"))
            case .badRequest(let description, let field, let reason):
                return try Self.response(.badRequest, Self.envelope("BAD_REQUEST_ERROR", description, source: "business", step: "payment_initiation",
                                                                    reason: reason, field: field))
            case .notFound:
                return try Self.response(.badRequest, Self.envelope("BAD_REQUEST_ERROR", "The id provided does not exist", source: "business",
                                                                    step: "payment_initiation", reason: "input_validation_failed"))
            case .server:
                return try Self.response(.internalServerError, ["error": ["code": "SERVER_ERROR", "description":
                    "The server encountered an error. The incident has been reported to admins.", "metadata": [String: Any]()]])
            }
        }
    }

    static func envelope(_ code: String, _ description: String, source: String, step: String, reason: String, field: String? = nil) -> [String: Any] {
        var detail: [String: Any] = ["code": code, "description": description, "source": source, "step": step, "reason": reason,
                                     "metadata": [String: Any]()]
        if let field { detail["field"] = field }
        return ["error": detail]
    }

    static func response(_ status: HTTPResponse.Status, _ json: [String: Any]) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func json(_ request: Request) async throws -> [String: Any] {
        let raw = try await request.body.collect(upTo: 1 << 16)
        return (try? JSONSerialization.jsonObject(with: Data(buffer: raw))) as? [String: Any] ?? [:]
    }

    // MARK: Orders and payments

    private static let allowedOrderFields: Set<String> = ["amount", "currency", "receipt", "notes", "partial_payment", "first_payment_min_amount"]

    private func createOrder(_ body: [String: Any]) throws -> [String: Any] {
        if let extra = body.keys.sorted().first(where: { !Self.allowedOrderFields.contains($0) }) {
            throw Failure.badRequest("\(extra) is/are not required and should not be sent", field: extra, reason: "extra_field_sent")
        }
        guard let rawAmount = body["amount"] else { throw Failure.badRequest("amount: is required.", field: "amount", reason: "input_validation_failed") }
        guard !(rawAmount is Bool), let amount = rawAmount as? Int else {
            throw Failure.badRequest("The amount must be an integer.", field: "amount", reason: "input_validation_failed")
        }
        guard let currency = body["currency"] as? String else {
            throw Failure.badRequest("currency: is required.", field: "currency", reason: "input_validation_failed")
        }
        guard currency.count == 3 else { throw Failure.badRequest("The currency is invalid.", field: "currency", reason: "input_validation_failed") }
        if currency == "INR", amount < 100 {
            throw Failure.badRequest("The amount must be at least INR 1.00", field: "amount", reason: "input_validation_failed")
        }
        let receipt = body["receipt"] as? String
        if let receipt, receipt.count > 40 {
            throw Failure.badRequest("The receipt may not be greater than 40 characters.", field: "receipt", reason: "input_validation_failed")
        }
        let notes = body["notes"] as? [String: Any] ?? [:]
        guard notes.count <= 15 else { throw Failure.badRequest("The notes may not have more than 15 items.", field: "notes", reason: "input_validation_failed") }
        let order: [String: Any] = [
            "id": Self.newID("order"), "entity": "order", "amount": amount, "amount_paid": 0, "amount_due": amount, "currency": currency,
            "receipt": receipt ?? NSNull(), "offer_id": NSNull(), "status": "created", "attempts": 0,
            "notes": notes.isEmpty ? [Any]() as Any : notes, "created_at": Int(Date().timeIntervalSince1970),
        ]
        lock.withLock { orders[order["id"] as! String] = order }
        return order
    }

    private func order(_ id: String) throws -> [String: Any] {
        guard let order = lock.withLock({ orders[id] }) else { throw Failure.notFound }
        return order
    }

    /// Plays Checkout: a payment on the order, captured (auto-capture) or failed. Returns
    /// what the browser's handler gets, or the `payment.failed` error object. Tests call it
    /// directly or through `POST /_test/orders/{id}/pay`.
    public func pay(orderID: String, captured: Bool, method: String = "upi") throws -> [String: Any] {
        try lock.withLock {
            guard var order = orders[orderID] else { throw Failure.notFound }
            guard order["status"] as? String != "paid" else {
                throw Failure.badRequest("This order has already been paid.", field: nil, reason: "input_validation_failed")
            }
            let amount = order["amount"] as! Int
            let paymentID = Self.newID("pay")
            payments[paymentID] = [
                "id": paymentID, "entity": "payment", "amount": amount, "currency": order["currency"]!, "status": captured ? "captured" : "failed",
                "order_id": orderID, "method": method, "captured": captured, "email": "customer@example.com", "contact": "+919876543210",
                "notes": [Any](), "fee": captured ? amount / 50 : NSNull(), "tax": captured ? 0 : NSNull(),
                "error_code": captured ? NSNull() : "BAD_REQUEST_ERROR", "error_description": captured ? NSNull() : "Payment failed",
                "created_at": Int(Date().timeIntervalSince1970),
            ]
            paymentsOfOrder[orderID, default: []].append(paymentID)
            order["attempts"] = (order["attempts"] as! Int) + 1
            order["status"] = captured ? "paid" : "attempted"
            if captured { order["amount_paid"] = amount; order["amount_due"] = 0 }
            orders[orderID] = order
            webhooks?.paymentEvents(payment: payments[paymentID]!, order: order, captured: captured)
            guard captured else {
                return ["error": ["code": "BAD_REQUEST_ERROR", "description": "Payment failed", "source": "bank", "step": "payment_authorization",
                                  "reason": "payment_failed", "metadata": ["order_id": orderID, "payment_id": paymentID]]]
            }
            return ["razorpay_payment_id": paymentID, "razorpay_order_id": orderID,
                    "razorpay_signature": RazorpaySignature.payment(orderID: orderID, paymentID: paymentID, keySecret: keys.keySecret)]
        }
    }

    /// The stand-in for Razorpay's checkout.js (`GET /v1/checkout.js`).
    static let checkoutScript: Data = {
        guard let url = Bundle.module.url(forResource: "checkout", withExtension: "js"), let data = try? Data(contentsOf: url) else {
            return Data("console.error('razorpay-fake: checkout.js is missing from the bundle');".utf8)
        }
        return data
    }()

    /// `prefix_` + 14 alphanumerics, as Razorpay's ids look.
    static func newID(_ prefix: String) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return prefix + "_" + String((0..<14).map { _ in alphabet.randomElement()! })
    }
}
