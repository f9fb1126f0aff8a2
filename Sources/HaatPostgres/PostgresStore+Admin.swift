import Foundation
import HaatCore
import HaatStore
import PostgresNIO

/// The admin's side: verification, accounts, contact monitoring, stats, subscriptions and
/// the audit log. Same meaning as `SQLiteStore`'s; every change is recorded with who made it.
extension PostgresStore {

    public func attemptsByAccount(since: Date, limit: Int) async throws -> [AccountActivity] {
        try await rows("""
            WITH window_attempts AS (SELECT * FROM contact_attempts WHERE created_at >= \(since)),
            hourly AS (SELECT customer_id, MAX(n) AS peak FROM (
                SELECT customer_id, COUNT(*) AS n FROM window_attempts GROUP BY customer_id, date_trunc('hour', created_at)) h
                GROUP BY customer_id)
            SELECT t.customer_id, a.email, a.name, COUNT(*) AS attempts, COUNT(DISTINCT t.creator_slug) AS creators,
                COUNT(*) FILTER (WHERE t.outcome IN ('revealed', 'repeat')) AS revealed,
                COUNT(*) FILTER (WHERE t.outcome NOT IN ('revealed', 'repeat')) AS refused,
                MAX(h.peak) AS peak, MIN(t.created_at) AS first_at, MAX(t.created_at) AS last_at
            FROM window_attempts t JOIN accounts a ON a.id = t.customer_id JOIN hourly h ON h.customer_id = t.customer_id
            GROUP BY t.customer_id, a.email, a.name ORDER BY COUNT(*) DESC, t.customer_id LIMIT \(limit)
            """) { row in
            AccountActivity(customer: AccountRef(id: try row.value("customer_id"), email: try row.value("email"), name: try row.value("name")),
                            attempts: try row.value("attempts"), distinctCreators: try row.value("creators"), revealed: try row.value("revealed"),
                            refused: try row.value("refused"), peakPerHour: try row.value("peak"), firstAt: try row.value("first_at"),
                            lastAt: try row.value("last_at"))
        }
    }

    public func discoverySignals() async throws -> DiscoverySignals {
        var builder = DiscoverySignals.Builder()
        // Streamed row by row, in customer order.
        for try await (slug, id, day) in try await client.query("""
            SELECT creator_slug, customer_id, EXTRACT(EPOCH FROM created_at)::float8 / 86400 FROM contacts ORDER BY customer_id
            """, logger: logger).decode((String, String, Double).self) {
            builder.addContact(creatorSlug: slug, customerID: id, day: day)
        }
        for (slug, total, answered) in try await rows("""
            SELECT creator_slug, COUNT(*) AS total, COUNT(first_response_at) AS answered FROM leads GROUP BY creator_slug
            """, { (try $0.value("creator_slug", as: String.self), try $0.value("total", as: Int.self), try $0.value("answered", as: Int.self)) }) {
            builder.setLeads(of: slug, total: total, answered: answered)
        }
        return builder.signals
    }
}
