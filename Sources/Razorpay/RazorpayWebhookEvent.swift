import Foundation

/// A webhook delivery's body (RAZORPAY.md §5), read after its signature was checked over
/// the raw bytes: the event's name and, for payment and order events, the payment it
/// reports (`payload.payment.entity`). Unknown keys are ignored; key order does not matter.
public struct RazorpayWebhookEvent: Decodable, Sendable, Equatable {
    /// `payment.captured`, `order.paid`, `payment.failed`, …
    public let event: String
    public let payment: Payment?

    /// The payment entity's fields a merchant acts on.
    public struct Payment: Decodable, Sendable, Equatable {
        public let id: String
        /// In the currency's subunit (paise).
        public let amount: Int
        public let currency: String
        /// `created`, `authorized`, `captured`, `refunded` or `failed`.
        public let status: String
        public let orderID: String?

        enum CodingKeys: String, CodingKey { case id, amount, currency, status, orderID = "order_id" }
    }

    private enum CodingKeys: String, CodingKey { case event, payload }
    private struct Payload: Decodable { let payment: Entity? }
    private struct Entity: Decodable { let entity: Payment }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        event = try container.decode(String.self, forKey: .event)
        payment = try container.decodeIfPresent(Payload.self, forKey: .payload)?.payment?.entity
    }

    public static func parse(_ body: Data) throws -> RazorpayWebhookEvent {
        try JSONDecoder().decode(RazorpayWebhookEvent.self, from: body)
    }
}
