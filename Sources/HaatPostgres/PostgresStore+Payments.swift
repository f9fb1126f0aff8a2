import Foundation
import HaatCore
import HaatStore
import PostgresNIO

/// Plans bought through Razorpay. Same meaning as `SQLiteStore`'s: one payment buys one
/// period. Several instances may hear of one payment at once (Checkout's verify on one,
/// webhooks on others), so a report takes, in this order, a lock on its event id (a
/// replay waits, then finds it seen), its order's row (one grant per order) and its
/// account's row (two orders of one account extend the subscription one after another).
extension PostgresStore: PaymentStore {
    public func recordPaymentOrder(_ order: PaymentOrder) async throws {
        try await client.query("""
            INSERT INTO payment_orders (id, account_id, plan_id, amount_paise, currency, period_days, status, created_at)
            VALUES (\(order.id), \(order.accountID), \(order.planID), \(order.amountPaise), \(order.currency), \(order.periodDays), 'created', \(order.createdAt))
            """, logger: logger)
    }

    public func paymentOrder(id: String) async throws -> PaymentOrder? {
        try await client.withConnection { connection in try await paymentOrder(id, lock: false, on: connection)?.order }
    }

    public func recordPayment(_ report: PaymentReport, now: Date) async throws -> PaymentOutcome {
        try await transaction { connection in
            let eventID: String?, event: String
            switch report.source {
            case .checkout: (eventID, event) = (nil, "verify")
            case .webhook(let id, let name): (eventID, event) = (id, name)
            }
            if let eventID {
                try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\("payment-event:" + eventID), 0))", logger: logger)
                let seen = try await Self.rowCount("SELECT 1 AS seen FROM payment_events WHERE event_id = \(eventID)", on: connection, logger: logger)
                if seen > 0 { return .duplicateEvent }
            }
            let outcome = try await apply(report, now: now, on: connection)
            try await connection.query("""
                INSERT INTO payment_events (event_id, source, event, order_id, payment_id, amount_paise, currency, outcome, created_at)
                VALUES (\(eventID), \(eventID == nil ? "checkout" : "webhook"), \(event), \(report.orderID), \(report.paymentID),
                        \(report.amountPaise), \(report.currency), \(outcome.name), \(now))
                """, logger: logger)
            return outcome
        }
    }

    /// What a report does to its order: one payment buys exactly one period.
    private func apply(_ report: PaymentReport, now: Date, on connection: PostgresConnection) async throws -> PaymentOutcome {
        guard let orderID = report.orderID, let found = try await paymentOrder(orderID, lock: true, on: connection) else { return .unknownOrder }
        let order = found.order
        guard report.kind == .captured, let paymentID = report.paymentID else { return .recorded }
        try await connection.query("SELECT id FROM accounts WHERE id = \(order.accountID) FOR UPDATE", logger: logger)
        if found.paid {
            return .alreadyGranted(try await quota(order.accountID, freeLimit: 0, now: now, on: connection).subscription)
        }
        guard report.amountPaise == order.amountPaise, report.currency == order.currency else { return .amountMismatch }
        let subscription = try await extendSubscription(accountID: order.accountID, planID: order.planID, periodDays: order.periodDays,
                                                        now: now, on: connection)
        try await connection.query("""
            UPDATE payment_orders SET status = 'paid', payment_id = \(paymentID), subscription_id = \(subscription.id), paid_at = \(now)
            WHERE id = \(order.id)
            """, logger: logger)
        return .granted(subscription)
    }

    /// Adds `periodDays` to the account's active subscription, from its current end, or
    /// starts a new one from now. The caller holds the account's row.
    func extendSubscription(accountID: String, planID: String, periodDays: Int, now: Date, on connection: PostgresConnection) async throws -> SubscriptionState {
        let period = TimeInterval(periodDays) * 86_400
        if let current = try await quota(accountID, freeLimit: 0, now: now, on: connection).subscription, current.status == "active" {
            let end = current.currentPeriodEnd.addingTimeInterval(period)
            try await connection.query("UPDATE subscriptions SET plan_id = \(planID), current_period_end = \(end) WHERE id = \(current.id)", logger: logger)
            return SubscriptionState(id: current.id, planID: planID, status: "active", currentPeriodEnd: end)
        }
        let id = UUID().uuidString.lowercased()
        let end = now.addingTimeInterval(period)
        try await connection.query("""
            INSERT INTO subscriptions (id, account_id, plan_id, status, current_period_end, created_at)
            VALUES (\(id), \(accountID), \(planID), 'active', \(end), \(now))
            """, logger: logger)
        return SubscriptionState(id: id, planID: planID, status: "active", currentPeriodEnd: end)
    }

    private func paymentOrder(_ id: String, lock: Bool, on connection: PostgresConnection) async throws -> (order: PaymentOrder, paid: Bool)? {
        try await Self.rows("""
            SELECT id, account_id, plan_id, amount_paise, currency, period_days, created_at, status FROM payment_orders WHERE id = \(id)
            \(unescaped: lock ? "FOR UPDATE" : "")
            """, on: connection, logger: logger) { row in
            (PaymentOrder(id: try row.value("id"), accountID: try row.value("account_id"), planID: try row.value("plan_id"),
                          amountPaise: try row.value("amount_paise"), currency: try row.value("currency"), periodDays: try row.value("period_days"),
                          createdAt: try row.value("created_at")),
             try row.value("status", as: String.self) == "paid")
        }.first
    }
}
