import Foundation
import HaatStore
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
    /// single writer for every reveal; its quota part reads what `SQLExecutor.quota(of:)`
    /// reads for `GET /me`, which `ContactStoreContractTests` holds to one answer.
    private static func lookUp(_ db: Database, _ request: ContactRequest) throws -> ContactLookup {
        guard let row = try db.cachedRow("""
            SELECT a.email, a.status, c.slug, c.account, r.phone, r.whatsapp, k.id,
                CASE WHEN ? AND a.phone IS NOT NULL
                    THEN (SELECT COUNT(*) FROM contacts f JOIN accounts p ON p.id = f.customer_id WHERE p.phone = a.phone AND f.charged = 'free')
                    ELSE (SELECT COUNT(*) FROM contacts f WHERE f.customer_id = a.id AND f.charged = 'free') END,
                s.id, s.plan_id, s.status, s.current_period_end, a.name, a.phone IS NOT NULL
            FROM accounts a
            LEFT JOIN creators c ON c.slug = ? AND c.status = 'approved'
            LEFT JOIN revisions r INDEXED BY revisions_contact ON r.slug = c.slug AND r.sha256 = c.approved_sha256
            LEFT JOIN contacts k ON k.customer_id = a.id AND k.creator_slug = c.slug
            LEFT JOIN subscriptions s ON s.id = (
                SELECT id FROM subscriptions WHERE account_id = a.id ORDER BY created_at DESC, rowid DESC LIMIT 1)
            WHERE a.id = ?
            """, [request.perVerifiedNumber, request.creatorSlug, request.customerID]) else {
            return ContactLookup(nil, freeLimit: request.freeLimit)
        }
        // Columns by position: by name, GRDB compares case-insensitively, lowercasing.
        let subscription = (row[8] as String?).map { id in
            SubscriptionState.asOf(request.now, id: id, planID: row[9], storedStatus: row[10], end: row[11])
        }
        return ContactLookup(RevealFacts(accountEmail: row[0], accountStatus: row[1], customerName: row[12], slug: row[2], owner: row[3],
                                         phone: row[4], whatsapp: row[5], existingContactID: row[6], freeUsed: row[7], subscription: subscription,
                                         phoneVerified: row[13]),
                             freeLimit: request.freeLimit, requiresVerifiedPhone: request.perVerifiedNumber)
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
