import Foundation
import HaatCore
import HaatStore
import PostgresNIO

/// Leads, their acknowledgement and the lead socket's tickets. Same meaning as
/// `SQLiteStore`'s; a ticket is redeemed by one update, so it works once, on any instance.
extension PostgresStore: LeadStore {
    private static func leadSelect(where condition: String, _ bindings: PostgresBindings, suffix: String = "") -> PostgresQuery {
        PostgresQuery(unsafeSQL: """
            SELECT l.contact_id, l.creator_slug, l.account, l.seq, a.name, k.service, k.message, k.callback_phone,
                l.status, l.created_at, l.first_response_at
            FROM leads l JOIN contacts k ON k.id = l.contact_id JOIN accounts a ON a.id = k.customer_id
            WHERE (\(condition)) AND \(ProfileOwnership.leadVisible) \(suffix)
            """, binds: bindings)
    }

    private static func lead(_ row: PostgresRandomAccessRow) throws -> Lead {
        Lead(contactID: try row.value("contact_id"), creatorSlug: try row.value("creator_slug"), ownerEmail: try row.value("account"),
             seq: try row.value("seq"), customerName: try row.value("name"), service: try row.value("service"), message: try row.value("message"),
             callbackPhone: try row.value("callback_phone"), status: LeadStatus(rawValue: try row.value("status")) ?? .new,
             createdAt: try row.value("created_at"), firstResponseAt: try row.value("first_response_at"))
    }

    private static func bindings(_ values: any PostgresEncodable & Sendable...) throws -> PostgresBindings {
        var bindings = PostgresBindings()
        for value in values { try bindings.append(value) }
        return bindings
    }

    public func leads(ownedBy ownerEmail: String, status: LeadStatus?, limit: Int, after cursor: String?) async throws -> Page<Lead> {
        // The cursor is the last seen `seq`: a creator's leads are numbered newest last.
        let before = cursor.flatMap { Int($0) } ?? Int.max
        let query = Self.leadSelect(where: "l.account = $1 AND ($2 = '' OR l.status = $2) AND l.seq < $3",
                                    try Self.bindings(ownerEmail, status?.rawValue ?? "", before), suffix: "ORDER BY l.seq DESC LIMIT \(limit + 1)")
        let leads = try await rows(query, Self.lead)
        let items = Array(leads.prefix(limit))
        return Page(items: items, nextCursor: leads.count > limit ? items.last.map { String($0.seq) } : nil)
    }

    public func setStatus(_ status: LeadStatus, ofLead contactID: String, ownedBy ownerEmail: String, at date: Date) async throws -> Lead? {
        try await connectionTransaction { connection in
            let changed = try await Self.rowCount("""
                UPDATE leads SET status = \(status.rawValue),
                    first_response_at = CASE WHEN first_response_at IS NULL AND \(status.rawValue) <> 'new' THEN \(date) ELSE first_response_at END
                WHERE contact_id = \(contactID) AND account = \(ownerEmail)
                    AND \(unescaped: ProfileOwnership.isConfirmed(slug: "leads.creator_slug", email: "leads.account"))
                RETURNING contact_id
                """, on: connection, logger: logger)
            guard changed > 0 else { return nil }
            return try await Self.rows(Self.leadSelect(where: "l.contact_id = $1", try Self.bindings(contactID)), on: connection, logger: logger, Self.lead).first
        }
    }

    public func leads(ownedBy ownerEmail: String, since: Date) async throws -> [Lead] {
        try await rows(Self.leadSelect(where: "l.account = $1 AND l.created_at >= $2", try Self.bindings(ownerEmail, since), suffix: "ORDER BY l.seq"), Self.lead)
    }

    public func unacknowledgedLeads(ownedBy ownerEmail: String, after seq: Int, limit: Int) async throws -> [Lead] {
        try await rows(Self.leadSelect(where: """
            l.account = $1 AND l.seq > GREATEST($2, COALESCE((SELECT seq FROM lead_acknowledgements WHERE account = $1), 0))
            """, try Self.bindings(ownerEmail, seq), suffix: "ORDER BY l.seq LIMIT \(limit)"), Self.lead)
    }

    public func acknowledgeLeads(ownedBy ownerEmail: String, upTo seq: Int) async throws {
        // Never past the last lead that exists: an ack from the future cannot hide leads
        // not yet made.
        try await client.query("""
            INSERT INTO lead_acknowledgements (account, seq)
            SELECT \(ownerEmail), LEAST(\(seq)::bigint, COALESCE((SELECT MAX(seq) FROM leads WHERE account = \(ownerEmail)), 0))
            ON CONFLICT (account) DO UPDATE SET seq = GREATEST(lead_acknowledgements.seq, excluded.seq)
            """, logger: logger)
    }

    /// Hands the leads of `slug` kept under `email` while its ownership was unconfirmed to
    /// that account: numbered after its newest lead (taking the numbers from the account's
    /// counter, whose row lock orders them with concurrent first contacts), so a socket
    /// that acknowledged later leads meanwhile still replays them.
    func deliverWaitingLeads(of slug: Slug, to email: String, on connection: PostgresConnection) async throws -> [Lead] {
        let count = try await Self.rows("SELECT COUNT(*) AS n FROM leads WHERE creator_slug = \(slug.rawValue) AND account = \(email)",
                                        on: connection, logger: logger) { try $0.value("n", as: Int.self) }.first ?? 0
        guard count > 0 else { return [] }
        let last = try await Self.rows("""
            INSERT INTO lead_sequences (account, last_seq)
            VALUES (\(email), (SELECT COALESCE(MAX(seq), 0) FROM leads WHERE account = \(email)) + \(count))
            ON CONFLICT (account) DO UPDATE
            SET last_seq = GREATEST(lead_sequences.last_seq, (SELECT COALESCE(MAX(seq), 0) FROM leads WHERE account = \(email))) + \(count)
            RETURNING last_seq
            """, on: connection, logger: logger) { try $0.value("last_seq", as: Int.self) }[0]
        try await connection.query("""
            UPDATE leads SET seq = w.seq FROM (
                SELECT contact_id, \(last - count) + ROW_NUMBER() OVER (ORDER BY seq) AS seq
                FROM leads WHERE creator_slug = \(slug.rawValue) AND account = \(email)) w
            WHERE leads.contact_id = w.contact_id
            """, logger: logger)
        return try await Self.rows(Self.leadSelect(where: "l.creator_slug = $1 AND l.account = $2", try Self.bindings(slug.rawValue, email),
                                                   suffix: "ORDER BY l.seq"), on: connection, logger: logger, Self.lead)
    }

    public func storeNotificationTicket(hash: String, accountID: String, expiresAt: Date) async throws {
        // Expired tickets are of no use to anyone: cleared as new ones come.
        try await client.query("DELETE FROM notification_tickets WHERE expires_at < \(Date().addingTimeInterval(-3600))", logger: logger)
        try await client.query("INSERT INTO notification_tickets (token_hash, account_id, expires_at) VALUES (\(hash), \(accountID), \(expiresAt))",
                               logger: logger)
    }

    public func redeemNotificationTicket(hash: String, now: Date) async throws -> String? {
        try await rows("""
            UPDATE notification_tickets SET used_at = \(now) WHERE token_hash = \(hash) AND used_at IS NULL AND expires_at > \(now)
            RETURNING account_id
            """) { try $0.value("account_id", as: String.self) }.first
    }
}
