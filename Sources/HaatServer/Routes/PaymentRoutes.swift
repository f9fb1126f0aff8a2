import Foundation
import HaatCore
import HaatStore
import HTTPTypes
import Hummingbird
import Logging
import Razorpay

/// Plans bought through Razorpay (API.md "Payments"): `POST /payments/orders` creates an
/// order for Checkout, `POST /payments/verify` takes Checkout's signed result, and
/// `POST /payments/webhook` takes Razorpay's own report, which arrives even when the
/// browser window was closed. However many of these report one payment, the store grants
/// its plan once.
struct PaymentRoutes: Sendable {
    let store: any HaatStore
    let authenticator: Authenticator
    let limiter: any RequestLimiter
    let configuration: ServerConfiguration
    let logger: Logger
    private let razorpay: RazorpayClient?

    init(store: any HaatStore, authenticator: Authenticator, limiter: any RequestLimiter, configuration: ServerConfiguration, logger: Logger) {
        self.store = store
        self.authenticator = authenticator
        self.limiter = limiter
        self.configuration = configuration
        self.logger = logger
        razorpay = configuration.payments.map { RazorpayClient(baseURL: $0.apiBase, keyID: $0.keyID, keySecret: $0.keySecret,
                                                                 timeout: .milliseconds(Int64($0.requestTimeout * 1000))) }
    }

    struct OrderRequest: Decodable {
        let planId: String?
        enum CodingKeys: String, CodingKey { case planId = "plan_id" }
    }

    /// API.md's order, plus (additively) what the browser needs to open Checkout.
    struct OrderBody: Encodable {
        let orderId: String
        let amountPaise: Int
        let currency: String
        let keyId: String
        let planId: String
        let checkoutScript: String
        let testMode: Bool
        enum CodingKeys: String, CodingKey {
            case orderId = "order_id", amountPaise = "amount_paise", currency, keyId = "key_id", planId = "plan_id",
                 checkoutScript = "checkout_script", testMode = "test_mode"
        }
    }

    /// Exactly what Checkout hands the browser's handler.
    struct VerifyRequest: Decodable {
        let orderID: String?
        let paymentID: String?
        let signature: String?
        enum CodingKeys: String, CodingKey { case orderID = "razorpay_order_id", paymentID = "razorpay_payment_id", signature = "razorpay_signature" }
    }

    struct VerifyBody: Encodable {
        let subscription: SubscriptionBody
    }

    struct WebhookBody: Encodable {
        let status = "ok"
        let outcome: String
    }

    static let signatureHeader = HTTPField.Name("X-Razorpay-Signature")!
    static let eventIDHeader = HTTPField.Name("X-Razorpay-Event-Id")!

    func register(on router: APIRouter) {
        router.on(.post, "payments/orders", use: createOrder)
        router.on(.post, "payments/verify", use: verify)
        router.on(.post, "payments/webhook", use: webhook)
    }

    @Sendable func createOrder(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let account = try await authenticator.account(for: request)
        let body = try await JSONResponse.decode(OrderRequest.self, from: request, context: context)
        guard let plan = configuration.plans.first(where: { $0.id.rawValue == body.planId }) else {
            let known = configuration.plans.map(\.id.rawValue).joined(separator: ", ")
            throw APIError.validation("plan_id must be one of the plans of GET /plans (\(known.isEmpty ? "none are on sale" : known))")
        }
        let (settings, razorpay) = try gateway()
        let limits = configuration.rateLimits
        if let wait = try await limiter.hit("order:\(account.id)", limit: limits.limit(limits.ordersPerAccount, per: limits.orderWindow)) {
            throw APIError.rateLimited(retryAfter: wait)
        }
        let order: RazorpayOrder
        do {
            order = try await razorpay.createOrder(amountPaise: plan.amount.paise, currency: "INR", receipt: Self.receipt(),
                                                   notes: ["account_id": account.id, "plan_id": plan.id.rawValue])
        } catch {
            logger.error("Razorpay did not create an order for plan \(plan.id): \(error)")
            throw APIError.badGateway("Razorpay could not create the order just now: nothing was charged. Please try again in a minute.")
        }
        guard order.amount == plan.amount.paise, order.currency == "INR" else {
            logger.error("Razorpay answered order \(order.id) with \(order.amount) \(order.currency), not the plan's \(plan.amount.paise) INR")
            throw APIError.badGateway("Razorpay answered with an order for a different amount: nothing was charged.")
        }
        try await store.recordPaymentOrder(PaymentOrder(id: order.id, accountID: account.id, planID: plan.id.rawValue, amountPaise: order.amount,
                                                        currency: order.currency, periodDays: plan.periodDays, createdAt: Date()))
        return try JSONResponse.make(OrderBody(orderId: order.id, amountPaise: order.amount, currency: order.currency, keyId: settings.keyID,
                                               planId: plan.id.rawValue, checkoutScript: settings.checkoutScript, testMode: settings.testMode),
                                     status: .created)
    }

    @Sendable func verify(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let account = try await authenticator.account(for: request)
        let body = try await JSONResponse.decode(VerifyRequest.self, from: request, context: context)
        let missing = [("razorpay_order_id", body.orderID), ("razorpay_payment_id", body.paymentID), ("razorpay_signature", body.signature)]
            .filter { $0.1?.isEmpty ?? true }.map(\.0)
        guard missing.isEmpty, let orderID = body.orderID, let paymentID = body.paymentID, let signature = body.signature else {
            throw APIError.validation("\(missing.joined(separator: ", ")) must be given, as Razorpay Checkout hands them to its handler")
        }
        let (settings, _) = try gateway()
        // Another account's order is not confirmed to exist.
        guard let order = try await store.paymentOrder(id: orderID), order.accountID == account.id else {
            throw APIError.notFound("You have no order \(orderID).")
        }
        // Signed over the order id Haat stored, never one the browser could choose.
        guard RazorpaySignature.isValidPayment(orderID: order.id, paymentID: paymentID, signature: signature, keySecret: settings.keySecret) else {
            throw APIError.invalidSignature("razorpay_signature does not sign this order and payment: nothing was changed.")
        }
        let report = PaymentReport(source: .checkout, kind: .captured, orderID: order.id, paymentID: paymentID,
                                   amountPaise: order.amountPaise, currency: order.currency)
        switch try await store.recordPayment(report, now: Date()) {
        case .granted(let subscription), .alreadyGranted(let subscription?):
            return try JSONResponse.make(VerifyBody(subscription: SubscriptionBody(subscription)))
        case let outcome:
            logger.error("verify of \(order.id) / \(paymentID) ended \(outcome.name)")
            throw APIError(.conflict, code: "conflict", message: "This payment could not be applied to your account; nothing was changed.")
        }
    }

    /// Razorpay's webhook: the signature is checked over the exact bytes received, before
    /// anything is parsed. Any 2xx tells Razorpay to stop retrying, so events Haat does not
    /// act on (an unknown order, another event type) answer 200 too.
    @Sendable func webhook(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let (settings, _) = try gateway()
        let raw = try await request.body.collect(upTo: context.maxUploadSize)
        guard let signature = request.headers[Self.signatureHeader],
              RazorpaySignature.isValidWebhook(body: raw.readableBytesView, signature: signature, secret: settings.webhookSecret) else {
            throw APIError.invalidSignature("X-Razorpay-Signature does not sign this body with the webhook secret: nothing was changed.")
        }
        guard let eventID = request.headers[Self.eventIDHeader], !eventID.isEmpty, eventID.count <= 200 else {
            throw APIError.badRequest("X-Razorpay-Event-Id is missing: Razorpay sends one with every event.")
        }
        guard let event = try? RazorpayWebhookEvent.parse(Data(buffer: raw)) else {
            throw APIError.badRequest("The body is not a Razorpay event (an object with \"event\" and \"payload\").")
        }
        let payment = event.payment
        let kind: PaymentReport.Kind
        switch event.event {
        case "payment.captured", "order.paid": kind = payment?.status == "captured" ? .captured : .ignored
        case "payment.failed": kind = .failed
        default: kind = .ignored
        }
        let outcome = try await store.recordPayment(
            PaymentReport(source: .webhook(eventID: eventID, event: event.event), kind: kind, orderID: payment?.orderID, paymentID: payment?.id,
                          amountPaise: payment?.amount, currency: payment?.currency),
            now: Date())
        if outcome == .amountMismatch {
            logger.warning("webhook \(eventID): payment \(payment?.id ?? "?") does not match its order's amount; nothing granted")
        }
        return try JSONResponse.make(WebhookBody(outcome: outcome.name))
    }

    /// A unique receipt (Razorpay allows 40 characters) to find the order in its Dashboard.
    static func receipt() -> String {
        "haat-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }

    /// Razorpay's settings and client, or 502 when this server has none.
    private func gateway() throws -> (PaymentSettings, RazorpayClient) {
        guard let settings = configuration.payments, let razorpay else {
            throw APIError.badGateway("Payments are not set up on this server (RAZORPAY_KEY_ID and friends): nothing was charged.")
        }
        return (settings, razorpay)
    }
}
