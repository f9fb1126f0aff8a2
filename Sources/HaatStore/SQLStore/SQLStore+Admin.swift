import Foundation
import HaatCore

/// The admin's side that both stores share: accounts, contact monitoring, stats,
/// subscriptions and the audit log. Every change is recorded with who made it.
extension SQLStore {
    public func setAccountStatus(_ status: AccountStatus, ofAccount id: String, reason: String?, by actor: String) async throws -> Account? {
        try await transaction { database in
            guard try await database.exists("UPDATE accounts SET status = \(status.rawValue) WHERE id = \(id) RETURNING id") else { return nil }
            if status == .suspended { try await database.revokeRefreshTokens(of: id, now: Date()) }
            try await database.audit(actor: actor, action: status == .suspended ? "suspend_user" : "reinstate_user", target: "user:\(id)", reason: reason)
            return try await database.row(Account.select + " WHERE id = \(id)", Account.init(row:))
        }
    }

    public func accounts(matching query: String?, status: AccountStatus?, limit: Int, after cursor: String?) async throws -> Page<Account> {
        try await read { database in
            var conditions: [SQL] = []
            if let query, !query.isEmpty {
                let needle = query.lowercased()
                conditions.append("(\(sql: database.dialect.contains("lower(email)", needle)) OR \(sql: database.dialect.contains("lower(name)", needle)))")
            }
            if let status { conditions.append("status = \(status.rawValue)") }
            return try await database.page(Account.select, where: conditions, dateColumn: "created_at", idColumn: "id", limit: limit, after: cursor,
                                           read: Account.init(row:)) { ListCursor(date: $0.createdAt, id: $0.id) }
        }
    }

    public func contactAttempts(_ filter: ContactAttemptFilter, limit: Int, after cursor: String?) async throws -> Page<ContactAttemptRecord> {
        var conditions: [SQL] = []
        if let slug = filter.creatorSlug { conditions.append("t.creator_slug = \(slug)") }
        if let customer = filter.customerID { conditions.append("t.customer_id = \(customer)") }
        if let since = filter.since { conditions.append("t.created_at >= \(since)") }
        // The log's own order: its ids count up.
        if let before = cursor.flatMap({ Int($0) }) { conditions.append("t.id < \(before)") }
        let statement: SQL = """
            SELECT t.id, t.customer_id, a.email, a.name, t.creator_slug, t.outcome, t.charged, t.client_address, t.created_at
            FROM contact_attempts t JOIN accounts a ON a.id = t.customer_id\
            \(sql: conditions.isEmpty ? "" : " WHERE " + .joined(conditions, separator: " AND ")) ORDER BY t.id DESC LIMIT \(limit + 1)
            """
        let rows = try await read { database in
            try await database.rows(statement) { row in
                ContactAttemptRecord(id: Int64(try row[0] as Int), customer: AccountRef(id: try row[1], email: try row[2], name: try row[3]),
                                     creatorSlug: try row[4], outcome: try row[5], charged: try row[6], clientAddress: try row[7], createdAt: try row[8])
            }
        }
        let items = Array(rows.prefix(limit))
        return Page(items: items, nextCursor: rows.count > limit ? items.last.map { String($0.id) } : nil)
    }

    public func adminStats(now: Date) async throws -> AdminStats {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let today = calendar.startOfDay(for: now)
        return try await read { database in
            var users: [Role: Int] = Dictionary(uniqueKeysWithValues: Role.allCases.map { ($0, 0) })
            for (role, count) in try await database.rows("SELECT role, COUNT(*) FROM accounts GROUP BY role", { (try $0[0] as String, try $0[1] as Int) }) {
                if let role = Role(rawValue: role) { users[role] = count }
            }
            var creators: [CreatorStatus: Int] = Dictionary(uniqueKeysWithValues: CreatorStatus.allCases.map { ($0, 0) })
            for (status, count) in try await database.rows("SELECT status, COUNT(*) FROM creators GROUP BY status", { (try $0[0] as String, try $0[1] as Int) }) {
                if let status = CreatorStatus(rawValue: status) { creators[status] = count }
            }
            let counts = try await database.row("""
                SELECT (SELECT COUNT(*) FROM contacts WHERE created_at >= \(today)),
                    (SELECT COUNT(*) FROM contacts WHERE created_at >= \(now.addingTimeInterval(-7 * 86_400))),
                    (SELECT COUNT(*) FROM contacts WHERE created_at >= \(now.addingTimeInterval(-30 * 86_400))),
                    (SELECT COUNT(*) FROM subscriptions s WHERE s.status = 'active' AND s.current_period_end > \(now)
                        AND s.id = (SELECT id FROM subscriptions WHERE account_id = s.account_id
                                    ORDER BY created_at DESC, \(sql: database.dialect.insertionOrder) DESC LIMIT 1)),
                    (SELECT CAST(COALESCE(SUM(amount_paise), 0) AS BIGINT) FROM payment_orders WHERE status = 'paid')
                """) { row in (try row[0] as Int, try row[1] as Int, try row[2] as Int, try row[3] as Int, try row[4] as Int) }!
            return AdminStats(users: users, creators: creators, contactsToday: counts.0, contactsLast7Days: counts.1, contactsLast30Days: counts.2,
                              activeSubscriptions: counts.3, revenuePaise: counts.4)
        }
    }

    public func subscriptions(status: SubscriptionStatus?, now: Date, limit: Int, after cursor: String?) async throws -> Page<SubscriptionRecord> {
        let conditions: [SQL] = switch status {
        // What `SubscriptionState.asOf` reads as active or expired, as a condition.
        case .active?: ["s.status = 'active' AND s.current_period_end > \(now)"]
        case .expired?: ["s.status = 'active' AND s.current_period_end <= \(now)"]
        case .cancelled?: ["s.status = 'cancelled'"]
        case nil: []
        }
        return try await read { database in
            try await database.page(SubscriptionRecord.select, where: conditions, dateColumn: "s.created_at", idColumn: "s.id", limit: limit,
                                    after: cursor, read: { try SubscriptionRecord(row: $0, now: now) }) { ListCursor(date: $0.createdAt, id: $0.state.id) }
        }
    }

    public func cancelSubscription(_ id: String, by actor: String, now: Date) async throws -> SubscriptionRecord? {
        try await transaction { database in
            guard try await database.exists("UPDATE subscriptions SET status = 'cancelled' WHERE id = \(id) RETURNING id") else { return nil }
            try await database.audit(actor: actor, action: "cancel_subscription", target: "subscription:\(id)", reason: nil)
            return try await database.row(SubscriptionRecord.select + " WHERE s.id = \(id)") { try SubscriptionRecord(row: $0, now: now) }
        }
    }

    public func grantPlan(to accountID: String, planID: String, periodDays: Int, by actor: String, now: Date) async throws -> SubscriptionState? {
        try await transaction { database in
            guard try await database.exists("SELECT id FROM accounts WHERE id = \(accountID)\(sql: database.dialect.forUpdate)") else { return nil }
            let subscription = try await database.buy(planID: planID, periodDays: periodDays, for: accountID, now: now)
            try await database.audit(actor: actor, action: "grant_plan", target: "user:\(accountID)", reason: "plan \(planID)")
            return subscription
        }
    }

    public func auditLog(limit: Int, after cursor: String?) async throws -> Page<AuditEntry> {
        // Moderation (not the imports, which are no one's decision) and the other admin actions.
        try await read { database in
            try await database.page("""
                SELECT id, actor, action, target, reason, at FROM (
                    SELECT 'm' || id AS id, actor, action, 'creator:' || slug AS target, reason, at FROM moderation_events WHERE action <> 'import'
                    UNION ALL
                    SELECT 'a' || id, actor, action, target, reason, at FROM audit_log) entries
                """, dateColumn: "at", idColumn: "id", limit: limit, after: cursor, read: { row in
                AuditEntry(id: try row[0], actor: try row[1], action: try row[2], target: try row[3], reason: try row[4], at: try row[5])
            }) { ListCursor(date: $0.at, id: $0.id) }
        }
    }
}

extension SubscriptionRecord {
    /// The columns `init(row:now:)` reads, in its order.
    static let select: SQL = """
        SELECT s.id, s.plan_id, s.status, s.current_period_end, s.created_at, a.id, a.email, a.name
        FROM subscriptions s JOIN accounts a ON a.id = s.account_id
        """

    init(row: any SQLRow, now: Date) throws {
        self.init(state: SubscriptionState.asOf(now, id: try row[0], planID: try row[1], storedStatus: try row[2], end: try row[3]),
                  user: AccountRef(id: try row[5], email: try row[6], name: try row[7]), createdAt: try row[4])
    }
}
