import Foundation
import HaatStore
import HaatCore

extension SQLiteStore {
    /// Numbered one by one after the account's newest lead: SQLite's single writer orders
    /// them with concurrent first contacts.
    public func deliverWaitingLeads(of slug: Slug, to email: String, in database: any SQLExecutor) async throws -> [Lead] {
        let waiting = try await database.rows("SELECT contact_id FROM leads WHERE creator_slug = \(slug.rawValue) AND account = \(email) ORDER BY seq") {
            try $0[0] as String
        }
        var seq = try await database.value("SELECT MAX(seq) FROM leads WHERE account = \(email)", as: Int.self) ?? 0
        for contactID in waiting {
            seq += 1
            try await database.execute("UPDATE leads SET seq = \(seq) WHERE contact_id = \(contactID)")
        }
        return try await database.rows(Lead.select + " WHERE l.creator_slug = \(slug.rawValue) AND l.account = \(email) ORDER BY l.seq", Lead.init(row:))
    }
}
