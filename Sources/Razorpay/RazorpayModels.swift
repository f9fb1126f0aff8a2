import Foundation

/// An order (RAZORPAY.md §2). Amounts in paise. Unknown keys are ignored.
public struct RazorpayOrder: Codable, Sendable, Equatable {
    public let id: String
    public let amount: Int
    public let amountPaid: Int
    public let amountDue: Int
    public let currency: String
    public let receipt: String?
    /// `created`, `attempted` or `paid`.
    public let status: String
    public let attempts: Int
    /// Unix seconds.
    public let createdAt: Int

    enum CodingKeys: String, CodingKey {
        case id, amount, amountPaid = "amount_paid", amountDue = "amount_due", currency, receipt, status, attempts, createdAt = "created_at"
    }

    public init(id: String, amount: Int, amountPaid: Int, amountDue: Int, currency: String, receipt: String?, status: String,
                attempts: Int, createdAt: Int) {
        self.id = id
        self.amount = amount
        self.amountPaid = amountPaid
        self.amountDue = amountDue
        self.currency = currency
        self.receipt = receipt
        self.status = status
        self.attempts = attempts
        self.createdAt = createdAt
    }
}

/// Razorpay's error envelope: `{"error": {"code", "description", "source", "step",
/// "reason", "metadata", "field"}}` (RAZORPAY.md §1).
public struct RazorpayErrorBody: Codable, Sendable, Equatable {
    public struct Detail: Codable, Sendable, Equatable {
        public let code: String
        public let description: String
        public let source: String?
        public let step: String?
        public let reason: String?
        public let field: String?

        public init(code: String, description: String, source: String? = nil, step: String? = nil, reason: String? = nil, field: String? = nil) {
            self.code = code
            self.description = description
            self.source = source
            self.step = step
            self.reason = reason
            self.field = field
        }
    }
    public let error: Detail

    public init(error: Detail) {
        self.error = error
    }
}

/// What can go wrong talking to Razorpay, by what the caller should do about it.
public enum RazorpayError: Error, Sendable, Equatable {
    /// `BAD_REQUEST_ERROR`: the request was wrong; retrying it as is cannot help.
    case badRequest(description: String, field: String?)
    /// The key id or secret was refused (401).
    case authenticationFailed
    /// `GATEWAY_ERROR`: a bank or network problem on Razorpay's side.
    case gateway(description: String)
    /// `SERVER_ERROR` or a 5xx: Razorpay failed; retried where safe, then reported.
    case server(description: String)
    /// No answer (refused, timed out) or an answer that is not Razorpay's JSON.
    case unavailable(String)
}
