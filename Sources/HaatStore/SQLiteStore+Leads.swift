import Foundation
import GRDB
import HaatCore

extension SQLiteStore {
    private static let leadSelect = """
        SELECT l.contact_id, l.creator_slug, l.account, l.seq, a.name, k.service, k.message, k.callback_phone,
            l.status, l.created_at, l.first_response_at
        FROM leads l JOIN contacts k ON k.id = l.contact_id JOIN accounts a ON a.id = k.customer_id
        """

    private static func lead(_ row: Row) -> Lead {
        Lead(contactID: row[0], creatorSlug: row[1], ownerEmail: row[2], seq: row[3], customerName: row[4], service: row[5],
             message: row[6], callbackPhone: row[7], status: LeadStatus(rawValue: row[8]) ?? .new, createdAt: row[9],
             firstResponseAt: row[10])
    }

    public func leads(ownedBy ownerEmail: String, status: LeadStatus?, limit: Int, after cursor: String?) async throws -> Page<Lead> {
        // The cursor is the last seen `seq`: a creator's leads are numbered newest last.
        let before = cursor.flatMap { Int($0) }
        return try await pool.read { db in
            var sql = Self.leadSelect + " WHERE l.account = ? AND \(ProfileOwnership.leadVisible)"
            var arguments: StatementArguments = [ownerEmail]
            if let status {
                sql += " AND l.status = ?"
                arguments += [status.rawValue]
            }
            if let before {
                sql += " AND l.seq < ?"
                arguments += [before]
            }
            sql += " ORDER BY l.seq DESC LIMIT ?"
            arguments += [limit + 1]
            let leads = try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.lead)
            let items = Array(leads.prefix(limit))
            return Page(items: items, nextCursor: leads.count > limit ? items.last.map { String($0.seq) } : nil)
        }
    }

    public func setStatus(_ status: LeadStatus, ofLead contactID: String, ownedBy ownerEmail: String, at date: Date) async throws -> Lead? {
        try await writer.write { db in
            try db.execute(sql: """
                UPDATE leads SET status = ?,
                    first_response_at = CASE WHEN first_response_at IS NULL AND ? != 'new' THEN ? ELSE first_response_at END
                WHERE contact_id = ? AND account = ? AND \(ProfileOwnership.isConfirmed(slug: "leads.creator_slug", email: "leads.account"))
                """, arguments: [status.rawValue, status.rawValue, date, contactID, ownerEmail])
            guard db.changesCount > 0 else { return nil }
            return try Row.fetchOne(db, sql: Self.leadSelect + " WHERE l.contact_id = ?", arguments: [contactID]).map(Self.lead)
        }
    }

    public func leads(ownedBy ownerEmail: String, since: Date) async throws -> [Lead] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: Self.leadSelect + " WHERE l.account = ? AND l.created_at >= ? AND \(ProfileOwnership.leadVisible) ORDER BY l.seq",
                             arguments: [ownerEmail, since]).map(Self.lead)
        }
    }

    public func unacknowledgedLeads(ownedBy ownerEmail: String, after seq: Int, limit: Int) async throws -> [Lead] {
        try await pool.read { db in
            let acknowledged = try Int.fetchOne(db, sql: "SELECT seq FROM lead_acknowledgements WHERE account = ?", arguments: [ownerEmail]) ?? 0
            return try Row.fetchAll(db, sql: Self.leadSelect + " WHERE l.account = ? AND l.seq > ? AND \(ProfileOwnership.leadVisible) ORDER BY l.seq LIMIT ?",
                                    arguments: [ownerEmail, max(seq, acknowledged), limit]).map(Self.lead)
        }
    }

    public func acknowledgeLeads(ownedBy ownerEmail: String, upTo seq: Int) async throws {
        try await writer.write { db in
            // Never past the last lead that exists: an ack from the future cannot hide
            // leads not yet made.
            try db.execute(sql: """
                INSERT INTO lead_acknowledgements (account, seq)
                SELECT ?, MIN(?, COALESCE((SELECT MAX(seq) FROM leads WHERE account = ?), 0))
                WHERE true
                ON CONFLICT (account) DO UPDATE SET seq = MAX(seq, excluded.seq)
                """, arguments: [ownerEmail, seq, ownerEmail])
        }
    }

    /// Hands the leads of `slug` kept under `email` while its ownership was unconfirmed to
    /// that account: numbered after its newest lead, so a socket that acknowledged later
    /// leads meanwhile still replays them. Inside the confirmation's transaction.
    static func deliverWaitingLeads(_ db: Database, of slug: Slug, to email: String) throws -> [Lead] {
        let waiting = try String.fetchAll(db, sql: "SELECT contact_id FROM leads WHERE creator_slug = ? AND account = ? ORDER BY seq",
                                          arguments: [slug.rawValue, email])
        var seq = try Int.fetchOne(db, sql: "SELECT MAX(seq) FROM leads WHERE account = ?", arguments: [email]) ?? 0
        for contactID in waiting {
            seq += 1
            try db.execute(sql: "UPDATE leads SET seq = ? WHERE contact_id = ?", arguments: [seq, contactID])
        }
        return try Row.fetchAll(db, sql: Self.leadSelect + " WHERE l.creator_slug = ? AND l.account = ? ORDER BY l.seq",
                                arguments: [slug.rawValue, email]).map(Self.lead)
    }

    public func storeNotificationTicket(hash: String, accountID: String, expiresAt: Date) async throws {
        try await writer.write { db in
            // Expired tickets are of no use to anyone: cleared as new ones come.
            try db.execute(sql: "DELETE FROM notification_tickets WHERE expires_at < ?", arguments: [Date().addingTimeInterval(-3600)])
            try db.execute(sql: "INSERT INTO notification_tickets (token_hash, account_id, expires_at) VALUES (?, ?, ?)",
                           arguments: [hash, accountID, expiresAt])
        }
    }

    public func redeemNotificationTicket(hash: String, now: Date) async throws -> String? {
        try await writer.write { db in
            try db.execute(sql: "UPDATE notification_tickets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
                           arguments: [now, hash, now])
            guard db.changesCount == 1 else { return nil }
            return try String.fetchOne(db, sql: "SELECT account_id FROM notification_tickets WHERE token_hash = ?", arguments: [hash])
        }
    }
}
