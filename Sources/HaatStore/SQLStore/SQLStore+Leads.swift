import Foundation
import HaatCore

/// Leads, their acknowledgement and the lead socket's tickets, for both stores. A lead is
/// its owner's to see once the profile's ownership is confirmed (`ProfileOwnership`); a
/// ticket is redeemed by one update, so it works once, on any instance.
extension SQLStore {
    public func leads(ownedBy ownerEmail: String, status: LeadStatus?, limit: Int, after cursor: String?) async throws -> Page<Lead> {
        // The cursor is the last seen `seq`: a creator's leads are numbered newest last.
        var conditions: [SQL] = ["l.account = \(ownerEmail)", ProfileOwnership.leadVisible]
        if let status { conditions.append("l.status = \(status.rawValue)") }
        if let before = cursor.flatMap({ Int($0) }) { conditions.append("l.seq < \(before)") }
        let statement = Lead.select + " WHERE " + .joined(conditions, separator: " AND ") + " ORDER BY l.seq DESC LIMIT \(limit + 1)"
        let leads = try await read { database in try await database.rows(statement, Lead.init(row:)) }
        let items = Array(leads.prefix(limit))
        return Page(items: items, nextCursor: leads.count > limit ? items.last.map { String($0.seq) } : nil)
    }

    public func setStatus(_ status: LeadStatus, ofLead contactID: String, ownedBy ownerEmail: String, at date: Date) async throws -> Lead? {
        try await transaction { database in
            guard try await database.exists("""
                UPDATE leads SET status = \(status.rawValue),
                    first_response_at = CASE WHEN first_response_at IS NULL AND \(status.rawValue) <> 'new' THEN \(date) ELSE first_response_at END
                WHERE contact_id = \(contactID) AND account = \(ownerEmail)
                    AND \(sql: ProfileOwnership.isConfirmed(slug: "leads.creator_slug", email: "leads.account"))
                RETURNING contact_id
                """) else { return nil }
            return try await database.row(Lead.select + " WHERE l.contact_id = \(contactID)", Lead.init(row:))
        }
    }

    public func leads(ownedBy ownerEmail: String, since: Date) async throws -> [Lead] {
        try await read { database in
            try await database.rows(Lead.select + """
                 WHERE l.account = \(ownerEmail) AND l.created_at >= \(since) AND \(sql: ProfileOwnership.leadVisible) ORDER BY l.seq
                """, Lead.init(row:))
        }
    }

    public func unacknowledgedLeads(ownedBy ownerEmail: String, after seq: Int, limit: Int) async throws -> [Lead] {
        try await read { database in
            let acknowledged: SQL = "COALESCE((SELECT seq FROM lead_acknowledgements WHERE account = \(ownerEmail)), 0)"
            return try await database.rows(Lead.select + """
                 WHERE l.account = \(ownerEmail) AND l.seq > \(sql: database.dialect.greatest("\(seq)", acknowledged))
                    AND \(sql: ProfileOwnership.leadVisible) ORDER BY l.seq LIMIT \(limit)
                """, Lead.init(row:))
        }
    }

    public func acknowledgeLeads(ownedBy ownerEmail: String, upTo seq: Int) async throws {
        try await transaction { database in
            // Never past the last lead that exists: an ack from the future cannot hide
            // leads not yet made.
            let dialect = database.dialect
            try await database.execute("""
                INSERT INTO lead_acknowledgements (account, seq)
                SELECT \(ownerEmail), \(sql: dialect.least("CAST(\(seq) AS BIGINT)", "COALESCE((SELECT MAX(seq) FROM leads WHERE account = \(ownerEmail)), 0)"))
                WHERE true
                ON CONFLICT (account) DO UPDATE SET seq = \(sql: dialect.greatest("lead_acknowledgements.seq", "excluded.seq"))
                """)
        }
    }

    public func storeNotificationTicket(hash: String, accountID: String, expiresAt: Date) async throws {
        try await transaction { database in
            // Expired tickets are of no use to anyone: cleared as new ones come.
            try await database.execute("DELETE FROM notification_tickets WHERE expires_at < \(Date().addingTimeInterval(-3600))")
            try await database.execute("INSERT INTO notification_tickets (token_hash, account_id, expires_at) VALUES (\(hash), \(accountID), \(expiresAt))")
        }
    }

    public func redeemNotificationTicket(hash: String, now: Date) async throws -> String? {
        try await transaction { database in
            try await database.value("""
                UPDATE notification_tickets SET used_at = \(now) WHERE token_hash = \(hash) AND used_at IS NULL AND expires_at > \(now)
                RETURNING account_id
                """, as: String.self)
        }
    }
}

extension Lead {
    /// The columns `init(row:)` reads, in its order, from `leads l`.
    public static let select: SQL = """
        SELECT l.contact_id, l.creator_slug, l.account, l.seq, a.name, k.service, k.message, k.callback_phone,
            l.status, l.created_at, l.first_response_at
        FROM leads l JOIN contacts k ON k.id = l.contact_id JOIN accounts a ON a.id = k.customer_id
        """

    public init(row: any SQLRow) throws {
        self.init(contactID: try row[0], creatorSlug: try row[1], ownerEmail: try row[2], seq: try row[3], customerName: try row[4],
                  service: try row[5], message: try row[6], callbackPhone: try row[7], status: LeadStatus(rawValue: try row[8]) ?? .new,
                  createdAt: try row[9], firstResponseAt: try row[10])
    }
}
