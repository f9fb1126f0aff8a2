import Foundation
import GRDB
import HaatCore

extension SQLiteStore {
    /// Decides and records a contact request in one write transaction (SQLite's single
    /// writer), so concurrent requests of one customer can never use more than the free
    /// limit. Concurrent requests share write transactions (`GroupCommit`), each in its
    /// own savepoint, decided one after another.
    ///
    /// Repeats too are decided on the writer: in WAL mode a reader connection's page
    /// cache is dropped whenever another connection has written, so under a stream of
    /// reveals reads on the writer's warm cache are the cheaper ones.
    public func revealContact(_ request: ContactRequest) async throws -> ContactDecision {
        try await groupCommit.write { db in try Self.decide(db, request) }
    }

    /// Everything a decision reads, in one statement: the account, the creator's approved
    /// phone, an earlier contact of this creator, and the quota (free contacts used and
    /// the current subscription). One statement rather than five because this runs on the
    /// single writer for every reveal. The quota part follows the same rule as
    /// `quota(_:accountID:freeLimit:now:)` (`GET /me`): change both together.
    private static func lookUp(_ db: Database, _ request: ContactRequest) throws -> ContactLookup {
        guard let row = try db.cachedRow("""
            SELECT a.email, a.status, c.slug, c.account, r.phone, r.whatsapp, k.id,
                (SELECT COUNT(*) FROM contacts f WHERE f.customer_id = a.id AND f.charged = 'free'),
                s.id, s.plan_id, s.status, s.current_period_end, a.name
            FROM accounts a
            LEFT JOIN creators c ON c.slug = ? AND c.status = 'approved'
            LEFT JOIN revisions r INDEXED BY revisions_contact ON r.slug = c.slug AND r.sha256 = c.approved_sha256
            LEFT JOIN contacts k ON k.customer_id = a.id AND k.creator_slug = c.slug
            LEFT JOIN subscriptions s ON s.id = (
                SELECT id FROM subscriptions WHERE account_id = a.id ORDER BY created_at DESC, rowid DESC LIMIT 1)
            WHERE a.id = ?
            """, [request.creatorSlug, request.customerID]) else {
            return .unknownAccount
        }
        // Columns by position: by name, GRDB compares case-insensitively, lowercasing.
        guard (row[1] as String) == AccountStatus.active.rawValue else { return .accountSuspended }
        guard let slug = row[2] as String?, let phone = row[4] as String? else { return .notFound }
        if (row[3] as String) == (row[0] as String) { return .ownProfile }
        let subscription = (row[8] as String?).map { id in
            subscriptionState(id: id, planID: row[9], status: row[10], end: row[11], now: request.now)
        }
        return .found(LiveContact(slug: slug, owner: row[3], phone: phone, whatsapp: row[5], customerName: row[12]), existingContactID: row[6],
                      quota: QuotaState(freeLimit: request.freeLimit, freeUsed: row[7], subscription: subscription))
    }

    /// The authoritative decision, inside the write transaction.
    private static func decide(_ db: Database, _ request: ContactRequest) throws -> ContactDecision {
        switch try lookUp(db, request).verdict {
        case .decided(let decision, let attempt):
            if let attempt { try recordAttempt(db, request, outcome: attempt.outcome, charged: attempt.charged) }
            return decision
        case .firstContact(let live, let charge, let quota):
            let contactID = UUID().uuidString.lowercased()
            try db.cachedExecute("""
                INSERT INTO contacts (id, customer_id, creator_slug, charged, service, message, callback_phone, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [contactID, request.customerID, live.slug, charge.rawValue, request.service, request.message, request.callbackPhone, request.now])
            let seq = (try db.cachedInt("SELECT MAX(seq) FROM leads WHERE account = ?", [live.owner]) ?? 0) + 1
            try db.cachedExecute("INSERT INTO leads (contact_id, creator_slug, account, seq, status, created_at) VALUES (?, ?, ?, ?, 'new', ?)",
                                 [contactID, live.slug, live.owner, seq, request.now])
            try recordAttempt(db, request, outcome: .revealed, charged: charge)
            return request.firstContactReveal(contactID: contactID, seq: seq, live: live, charge: charge, quota: quota)
        }
    }

    private static func recordAttempt(_ db: Database, _ request: ContactRequest, outcome: ContactOutcome, charged: Charge? = nil) throws {
        try recordAttempt(db, customerID: request.customerID, creatorSlug: request.creatorSlug, outcome: outcome, charged: charged,
                          clientAddress: request.clientAddress, at: request.now)
    }

    static func recordAttempt(_ db: Database, customerID: String, creatorSlug: String, outcome: ContactOutcome, charged: Charge?,
                              clientAddress: String, at date: Date) throws {
        try db.cachedExecute("""
            INSERT INTO contact_attempts (customer_id, creator_slug, outcome, charged, client_address, created_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """, [customerID, String(creatorSlug.prefix(64)), outcome.rawValue, charged?.rawValue, clientAddress, date])
    }

    public func recordContactAttempt(customerID: String, creatorSlug: String, outcome: ContactOutcome, clientAddress: String, at date: Date) async throws {
        try await groupCommit.write { db in
            try Self.recordAttempt(db, customerID: customerID, creatorSlug: creatorSlug, outcome: outcome, charged: nil,
                                   clientAddress: clientAddress, at: date)
        }
    }

    public func quota(of accountID: String, freeLimit: Int, now: Date) async throws -> QuotaState {
        try await pool.read { db in try Self.quota(db, accountID: accountID, freeLimit: freeLimit, now: now) }
    }

    public func contacts(of customerID: String, limit: Int, after cursor: String?) async throws -> Page<CustomerContact> {
        let position = cursor.flatMap(ListCursor.init(encoded:))
        return try await pool.read { db in
            var sql = """
                SELECT k.id, k.creator_slug, k.charged, k.created_at, c.name, r.phone
                FROM contacts k JOIN creators c ON c.slug = k.creator_slug
                LEFT JOIN revisions r ON r.slug = c.slug AND r.sha256 = c.approved_sha256
                WHERE k.customer_id = ?
                """
            var arguments: StatementArguments = [customerID]
            if let position {
                sql += " AND (k.created_at < ? OR (k.created_at = ? AND k.id < ?))"
                arguments += [position.date, position.date, position.id]
            }
            sql += " ORDER BY k.created_at DESC, k.id DESC LIMIT ?"
            arguments += [limit + 1]
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            let items = rows.prefix(limit).map { row in
                CustomerContact(contactID: row["id"], creatorSlug: row["creator_slug"], creatorName: row["name"], phone: row["phone"] ?? "",
                                charged: Charge(rawValue: row["charged"]) ?? .free, createdAt: row["created_at"])
            }
            let next = rows.count > limit ? items.last.map { ListCursor(date: $0.createdAt, id: $0.contactID).encoded } : nil
            return Page(items: items, nextCursor: next)
        }
    }

    static func quota(_ db: Database, accountID: String, freeLimit: Int, now: Date) throws -> QuotaState {
        let used = try db.cachedInt("SELECT COUNT(*) FROM contacts WHERE customer_id = ? AND charged = 'free'", [accountID]) ?? 0
        return QuotaState(freeLimit: freeLimit, freeUsed: used, subscription: try currentSubscription(db, accountID: accountID, now: now))
    }

    /// An account's current subscription: its latest, as of `now`. A payment extends the
    /// current one while it is active, else starts a new one, so the latest is the one
    /// that counts (a cancelled one with a later end does not hide a new purchase).
    static func currentSubscription(_ db: Database, accountID: String, now: Date) throws -> SubscriptionState? {
        try db.cachedRow("""
            SELECT id, plan_id, status, current_period_end FROM subscriptions WHERE account_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1
            """, [accountID]).map { row in
            subscriptionState(id: row[0], planID: row[1], status: row[2], end: row[3], now: now)
        }
    }

    static func subscriptionState(id: String, planID: String, status: String, end: Date, now: Date) -> SubscriptionState {
        SubscriptionState.asOf(now, id: id, planID: planID, storedStatus: status, end: end)
    }
}

/// The position after which a list continues: opaque to clients (base64 of time and id).
public struct ListCursor: Sendable {
    public let date: Date
    public let id: String

    public init(date: Date, id: String) {
        self.date = date
        self.id = id
    }

    public init?(encoded: String) {
        guard let data = Data(base64Encoded: encoded), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: "|", maxSplits: 1)
        guard parts.count == 2, let seconds = Double(parts[0]) else { return nil }
        date = Date(timeIntervalSince1970: seconds)
        id = String(parts[1])
    }

    public var encoded: String { Data("\(date.timeIntervalSince1970)|\(id)".utf8).base64EncodedString() }
}

extension Database {
    // Prepared once per connection and reused: the reveal runs these on every request.
    func cachedRow(_ sql: String, _ arguments: StatementArguments) throws -> Row? {
        try Row.fetchOne(cachedStatement(sql: sql), arguments: arguments)
    }

    func cachedInt(_ sql: String, _ arguments: StatementArguments) throws -> Int? {
        try Int.fetchOne(cachedStatement(sql: sql), arguments: arguments)
    }

    func cachedExecute(_ sql: String, _ arguments: StatementArguments) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
