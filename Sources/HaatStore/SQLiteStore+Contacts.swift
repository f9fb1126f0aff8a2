import Foundation
import GRDB
import HaatCore

extension SQLiteStore {
    /// Decides and records a contact request in one write transaction (SQLite's single
    /// writer, `BEGIN IMMEDIATE`), so concurrent requests of one customer can never use
    /// more than the free limit.
    public func revealContact(_ request: ContactRequest) async throws -> ContactDecision {
        try await pool.write { db in
            let customerID = request.customerID
            func record(_ outcome: ContactOutcome, charged: Charge? = nil) throws {
                try db.cachedExecute("""
                    INSERT INTO contact_attempts (customer_id, creator_slug, outcome, charged, client_address, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, [customerID, String(request.creatorSlug.prefix(64)), outcome.rawValue, charged?.rawValue, request.clientAddress, request.now])
            }
            // The account is read in the same transaction: one trip to the database.
            guard let account = try db.cachedRow("SELECT email, status FROM accounts WHERE id = ?", [customerID]) else {
                return .unknownAccount
            }
            guard (account["status"] as String) == AccountStatus.active.rawValue else {
                try record(.forbidden)
                return .accountSuspended
            }
            guard let creator = try db.cachedRow("""
                SELECT c.slug, c.account, r.phone, r.whatsapp
                FROM creators c JOIN revisions r ON r.slug = c.slug AND r.sha256 = c.approved_sha256
                WHERE c.slug = ? AND c.status = 'approved'
                """, [request.creatorSlug]), let phone = creator["phone"] as String? else {
                try record(.notFound)
                return .notFound
            }
            if (creator["account"] as String) == (account["email"] as String) {
                try record(.forbidden)
                return .ownProfile
            }
            let slug: String = creator["slug"]
            let whatsapp: String? = creator["whatsapp"]
            if let contactID = try db.cachedString("SELECT id FROM contacts WHERE customer_id = ? AND creator_slug = ?",
                                                   [customerID, slug]) {
                try record(.repeated, charged: .repeated)
                return .revealed(ContactReveal(contactID: contactID, creatorSlug: slug, phone: phone, whatsapp: whatsapp, charged: .repeated,
                                               quota: try Self.quota(db, accountID: customerID, freeLimit: request.freeLimit, now: request.now)))
            }
            let before = try Self.quota(db, accountID: customerID, freeLimit: request.freeLimit, now: request.now)
            let charge: Charge
            if before.freeRemaining > 0 {
                charge = .free
            } else if let subscription = before.subscription, subscription.status == "active" {
                charge = .subscription
            } else {
                try record(.quotaRefused)
                return .quotaRefused(before)
            }
            let contactID = UUID().uuidString.lowercased()
            try db.cachedExecute("""
                INSERT INTO contacts (id, customer_id, creator_slug, charged, service, message, callback_phone, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [contactID, customerID, slug, charge.rawValue, request.service, request.message, request.callbackPhone, request.now])
            let seq = (try db.cachedInt("SELECT MAX(seq) FROM leads WHERE creator_slug = ?", [slug]) ?? 0) + 1
            try db.cachedExecute("INSERT INTO leads (contact_id, creator_slug, seq, status, created_at) VALUES (?, ?, ?, 'new', ?)",
                           [contactID, slug, seq, request.now])
            try record(.revealed, charged: charge)
            return .revealed(ContactReveal(contactID: contactID, creatorSlug: slug, phone: phone, whatsapp: whatsapp, charged: charge,
                                           quota: try Self.quota(db, accountID: customerID, freeLimit: request.freeLimit, now: request.now)))
        }
    }

    public func recordContactAttempt(customerID: String, creatorSlug: String, outcome: ContactOutcome, clientAddress: String, at date: Date) async throws {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO contact_attempts (customer_id, creator_slug, outcome, charged, client_address, created_at) VALUES (?, ?, ?, NULL, ?, ?)
                """, arguments: [customerID, String(creatorSlug.prefix(64)), outcome.rawValue, clientAddress, date])
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
        let subscription = try db.cachedRow("""
            SELECT * FROM subscriptions WHERE account_id = ? ORDER BY current_period_end DESC LIMIT 1
            """, [accountID]).map { row -> SubscriptionState in
            let end: Date = row["current_period_end"]
            let stored: String = row["status"]
            return SubscriptionState(id: row["id"], planID: row["plan_id"], status: stored == "active" && end <= now ? "expired" : stored,
                                     currentPeriodEnd: end)
        }
        return QuotaState(freeLimit: freeLimit, freeUsed: used, subscription: subscription)
    }
}

/// The position after which a list continues: opaque to clients (base64 of time and id).
struct ListCursor {
    let date: Date
    let id: String

    init(date: Date, id: String) {
        self.date = date
        self.id = id
    }

    init?(encoded: String) {
        guard let data = Data(base64Encoded: encoded), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: "|", maxSplits: 1)
        guard parts.count == 2, let seconds = Double(parts[0]) else { return nil }
        date = Date(timeIntervalSince1970: seconds)
        id = String(parts[1])
    }

    var encoded: String { Data("\(date.timeIntervalSince1970)|\(id)".utf8).base64EncodedString() }
}

extension Database {
    // Prepared once per connection and reused: the reveal runs these on every request.
    func cachedRow(_ sql: String, _ arguments: StatementArguments) throws -> Row? {
        try Row.fetchOne(cachedStatement(sql: sql), arguments: arguments)
    }

    func cachedString(_ sql: String, _ arguments: StatementArguments) throws -> String? {
        try String.fetchOne(cachedStatement(sql: sql), arguments: arguments)
    }

    func cachedInt(_ sql: String, _ arguments: StatementArguments) throws -> Int? {
        try Int.fetchOne(cachedStatement(sql: sql), arguments: arguments)
    }

    func cachedExecute(_ sql: String, _ arguments: StatementArguments) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
