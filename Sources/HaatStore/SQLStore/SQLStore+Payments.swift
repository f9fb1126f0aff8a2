import Foundation

/// Plans bought through Razorpay, for both stores: one payment buys one period
/// (`PaymentGrant`). Several instances may hear of one payment at once (Checkout's verify
/// on one, webhooks on others), so a report takes, in this order, a lock on its event id
/// (a replay waits, then finds it seen), its order's row (one grant per order) and its
/// account's row (two orders of one account extend the subscription one after another).
extension SQLStore {
    public func recordPaymentOrder(_ order: PaymentOrder) async throws {
        try await transaction { database in
            try await database.execute("""
                INSERT INTO payment_orders (id, account_id, plan_id, amount_paise, currency, period_days, status, created_at)
                VALUES (\(order.id), \(order.accountID), \(order.planID), \(order.amountPaise), \(order.currency), \(order.periodDays), 'created',
                        \(order.createdAt))
                """)
        }
    }

    public func paymentOrder(id: String) async throws -> PaymentOrder? {
        try await read { database in try await database.paymentOrder(id)?.order }
    }

    /// The event's deduplication, the order's move to paid and the subscription's
    /// extension commit together or not at all, so a crash half-way leaves the event
    /// unseen and Razorpay's retry (or the next verify) finishes it.
    public func recordPayment(_ report: PaymentReport, now: Date) async throws -> PaymentOutcome {
        try await transaction { database in
            let (eventID, event) = report.logged
            if let eventID {
                try await database.lock("payment-event:" + eventID)
                if try await database.exists("SELECT 1 FROM payment_events WHERE event_id = \(eventID)") { return .duplicateEvent }
            }
            let outcome = try await database.apply(report, now: now)
            try await database.execute("""
                INSERT INTO payment_events (event_id, source, event, order_id, payment_id, amount_paise, currency, outcome, created_at)
                VALUES (\(eventID), \(eventID == nil ? "checkout" : "webhook"), \(event), \(report.orderID), \(report.paymentID),
                        \(report.amountPaise), \(report.currency), \(outcome.name), \(now))
                """)
            return outcome
        }
    }
}

extension SQLExecutor {
    /// What a report does to its order, by `PaymentGrant`.
    fileprivate func apply(_ report: PaymentReport, now: Date) async throws -> PaymentOutcome {
        var found: (order: PaymentOrder, paid: Bool)?
        if let orderID = report.orderID { found = try await paymentOrder(orderID, locked: true) }
        if let found { try await lockAccount(found.order.accountID) }
        switch PaymentGrant(report, order: found) {
        case .record(let outcome):
            return outcome
        case .alreadyGranted(let order):
            return .alreadyGranted(try await currentSubscription(of: order.accountID, now: now))
        case .grant(let order, let paymentID):
            let subscription = try await buy(planID: order.planID, periodDays: order.periodDays, for: order.accountID, now: now)
            try await execute("""
                UPDATE payment_orders SET status = 'paid', payment_id = \(paymentID), subscription_id = \(subscription.id), paid_at = \(now)
                WHERE id = \(order.id)
                """)
            return .granted(subscription)
        }
    }

    fileprivate func paymentOrder(_ id: String, locked: Bool = false) async throws -> (order: PaymentOrder, paid: Bool)? {
        try await row("""
            SELECT id, account_id, plan_id, amount_paise, currency, period_days, created_at, status FROM payment_orders WHERE id = \(id)\
            \(sql: locked ? dialect.forUpdate : "")
            """) { row in
            (PaymentOrder(id: try row[0], accountID: try row[1], planID: try row[2], amountPaise: try row[3], currency: try row[4],
                          periodDays: try row[5], createdAt: try row[6]),
             try row[7] as String == "paid")
        }
    }

    /// Holds the account's row until the transaction ends: its subscription changes one
    /// purchase at a time.
    public func lockAccount(_ accountID: String) async throws {
        guard dialect.locksRows else { return }
        try await execute("SELECT id FROM accounts WHERE id = \(accountID)\(sql: dialect.forUpdate)")
    }

    /// Buys `periodDays` of `planID` for the account (`SubscriptionPurchase`). The caller
    /// holds the account's row.
    public func buy(planID: String, periodDays: Int, for accountID: String, now: Date) async throws -> SubscriptionState {
        let purchase = SubscriptionPurchase(planID: planID, periodDays: periodDays, current: try await currentSubscription(of: accountID, now: now),
                                            now: now, newID: UUID().uuidString.lowercased())
        let subscription = purchase.subscription
        if purchase.startsNew {
            try await execute("""
                INSERT INTO subscriptions (id, account_id, plan_id, status, current_period_end, created_at)
                VALUES (\(subscription.id), \(accountID), \(planID), 'active', \(subscription.currentPeriodEnd), \(now))
                """)
        } else {
            try await execute("UPDATE subscriptions SET plan_id = \(planID), current_period_end = \(subscription.currentPeriodEnd) WHERE id = \(subscription.id)")
        }
        return subscription
    }

    /// An account's current subscription: its latest, as of `now`. A purchase extends the
    /// current one while it is active, else starts a new one, so the latest is the one
    /// that counts (a cancelled one with a later end does not hide a new purchase).
    public func currentSubscription(of accountID: String, now: Date) async throws -> SubscriptionState? {
        try await row("""
            SELECT id, plan_id, status, current_period_end FROM subscriptions WHERE account_id = \(accountID)
            ORDER BY created_at DESC, \(sql: dialect.insertionOrder) DESC LIMIT 1
            """) { row in
            SubscriptionState.asOf(now, id: try row[0], planID: try row[1], storedStatus: try row[2], end: try row[3])
        }
    }

    /// Free contacts used (with `perVerifiedNumber`, by every account that verified this
    /// account's number) and the current subscription.
    public func quota(of accountID: String, freeLimit: Int, perVerifiedNumber: Bool, now: Date) async throws -> QuotaState {
        let used = try await value("""
            SELECT CASE WHEN \(perVerifiedNumber) AND a.phone IS NOT NULL
                THEN (SELECT COUNT(*) FROM contacts f JOIN accounts p ON p.id = f.customer_id WHERE p.phone = a.phone AND f.charged = 'free')
                ELSE (SELECT COUNT(*) FROM contacts f WHERE f.customer_id = a.id AND f.charged = 'free') END
            FROM accounts a WHERE a.id = \(accountID)
            """, as: Int.self) ?? 0
        return QuotaState(freeLimit: freeLimit, freeUsed: used, subscription: try await currentSubscription(of: accountID, now: now))
    }
}

extension SQLStore {
    public func quota(of accountID: String, freeLimit: Int, perVerifiedNumber: Bool, now: Date) async throws -> QuotaState {
        try await read { database in try await database.quota(of: accountID, freeLimit: freeLimit, perVerifiedNumber: perVerifiedNumber, now: now) }
    }
}
