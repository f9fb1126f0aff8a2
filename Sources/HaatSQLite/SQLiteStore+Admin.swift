import Foundation
import HaatStore
import GRDB
import HaatCore

/// The admin's side of the store: verification, accounts, contact monitoring, stats,
/// subscriptions and the audit log. Every change is recorded with who made it.
extension SQLiteStore {

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
}
