import Foundation
import HaatStore
import Testing

/// What a payment report does to its order, whatever order reports arrive in, with no
/// database.
struct PaymentGrantTests {
    static let order = PaymentOrder(id: "order_1", accountID: "acc", planID: "month", amountPaise: 49_900, currency: "INR", periodDays: 30,
                                    createdAt: Date(timeIntervalSince1970: 0))

    static func report(_ kind: PaymentReport.Kind = .captured, order: String? = "order_1", payment: String? = "pay_1",
                       amount: Int? = 49_900, currency: String? = "INR") -> PaymentReport {
        PaymentReport(source: .checkout, kind: kind, orderID: order, paymentID: payment, amountPaise: amount, currency: currency)
    }

    @Test(arguments: [
        (report(), false, true, PaymentGrant.grant(order, paymentID: "pay_1")),
        (report(), true, true, .alreadyGranted(order)),
        (report(order: nil), false, false, .record(.unknownOrder)),
        (report(order: "order_x"), false, false, .record(.unknownOrder)),
        (report(.failed), false, true, .record(.recorded)),
        (report(.ignored), true, true, .record(.recorded)),
        (report(payment: nil), false, true, .record(.recorded)),
        (report(amount: 100), false, true, .record(.amountMismatch)),
        (report(amount: nil), false, true, .record(.amountMismatch)),
        (report(currency: "USD"), false, true, .record(.amountMismatch)),
        // A paid order answers with what was granted even to a report with a wrong amount.
        (report(amount: 100), true, true, .alreadyGranted(order)),
    ] as [(PaymentReport, Bool, Bool, PaymentGrant)])
    func onePaymentBuysOnePeriod(_ report: PaymentReport, _ paid: Bool, _ orderKnown: Bool, _ expected: PaymentGrant) {
        #expect(PaymentGrant(report, order: orderKnown ? (Self.order, paid) : nil) == expected)
    }

    @Test func theLogNamesWebhookEventsAndVerify() {
        #expect(Self.report().logged == (nil, "verify"))
        let webhook = PaymentReport(source: .webhook(eventID: "evt_1", event: "payment.captured"), kind: .captured, orderID: nil, paymentID: nil,
                                    amountPaise: nil, currency: nil)
        #expect(webhook.logged == ("evt_1", "payment.captured"))
    }
}
