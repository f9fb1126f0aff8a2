import Foundation
import GRDB

extension SQLiteStore {
    public func recordPaymentOrder(_ order: PaymentOrder) async throws {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO payment_orders (id, account_id, plan_id, amount_paise, currency, period_days, status, created_at)
                VALUES (?, ?, ?, ?, ?, ?, 'created', ?)
                """, arguments: [order.id, order.accountID, order.planID, order.amountPaise, order.currency, order.periodDays, order.createdAt])
        }
    }

    public func paymentOrder(id: String) async throws -> PaymentOrder? {
        try await pool.read { db in try Self.paymentOrder(db, id: id).map(\.order) }
    }

    /// Decides and records a payment report in one write transaction: the event's
    /// deduplication, the order's move to paid and the subscription's extension commit
    /// together or not at all, so a crash half-way leaves the event unseen and
    /// Razorpay's retry (or the next verify) finishes it.
    public func recordPayment(_ report: PaymentReport, now: Date) async throws -> PaymentOutcome {
        try await pool.write { db in
            let eventID: String?, event: String
            switch report.source {
            case .checkout: (eventID, event) = (nil, "verify")
            case .webhook(let id, let name): (eventID, event) = (id, name)
            }
            if let eventID, try Bool.fetchOne(db, sql: "SELECT 1 FROM payment_events WHERE event_id = ?", arguments: [eventID]) == true {
                return .duplicateEvent
            }
            let outcome = try Self.apply(db, report, now: now)
            try db.execute(sql: """
                INSERT INTO payment_events (event_id, source, event, order_id, payment_id, amount_paise, currency, outcome, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [eventID, eventID == nil ? "checkout" : "webhook", event, report.orderID, report.paymentID,
                                 report.amountPaise, report.currency, outcome.name, now])
            return outcome
        }
    }

    /// What a report does to its order: one payment buys exactly one period.
    private static func apply(_ db: Database, _ report: PaymentReport, now: Date) throws -> PaymentOutcome {
        guard let orderID = report.orderID, let found = try paymentOrder(db, id: orderID) else { return .unknownOrder }
        let order = found.order
        guard report.kind == .captured, let paymentID = report.paymentID else { return .recorded }
        // Razorpay never takes a second payment on a paid order: whichever report of its
        // payment arrives first granted the plan, the others change nothing.
        if found.paid {
            return .alreadyGranted(try currentSubscription(db, accountID: order.accountID, now: now))
        }
        guard report.amountPaise == order.amountPaise, report.currency == order.currency else { return .amountMismatch }
        let subscription = try extendSubscription(db, accountID: order.accountID, planID: order.planID, periodDays: order.periodDays, now: now)
        try db.execute(sql: "UPDATE payment_orders SET status = 'paid', payment_id = ?, subscription_id = ?, paid_at = ? WHERE id = ?",
                       arguments: [paymentID, subscription.id, now, order.id])
        return .granted(subscription)
    }

    /// Adds `periodDays` to the account's active subscription, from its current end, or
    /// starts a new one from now when there is none active.
    static func extendSubscription(_ db: Database, accountID: String, planID: String, periodDays: Int, now: Date) throws -> SubscriptionState {
        let period = TimeInterval(periodDays) * 86_400
        if let current = try currentSubscription(db, accountID: accountID, now: now), current.status == "active" {
            let end = current.currentPeriodEnd.addingTimeInterval(period)
            try db.execute(sql: "UPDATE subscriptions SET plan_id = ?, current_period_end = ? WHERE id = ?", arguments: [planID, end, current.id])
            return SubscriptionState(id: current.id, planID: planID, status: "active", currentPeriodEnd: end)
        }
        let id = UUID().uuidString.lowercased()
        let end = now.addingTimeInterval(period)
        try db.execute(sql: """
            INSERT INTO subscriptions (id, account_id, plan_id, status, current_period_end, created_at) VALUES (?, ?, ?, 'active', ?, ?)
            """, arguments: [id, accountID, planID, end, now])
        return SubscriptionState(id: id, planID: planID, status: "active", currentPeriodEnd: end)
    }

    private static func paymentOrder(_ db: Database, id: String) throws -> (order: PaymentOrder, paid: Bool)? {
        try Row.fetchOne(db, sql: """
            SELECT id, account_id, plan_id, amount_paise, currency, period_days, created_at, status FROM payment_orders WHERE id = ?
            """, arguments: [id]).map { row in
            (PaymentOrder(id: row[0], accountID: row[1], planID: row[2], amountPaise: row[3], currency: row[4], periodDays: row[5],
                          createdAt: row[6]),
             (row[7] as String) == "paid")
        }
    }
}
