import Foundation

/// What one payment report does to its order, whatever order Checkout's verify and
/// Razorpay's webhooks arrive in: one payment buys exactly one period, granted by the
/// first captured report whose amount and currency are its order's.
public enum PaymentGrant: Equatable, Sendable {
    /// Nothing to grant: record the report with this outcome.
    case record(PaymentOutcome)
    /// The order was paid before: nothing changes; answer with its account's subscription.
    case alreadyGranted(PaymentOrder)
    /// Grant the order's plan for its period to its account, with this payment id.
    case grant(PaymentOrder, paymentID: String)

    /// `order` is the report's order as stored (nil: Haat made no such order), with
    /// whether it is paid.
    public init(_ report: PaymentReport, order: (order: PaymentOrder, paid: Bool)?) {
        guard report.orderID != nil, let (order, paid) = order else { self = .record(.unknownOrder); return }
        guard report.kind == .captured, let paymentID = report.paymentID else { self = .record(.recorded); return }
        // Razorpay never takes a second payment on a paid order: whichever report of its
        // payment arrives first granted the plan, the others change nothing.
        if paid { self = .alreadyGranted(order); return }
        guard report.amountPaise == order.amountPaise, report.currency == order.currency else { self = .record(.amountMismatch); return }
        self = .grant(order, paymentID: paymentID)
    }
}

extension PaymentReport {
    /// The payment events log's event id (nil for Checkout's verify, which has none) and
    /// event name.
    public var logged: (eventID: String?, event: String) {
        switch source {
        case .checkout: (nil, "verify")
        case .webhook(let id, let name): (id, name)
        }
    }
}
