import Foundation
import HaatCore
import HaatStore

extension PostgresStore {
    /// Numbered from the account's counter, whose row lock orders them with concurrent
    /// first contacts on any instance.
    public func deliverWaitingLeads(of slug: Slug, to email: String, in database: any SQLExecutor) async throws -> [Lead] {
        let count = try await database.value("SELECT COUNT(*) FROM leads WHERE creator_slug = \(slug.rawValue) AND account = \(email)", as: Int.self) ?? 0
        guard count > 0 else { return [] }
        let last = try await database.value("""
            INSERT INTO lead_sequences (account, last_seq)
            VALUES (\(email), (SELECT COALESCE(MAX(seq), 0) FROM leads WHERE account = \(email)) + \(count))
            ON CONFLICT (account) DO UPDATE
            SET last_seq = GREATEST(lead_sequences.last_seq, (SELECT COALESCE(MAX(seq), 0) FROM leads WHERE account = \(email))) + \(count)
            RETURNING last_seq
            """, as: Int.self) ?? 0
        try await database.execute("""
            UPDATE leads SET seq = w.seq FROM (
                SELECT contact_id, \(last - count) + ROW_NUMBER() OVER (ORDER BY seq) AS seq
                FROM leads WHERE creator_slug = \(slug.rawValue) AND account = \(email)) w
            WHERE leads.contact_id = w.contact_id
            """)
        return try await database.rows(Lead.select + " WHERE l.creator_slug = \(slug.rawValue) AND l.account = \(email) ORDER BY l.seq", Lead.init(row:))
    }
}
