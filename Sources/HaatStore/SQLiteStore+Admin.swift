import Foundation
import GRDB
import HaatCore

/// The admin's side of the store: verification, accounts, contact monitoring, stats,
/// subscriptions and the audit log. Every change is recorded with who made it.
extension SQLiteStore {
    public func verify(_ slug: Slug, by actor: String) async throws -> CreatorRecord {
        try await pool.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM creators WHERE slug = ?", arguments: [slug.rawValue]) == true else {
                throw StoreError.creatorNotFound(slug)
            }
            try db.execute(sql: "UPDATE creators SET verified = 1, updated_at = ? WHERE slug = ?", arguments: [Date(), slug.rawValue])
            try Self.log(db, slug: slug, action: "verify", sha256: nil, actor: actor, reason: nil)
            return try Row.fetchOne(db, sql: Self.creatorSelect + " WHERE c.slug = ?", arguments: [slug.rawValue]).map(Self.creatorRecord)!
        }
    }

    public func confirmOwner(of slug: Slug, by actor: String, now: Date) async throws -> OwnerConfirmation {
        try await pool.write { db in
            let select = Self.creatorSelect + " WHERE c.slug = ?"
            guard let creator = try Row.fetchOne(db, sql: select, arguments: [slug.rawValue]).map(Self.creatorRecord) else {
                throw StoreError.creatorNotFound(slug)
            }
            if creator.ownerConfirmed { return OwnerConfirmation(creator: creator, deliveredLeads: []) }
            try db.execute(sql: "INSERT INTO owner_confirmations (slug, email, confirmed_by, confirmed_at) VALUES (?, ?, ?, ?)",
                           arguments: [slug.rawValue, creator.account, actor, now])
            try Self.log(db, slug: slug, action: "confirm-owner", sha256: nil, actor: actor, reason: creator.account)
            let leads = try Self.deliverWaitingLeads(db, of: slug, to: creator.account)
            return OwnerConfirmation(creator: try Row.fetchOne(db, sql: select, arguments: [slug.rawValue]).map(Self.creatorRecord)!,
                                     deliveredLeads: leads)
        }
    }

    public func setAccountStatus(_ status: AccountStatus, ofAccount id: String, reason: String?, by actor: String) async throws -> Account? {
        try await pool.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM accounts WHERE id = ?", arguments: [id]) == true else { return nil }
            try db.execute(sql: "UPDATE accounts SET status = ? WHERE id = ?", arguments: [status.rawValue, id])
            if status == .suspended {
                try db.execute(sql: "UPDATE refresh_tokens SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL", arguments: [Date(), id])
            }
            try Self.audit(db, actor: actor, action: status == .suspended ? "suspend_user" : "reinstate_user", target: "user:\(id)", reason: reason)
            return try Row.fetchOne(db, sql: "SELECT * FROM accounts WHERE id = ?", arguments: [id]).map(Self.account)
        }
    }

    public func accounts(matching query: String?, status: AccountStatus?, limit: Int, after cursor: String?) async throws -> Page<Account> {
        try await pool.read { db in
            var conditions: [String] = [], arguments: StatementArguments = []
            if let query, !query.isEmpty {
                conditions.append("(instr(lower(email), ?) > 0 OR instr(lower(name), ?) > 0)")
                arguments += [query.lowercased(), query.lowercased()]
            }
            if let status {
                conditions.append("status = ?")
                arguments += [status.rawValue]
            }
            return try Self.page(db, select: "SELECT * FROM accounts", conditions: conditions, arguments: arguments, dateColumn: "created_at",
                                 limit: limit, cursor: cursor, map: Self.account) { ListCursor(date: $0.createdAt, id: $0.id) }
        }
    }

    public func contactAttempts(_ filter: ContactAttemptFilter, limit: Int, after cursor: String?) async throws -> Page<ContactAttemptRecord> {
        try await pool.read { db in
            var sql = """
                SELECT t.id, t.customer_id, a.email, a.name, t.creator_slug, t.outcome, t.charged, t.client_address, t.created_at
                FROM contact_attempts t JOIN accounts a ON a.id = t.customer_id WHERE 1
                """
            var arguments: StatementArguments = []
            if let slug = filter.creatorSlug { sql += " AND t.creator_slug = ?"; arguments += [slug] }
            if let customer = filter.customerID { sql += " AND t.customer_id = ?"; arguments += [customer] }
            if let since = filter.since { sql += " AND t.created_at >= ?"; arguments += [since] }
            if let before = cursor.flatMap({ Int64($0) }) { sql += " AND t.id < ?"; arguments += [before] }
            sql += " ORDER BY t.id DESC LIMIT ?"
            arguments += [limit + 1]
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            let items = rows.prefix(limit).map { row in
                ContactAttemptRecord(id: row[0], customer: AccountRef(id: row[1], email: row[2], name: row[3]), creatorSlug: row[4],
                                     outcome: row[5], charged: row[6], clientAddress: row[7], createdAt: row[8])
            }
            return Page(items: Array(items), nextCursor: rows.count > limit ? items.last.map { String($0.id) } : nil)
        }
    }

    public func attemptsByAccount(since: Date, limit: Int) async throws -> [AccountActivity] {
        try await pool.read { db in
            // The attempts log is indexed by time only (see v4): the window is read in time order.
            let rows = try Row.fetchAll(db, sql: """
                SELECT t.customer_id, a.email, a.name, COUNT(*), COUNT(DISTINCT t.creator_slug),
                    SUM(t.outcome IN ('revealed', 'repeat')), SUM(t.outcome NOT IN ('revealed', 'repeat')),
                    MIN(t.created_at), MAX(t.created_at)
                FROM contact_attempts t JOIN accounts a ON a.id = t.customer_id
                WHERE t.created_at >= ?
                GROUP BY t.customer_id ORDER BY COUNT(*) DESC, t.customer_id LIMIT ?
                """, arguments: [since, limit])
            return try rows.map { row in
                let customerID: String = row[0]
                // Dates are stored as "YYYY-MM-DD HH:MM:SS.SSS": the first 13 characters are the hour.
                let peak = try Int.fetchOne(db, sql: """
                    SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM contact_attempts
                    WHERE customer_id = ? AND created_at >= ? GROUP BY substr(created_at, 1, 13))
                    """, arguments: [customerID, since]) ?? 0
                return AccountActivity(customer: AccountRef(id: customerID, email: row[1], name: row[2]), attempts: row[3], distinctCreators: row[4],
                                       revealed: row[5], refused: row[6], peakPerHour: peak, firstAt: row[7], lastAt: row[8])
            }
        }
    }

    public func adminStats(now: Date) async throws -> AdminStats {
        try await pool.read { db in
            var users: [Role: Int] = Dictionary(uniqueKeysWithValues: Role.allCases.map { ($0, 0) })
            for row in try Row.fetchAll(db, sql: "SELECT role, COUNT(*) FROM accounts GROUP BY role") {
                if let role = Role(rawValue: row[0]) { users[role] = row[1] }
            }
            var creators: [CreatorStatus: Int] = Dictionary(uniqueKeysWithValues: CreatorStatus.allCases.map { ($0, 0) })
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) FROM creators GROUP BY status") {
                if let status = CreatorStatus(rawValue: row[0]) { creators[status] = row[1] }
            }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let today = calendar.startOfDay(for: now)
            func revealed(since date: Date) throws -> Int {
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM contacts WHERE created_at >= ?", arguments: [date]) ?? 0
            }
            let active = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM subscriptions s WHERE s.status = 'active' AND s.current_period_end > ?
                AND s.id = (SELECT id FROM subscriptions WHERE account_id = s.account_id ORDER BY created_at DESC, rowid DESC LIMIT 1)
                """, arguments: [now]) ?? 0
            let revenue = try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(amount_paise), 0) FROM payment_orders WHERE status = 'paid'") ?? 0
            return AdminStats(users: users, creators: creators, contactsToday: try revealed(since: today),
                              contactsLast7Days: try revealed(since: now.addingTimeInterval(-7 * 86_400)),
                              contactsLast30Days: try revealed(since: now.addingTimeInterval(-30 * 86_400)),
                              activeSubscriptions: active, revenuePaise: revenue)
        }
    }

    public func subscriptions(status: String?, now: Date, limit: Int, after cursor: String?) async throws -> Page<SubscriptionRecord> {
        try await pool.read { db in
            var conditions: [String] = [], arguments: StatementArguments = []
            switch status {
            case "active"?: conditions.append("s.status = 'active' AND s.current_period_end > ?"); arguments += [now]
            case "expired"?: conditions.append("s.status = 'active' AND s.current_period_end <= ?"); arguments += [now]
            case let other?: conditions.append("s.status = ?"); arguments += [other]
            case nil: break
            }
            return try Self.page(db, select: Self.subscriptionSelect, conditions: conditions, arguments: arguments, dateColumn: "s.created_at",
                                 idColumn: "s.id", limit: limit, cursor: cursor, map: { Self.subscriptionRecord($0, now: now) }) {
                ListCursor(date: $0.createdAt, id: $0.state.id)
            }
        }
    }

    public func cancelSubscription(_ id: String, by actor: String, now: Date) async throws -> SubscriptionRecord? {
        try await pool.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM subscriptions WHERE id = ?", arguments: [id]) == true else { return nil }
            try db.execute(sql: "UPDATE subscriptions SET status = 'cancelled' WHERE id = ?", arguments: [id])
            try Self.audit(db, actor: actor, action: "cancel_subscription", target: "subscription:\(id)", reason: nil)
            return try Row.fetchOne(db, sql: Self.subscriptionSelect + " WHERE s.id = ?", arguments: [id]).map { Self.subscriptionRecord($0, now: now) }
        }
    }

    public func grantPlan(to accountID: String, planID: String, periodDays: Int, by actor: String, now: Date) async throws -> SubscriptionState? {
        try await pool.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM accounts WHERE id = ?", arguments: [accountID]) == true else { return nil }
            let subscription = try Self.extendSubscription(db, accountID: accountID, planID: planID, periodDays: periodDays, now: now)
            try Self.audit(db, actor: actor, action: "grant_plan", target: "user:\(accountID)", reason: "plan \(planID)")
            return subscription
        }
    }

    public func auditLog(limit: Int, after cursor: String?) async throws -> Page<AuditEntry> {
        try await pool.read { db in
            // Moderation (not the imports, which are no one's decision) and the other admin actions.
            var sql = """
                SELECT * FROM (
                    SELECT 'm' || id AS id, actor, action, 'creator:' || slug AS target, reason, at FROM moderation_events WHERE action != 'import'
                    UNION ALL
                    SELECT 'a' || id, actor, action, target, reason, at FROM audit_log)
                """
            var arguments: StatementArguments = []
            if let position = cursor.flatMap(ListCursor.init(encoded:)) {
                sql += " WHERE at < ? OR (at = ? AND id < ?)"
                arguments += [position.date, position.date, position.id]
            }
            sql += " ORDER BY at DESC, id DESC LIMIT ?"
            arguments += [limit + 1]
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            let items = rows.prefix(limit).map { AuditEntry(id: $0[0], actor: $0[1], action: $0[2], target: $0[3], reason: $0[4], at: $0[5]) }
            return Page(items: Array(items), nextCursor: rows.count > limit ? items.last.map { ListCursor(date: $0.at, id: $0.id).encoded } : nil)
        }
    }

    public func discoverySignals() async throws -> DiscoverySignals {
        try await pool.read { db in
            // Read through system calls, not the memory map: a scan of a million contacts
            // would otherwise map the whole table into this process (hundreds of MB of RSS).
            try db.execute(sql: "PRAGMA mmap_size = 0")
            defer { try? db.execute(sql: "PRAGMA mmap_size = \(SQLiteStore.mmapSize)") }
            var builder = DiscoverySignals.Builder()
            // A cursor: a million rows are read one at a time, never all held as rows. In
            // customer order (the contacts' unique index); the time as a number (julianday),
            // not a date string to parse.
            let rows = try Row.fetchCursor(db, sql: """
                SELECT creator_slug, customer_id, julianday(created_at) - 2440587.5 FROM contacts ORDER BY customer_id
                """)
            while let row = try rows.next() {
                builder.addContact(creatorSlug: row[0], customerID: row[1], day: row[2])
            }
            for row in try Row.fetchAll(db, sql: "SELECT creator_slug, COUNT(*), SUM(first_response_at IS NOT NULL) FROM leads GROUP BY creator_slug") {
                builder.setLeads(of: row[0], total: row[1], answered: row[2])
            }
            return builder.signals
        }
    }

    // MARK: - Helpers

    static func audit(_ db: Database, actor: String, action: String, target: String, reason: String?) throws {
        try db.execute(sql: "INSERT INTO audit_log (actor, action, target, reason, at) VALUES (?, ?, ?, ?, ?)",
                       arguments: [actor, action, target, reason, Date()])
    }

    private static let subscriptionSelect = """
        SELECT s.id, s.plan_id, s.status, s.current_period_end, s.created_at, a.id, a.email, a.name
        FROM subscriptions s JOIN accounts a ON a.id = s.account_id
        """

    private static func subscriptionRecord(_ row: Row, now: Date) -> SubscriptionRecord {
        SubscriptionRecord(state: subscriptionState(id: row[0], planID: row[1], status: row[2], end: row[3], now: now),
                           user: AccountRef(id: row[5], email: row[6], name: row[7]), createdAt: row[4])
    }

    /// A page of `select` rows, newest first by `dateColumn` then `idColumn`, continuing
    /// after `cursor` (a `ListCursor`).
    static func page<Item>(_ db: Database, select: String, conditions: [String], arguments: StatementArguments, dateColumn: String,
                           idColumn: String = "id", limit: Int, cursor: String?, map: (Row) throws -> Item,
                           position: (Item) -> ListCursor) throws -> Page<Item> {
        var conditions = conditions, arguments = arguments
        if let position = cursor.flatMap(ListCursor.init(encoded:)) {
            conditions.append("(\(dateColumn) < ? OR (\(dateColumn) = ? AND \(idColumn) < ?))")
            arguments += [position.date, position.date, position.id]
        }
        var sql = select
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY \(dateColumn) DESC, \(idColumn) DESC LIMIT ?"
        arguments += [limit + 1]
        let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
        let items = try rows.prefix(limit).map(map)
        return Page(items: Array(items), nextCursor: rows.count > limit ? items.last.map { position($0).encoded } : nil)
    }
}
