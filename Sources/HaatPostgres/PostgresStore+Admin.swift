import Foundation
import HaatCore
import HaatStore
import PostgresNIO

/// The admin's side: verification, accounts, contact monitoring, stats, subscriptions and
/// the audit log. Same meaning as `SQLiteStore`'s; every change is recorded with who made it.
extension PostgresStore {
    public func verify(_ slug: Slug, by actor: String) async throws -> CreatorRecord {
        try await transaction { connection in
            try await moderate(slug, on: connection) { _ in
                try await connection.query("UPDATE creators SET verified = true, updated_at = \(Date()) WHERE slug = \(slug.rawValue)", logger: logger)
                try await log(slug: slug, action: "verify", sha256: nil, actor: actor, reason: nil, on: connection)
            }
        }
    }

    public func confirmOwner(of slug: Slug, by actor: String, now: Date) async throws -> OwnerConfirmation {
        try await transaction { connection in
            var delivered: [Lead] = []
            let creator = try await moderate(slug, on: connection) { creator in
                guard !creator.ownerConfirmed else { return }
                try await connection.query("""
                    INSERT INTO owner_confirmations (slug, email, confirmed_by, confirmed_at)
                    VALUES (\(slug.rawValue), \(creator.account), \(actor), \(now)) ON CONFLICT DO NOTHING
                    """, logger: logger)
                try await log(slug: slug, action: "confirm-owner", sha256: nil, actor: actor, reason: creator.account, on: connection)
                delivered = try await deliverWaitingLeads(of: slug, to: creator.account, on: connection)
            }
            return OwnerConfirmation(creator: creator, deliveredLeads: delivered)
        }
    }

    public func setAccountStatus(_ status: AccountStatus, ofAccount id: String, reason: String?, by actor: String) async throws -> Account? {
        try await transaction { connection in
            let changed = try await Self.rows("UPDATE accounts SET status = \(status.rawValue) WHERE id = \(id) RETURNING *", on: connection,
                                              logger: logger, Self.account)
            guard let account = changed.first else { return nil }
            if status == .suspended {
                try await revokeRefreshTokens(of: id, on: connection)
            }
            try await audit(actor: actor, action: status == .suspended ? "suspend_user" : "reinstate_user", target: "user:\(id)", reason: reason,
                            on: connection)
            return account
        }
    }

    func revokeRefreshTokens(of accountID: String, on connection: PostgresConnection) async throws {
        try await connection.query("UPDATE refresh_tokens SET revoked_at = \(Date()) WHERE account_id = \(accountID) AND revoked_at IS NULL",
                                   logger: logger)
    }

    public func accounts(matching query: String?, status: AccountStatus?, limit: Int, after cursor: String?) async throws -> Page<Account> {
        let needle = query?.lowercased() ?? ""
        return try await page("""
            SELECT * FROM accounts
            WHERE (\(needle) = '' OR strpos(lower(email), \(needle)) > 0 OR strpos(lower(name), \(needle)) > 0)
              AND (\(status?.rawValue ?? "") = '' OR status = \(status?.rawValue ?? ""))
            """, dateColumn: "created_at", idColumn: "id", limit: limit, cursor: cursor, map: Self.account) {
            ListCursor(date: $0.createdAt, id: $0.id)
        }
    }

    public func contactAttempts(_ filter: ContactAttemptFilter, limit: Int, after cursor: String?) async throws -> Page<ContactAttemptRecord> {
        let before = cursor.flatMap { Int64($0) } ?? Int64.max
        let rows = try await rows("""
            SELECT t.id, t.customer_id, a.email, a.name, t.creator_slug, t.outcome, t.charged, t.client_address, t.created_at
            FROM contact_attempts t JOIN accounts a ON a.id = t.customer_id
            WHERE (\(filter.creatorSlug ?? "") = '' OR t.creator_slug = \(filter.creatorSlug ?? ""))
              AND (\(filter.customerID ?? "") = '' OR t.customer_id = \(filter.customerID ?? ""))
              AND t.created_at >= \(filter.since ?? Date.distantPast) AND t.id < \(before)
            ORDER BY t.id DESC LIMIT \(limit + 1)
            """) { row in
            ContactAttemptRecord(id: try row.value("id"), customer: AccountRef(id: try row.value("customer_id"), email: try row.value("email"),
                                                                               name: try row.value("name")),
                                 creatorSlug: try row.value("creator_slug"), outcome: try row.value("outcome"), charged: try row.value("charged"),
                                 clientAddress: try row.value("client_address"), createdAt: try row.value("created_at"))
        }
        let items = Array(rows.prefix(limit))
        return Page(items: items, nextCursor: rows.count > limit ? items.last.map { String($0.id) } : nil)
    }

    public func attemptsByAccount(since: Date, limit: Int) async throws -> [AccountActivity] {
        try await rows("""
            WITH window_attempts AS (SELECT * FROM contact_attempts WHERE created_at >= \(since)),
            hourly AS (SELECT customer_id, MAX(n) AS peak FROM (
                SELECT customer_id, COUNT(*) AS n FROM window_attempts GROUP BY customer_id, date_trunc('hour', created_at)) h
                GROUP BY customer_id)
            SELECT t.customer_id, a.email, a.name, COUNT(*) AS attempts, COUNT(DISTINCT t.creator_slug) AS creators,
                COUNT(*) FILTER (WHERE t.outcome IN ('revealed', 'repeat')) AS revealed,
                COUNT(*) FILTER (WHERE t.outcome NOT IN ('revealed', 'repeat')) AS refused,
                MAX(h.peak) AS peak, MIN(t.created_at) AS first_at, MAX(t.created_at) AS last_at
            FROM window_attempts t JOIN accounts a ON a.id = t.customer_id JOIN hourly h ON h.customer_id = t.customer_id
            GROUP BY t.customer_id, a.email, a.name ORDER BY COUNT(*) DESC, t.customer_id LIMIT \(limit)
            """) { row in
            AccountActivity(customer: AccountRef(id: try row.value("customer_id"), email: try row.value("email"), name: try row.value("name")),
                            attempts: try row.value("attempts"), distinctCreators: try row.value("creators"), revealed: try row.value("revealed"),
                            refused: try row.value("refused"), peakPerHour: try row.value("peak"), firstAt: try row.value("first_at"),
                            lastAt: try row.value("last_at"))
        }
    }

    public func adminStats(now: Date) async throws -> AdminStats {
        var users: [Role: Int] = Dictionary(uniqueKeysWithValues: Role.allCases.map { ($0, 0) })
        for (role, count) in try await rows("SELECT role, COUNT(*) AS n FROM accounts GROUP BY role", { (try $0.value("role", as: String.self), try $0.value("n", as: Int.self)) }) {
            if let role = Role(rawValue: role) { users[role] = count }
        }
        var creators: [CreatorStatus: Int] = Dictionary(uniqueKeysWithValues: CreatorStatus.allCases.map { ($0, 0) })
        for (status, count) in try await rows("SELECT status, COUNT(*) AS n FROM creators GROUP BY status", { (try $0.value("status", as: String.self), try $0.value("n", as: Int.self)) }) {
            if let status = CreatorStatus(rawValue: status) { creators[status] = count }
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let today = calendar.startOfDay(for: now)
        let counts = try await rows("""
            SELECT COUNT(*) FILTER (WHERE created_at >= \(today)) AS today,
                COUNT(*) FILTER (WHERE created_at >= \(now.addingTimeInterval(-7 * 86_400))) AS week,
                COUNT(*) FILTER (WHERE created_at >= \(now.addingTimeInterval(-30 * 86_400))) AS month,
                (SELECT COUNT(*) FROM subscriptions s WHERE s.status = 'active' AND s.current_period_end > \(now)
                    AND s.id = (SELECT id FROM subscriptions WHERE account_id = s.account_id ORDER BY created_at DESC, id DESC LIMIT 1)) AS active,
                (SELECT COALESCE(SUM(amount_paise), 0) FROM payment_orders WHERE status = 'paid')::bigint AS revenue
            FROM contacts
            """) { row in
            (today: try row.value("today", as: Int.self), week: try row.value("week", as: Int.self), month: try row.value("month", as: Int.self),
             active: try row.value("active", as: Int.self), revenue: try row.value("revenue", as: Int.self))
        }[0]
        return AdminStats(users: users, creators: creators, contactsToday: counts.today, contactsLast7Days: counts.week,
                          contactsLast30Days: counts.month, activeSubscriptions: counts.active, revenuePaise: counts.revenue)
    }

    public func subscriptions(status: String?, now: Date, limit: Int, after cursor: String?) async throws -> Page<SubscriptionRecord> {
        let filter = status ?? ""
        return try await page("""
            SELECT s.id, s.plan_id, s.status, s.current_period_end, s.created_at, a.id AS account_id, a.email, a.name
            FROM subscriptions s JOIN accounts a ON a.id = s.account_id
            WHERE CASE \(filter)
                WHEN '' THEN true
                WHEN 'active' THEN s.status = 'active' AND s.current_period_end > \(now)
                WHEN 'expired' THEN s.status = 'active' AND s.current_period_end <= \(now)
                ELSE s.status = \(filter) END
            """, dateColumn: "s.created_at", idColumn: "s.id", limit: limit, cursor: cursor, map: { try Self.subscriptionRecord($0, now: now) }) {
            ListCursor(date: $0.createdAt, id: $0.state.id)
        }
    }

    public func cancelSubscription(_ id: String, by actor: String, now: Date) async throws -> SubscriptionRecord? {
        try await transaction { connection in
            let changed = try await Self.rowCount("UPDATE subscriptions SET status = 'cancelled' WHERE id = \(id) RETURNING id", on: connection, logger: logger)
            guard changed > 0 else { return nil }
            try await audit(actor: actor, action: "cancel_subscription", target: "subscription:\(id)", reason: nil, on: connection)
            return try await Self.rows("""
                SELECT s.id, s.plan_id, s.status, s.current_period_end, s.created_at, a.id AS account_id, a.email, a.name
                FROM subscriptions s JOIN accounts a ON a.id = s.account_id WHERE s.id = \(id)
                """, on: connection, logger: logger) { try Self.subscriptionRecord($0, now: now) }.first
        }
    }

    public func grantPlan(to accountID: String, planID: String, periodDays: Int, by actor: String, now: Date) async throws -> SubscriptionState? {
        try await transaction { connection in
            let found = try await Self.rowCount("SELECT id FROM accounts WHERE id = \(accountID) FOR UPDATE", on: connection, logger: logger)
            guard found > 0 else { return nil }
            let subscription = try await extendSubscription(accountID: accountID, planID: planID, periodDays: periodDays, now: now, on: connection)
            try await audit(actor: actor, action: "grant_plan", target: "user:\(accountID)", reason: "plan \(planID)", on: connection)
            return subscription
        }
    }

    public func auditLog(limit: Int, after cursor: String?) async throws -> Page<AuditEntry> {
        // Moderation (not the imports, which are no one's decision) and the other admin actions.
        try await page("""
            SELECT * FROM (
                SELECT 'm' || id AS id, actor, action, 'creator:' || slug AS target, reason, at FROM moderation_events WHERE action <> 'import'
                UNION ALL
                SELECT 'a' || id, actor, action, target, reason, at FROM audit_log) entries
            WHERE true
            """, dateColumn: "at", idColumn: "id", limit: limit, cursor: cursor, map: { row in
            AuditEntry(id: try row.value("id"), actor: try row.value("actor"), action: try row.value("action"), target: try row.value("target"),
                       reason: try row.value("reason"), at: try row.value("at"))
        }) { ListCursor(date: $0.at, id: $0.id) }
    }

    public func discoverySignals() async throws -> DiscoverySignals {
        var builder = DiscoverySignals.Builder()
        // Streamed row by row, in customer order.
        for try await (slug, id, day) in try await client.query("""
            SELECT creator_slug, customer_id, EXTRACT(EPOCH FROM created_at)::float8 / 86400 FROM contacts ORDER BY customer_id
            """, logger: logger).decode((String, String, Double).self) {
            builder.addContact(creatorSlug: slug, customerID: id, day: day)
        }
        for (slug, total, answered) in try await rows("""
            SELECT creator_slug, COUNT(*) AS total, COUNT(first_response_at) AS answered FROM leads GROUP BY creator_slug
            """, { (try $0.value("creator_slug", as: String.self), try $0.value("total", as: Int.self), try $0.value("answered", as: Int.self)) }) {
            builder.setLeads(of: slug, total: total, answered: answered)
        }
        return builder.signals
    }

    // MARK: Helpers

    static func subscriptionRecord(_ row: PostgresRandomAccessRow, now: Date) throws -> SubscriptionRecord {
        SubscriptionRecord(state: SubscriptionState.asOf(now, id: try row.value("id"), planID: try row.value("plan_id"),
                                                         storedStatus: try row.value("status"), end: try row.value("current_period_end")),
                           user: AccountRef(id: try row.value("account_id"), email: try row.value("email"), name: try row.value("name")),
                           createdAt: try row.value("created_at"))
    }

    /// A page of `query`'s rows (it ends in a WHERE clause), newest first by `dateColumn`
    /// then `idColumn`, continuing after `cursor` (a `ListCursor`).
    func page<Item>(_ query: PostgresQuery, dateColumn: String, idColumn: String, limit: Int, cursor: String?,
                    map: (PostgresRandomAccessRow) throws -> Item, position: (Item) -> ListCursor) async throws -> Page<Item> {
        var query = query
        if let after = cursor.flatMap(ListCursor.init(encoded:)) {
            query.appendPagination(dateColumn: dateColumn, idColumn: idColumn, after: after)
        }
        query.sql += " ORDER BY \(dateColumn) DESC, \(idColumn) DESC LIMIT \(limit + 1)"
        let rows = try await rows(query, map)
        let items = Array(rows.prefix(limit))
        return Page(items: items, nextCursor: rows.count > limit ? items.last.map { position($0).encoded } : nil)
    }
}

extension PostgresQuery {
    /// `AND (date < d OR (date = d AND id < i))`, its values bound after the query's own.
    mutating func appendPagination(dateColumn: String, idColumn: String, after position: ListCursor) {
        let first = binds.count + 1
        sql += " AND (\(dateColumn) < $\(first) OR (\(dateColumn) = $\(first) AND \(idColumn) < $\(first + 1)))"
        binds.append(position.date)
        binds.append(position.id)
    }
}
