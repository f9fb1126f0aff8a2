import Foundation

/// An order Haat created through Razorpay for one account and one plan. The plan's price
/// and period are copied in: a later change of site.yml does not change what a paid
/// order buys.
public struct PaymentOrder: Hashable, Sendable {
    /// Razorpay's order id (`order_…`).
    public let id: String
    public let accountID: String
    public let planID: String
    public let amountPaise: Int
    public let currency: String
    public let periodDays: Int
    public let createdAt: Date

    public init(id: String, accountID: String, planID: String, amountPaise: Int, currency: String, periodDays: Int, createdAt: Date) {
        self.id = id
        self.accountID = accountID
        self.planID = planID
        self.amountPaise = amountPaise
        self.currency = currency
        self.periodDays = periodDays
        self.createdAt = createdAt
    }
}

/// One report of a payment: the browser's Checkout result (its signature already
/// checked) or one of Razorpay's webhook events (its signature already checked).
public struct PaymentReport: Sendable {
    public enum Source: Sendable, Equatable {
        /// `POST /payments/verify`.
        case checkout
        /// `POST /payments/webhook`: the event's `X-Razorpay-Event-Id` and its name.
        case webhook(eventID: String, event: String)
    }

    /// What the report says happened to the payment.
    public enum Kind: String, Sendable {
        /// Captured: the order's plan is granted (once).
        case captured
        /// Failed: recorded, nothing granted.
        case failed
        /// An event Haat does not act on: recorded only.
        case ignored
    }

    public let source: Source
    public let kind: Kind
    public let orderID: String?
    public let paymentID: String?
    public let amountPaise: Int?
    public let currency: String?

    public init(source: Source, kind: Kind, orderID: String?, paymentID: String?, amountPaise: Int?, currency: String?) {
        self.source = source
        self.kind = kind
        self.orderID = orderID
        self.paymentID = paymentID
        self.amountPaise = amountPaise
        self.currency = currency
    }
}

/// What recording a payment report did. Every report is kept (the admin's revenue and
/// audit), whatever its outcome, except a replayed webhook event.
public enum PaymentOutcome: Sendable, Equatable {
    /// The order's plan was granted: a new subscription, or the current one extended.
    case granted(SubscriptionState)
    /// The order was paid before (verify and webhooks report one payment several times):
    /// nothing changed; the account's subscription as it is.
    case alreadyGranted(SubscriptionState?)
    /// A webhook event seen before (same `X-Razorpay-Event-Id`): nothing recorded.
    case duplicateEvent
    /// No order of Haat's has this id.
    case unknownOrder
    /// The payment's amount or currency is not its order's: nothing granted.
    case amountMismatch
    /// A failed payment or an ignored event, recorded.
    case recorded

    /// The outcome as recorded in the payment events log.
    public var name: String {
        switch self {
        case .granted: "granted"
        case .alreadyGranted: "already_granted"
        case .duplicateEvent: "duplicate_event"
        case .unknownOrder: "unknown_order"
        case .amountMismatch: "amount_mismatch"
        case .recorded: "recorded"
        }
    }
}
