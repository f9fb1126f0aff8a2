import Foundation
import HaatCore

/// Creators' Web Push subscriptions and their deliveries, for both stores. Each
/// subscription keeps `pushed_seq`, the last of its account's leads it was sent (or given
/// up on): the leads after it are its queue, so a reveal writes nothing for push, and a
/// restart finds the work where it was. `claimed_until` lets one instance at a time work
/// on a subscription; `next_attempt_at`, `attempts` and `failing_since` hold its retries.
extension SQLStore {
    public func addPushSubscription(_ subscription: PushSubscriptionRecord, limit: Int) async throws -> PushSubscriptionRecord {
        try await transaction { database in
            let owner = subscription.ownerEmail
            try await database.lock("push-subscriptions:" + owner)
            // Only leads from now on: a new phone is not sent the account's history.
            let newest: SQL = "COALESCE((SELECT MAX(seq) FROM leads WHERE account = \(owner)), 0)"
            let id = try await database.value("""
                INSERT INTO push_subscriptions (id, account, endpoint, p256dh, auth, device, created_at, pushed_seq,
                    next_attempt_at, attempts, claimed_until)
                VALUES (\(subscription.id), \(owner), \(subscription.endpoint), \(subscription.p256dh), \(subscription.auth),
                    \(subscription.device), \(subscription.createdAt), \(sql: newest), \(subscription.createdAt), 0, \(Date(timeIntervalSince1970: 0)))
                ON CONFLICT (account, endpoint) DO UPDATE SET p256dh = excluded.p256dh, auth = excluded.auth, device = excluded.device,
                    created_at = excluded.created_at, pushed_seq = excluded.pushed_seq, next_attempt_at = excluded.next_attempt_at,
                    attempts = 0, failing_since = NULL
                RETURNING id
                """, as: String.self) ?? subscription.id
            // The oldest beyond the limit go (a phone reinstalled many times never locks anyone out).
            try await database.execute("""
                DELETE FROM push_subscriptions WHERE account = \(owner) AND id NOT IN (
                    SELECT id FROM push_subscriptions WHERE account = \(owner) ORDER BY created_at DESC, id DESC LIMIT \(limit))
                """)
            var added = subscription
            added.id = id
            return added
        }
    }

    public func pushSubscriptions(ownedBy ownerEmail: String, limit: Int, after cursor: String?) async throws -> Page<PushSubscriptionRecord> {
        try await read { database in
            try await database.page(PushSubscriptionRecord.select, where: ["s.account = \(ownerEmail)"], dateColumn: "s.created_at",
                                    idColumn: "s.id", limit: limit, after: cursor, read: PushSubscriptionRecord.init(row:)) {
                ListCursor(date: $0.createdAt, id: $0.id)
            }
        }
    }

    public func deletePushSubscription(id: String, ownedBy ownerEmail: String) async throws -> Bool {
        try await transaction { database in
            try await database.exists("DELETE FROM push_subscriptions WHERE id = \(id) AND account = \(ownerEmail) RETURNING id")
        }
    }

    public func claimPushDeliveries(now: Date, lease: TimeInterval, limit: Int, leadsEach: Int, scope: PushDeliveryScope) async throws -> [PushDue] {
        // What is due is found by a reader; the writer (SQLite has one, and reveals wait
        // for it) only takes the rows, by id, if no one took them meanwhile.
        var conditions: [SQL] = ["s.next_attempt_at <= \(now)", "s.claimed_until <= \(now)", """
            EXISTS (SELECT 1 FROM leads l WHERE l.account = s.account AND l.seq > s.pushed_seq AND \(sql: ProfileOwnership.leadVisible))
            """]
        switch scope {
        case .owner(let email): conditions.insert("s.account = \(email)", at: 0)
        case .retries: conditions.insert("s.attempts > 0", at: 0)
        case .all: break
        }
        let due: SQL = "SELECT s.id FROM push_subscriptions s WHERE " + .joined(conditions, separator: " AND ")
            + " ORDER BY s.next_attempt_at LIMIT \(limit)"
        let candidates = try await read { database in try await database.rows(due) { row -> String in try row[0] } }
        if candidates.isEmpty { return [] }
        let ids = SQL.joined(candidates.map { id -> SQL in "\(id)" }, separator: ", ")
        let claimed = try await writeStatement(PushDueRow.returning("""
            UPDATE push_subscriptions SET claimed_until = \(now.addingTimeInterval(lease))
            WHERE id IN (\(sql: ids)) AND claimed_until <= \(now) AND next_attempt_at <= \(now)
            """), PushDueRow.init(row:))
        return try await read { database in
            var due: [PushDue] = []
            for row in claimed {
                let leads = try await database.rows(Lead.select + """
                     WHERE l.account = \(row.subscription.ownerEmail) AND l.seq > \(row.pushedSeq) AND \(sql: ProfileOwnership.leadVisible)
                    ORDER BY l.seq LIMIT \(leadsEach)
                    """, Lead.init(row:))
                due.append(PushDue(subscription: row.subscription, leads: leads, attempts: row.attempts, failingSince: row.failingSince))
            }
            return due
        }
    }

    public func finishPushDelivery(subscriptionID id: String, _ report: PushDeliveryReport) async throws {
        let released = Date(timeIntervalSince1970: 0)
        let statement: SQL
        switch report {
        case .done(let seq):
            statement = """
                UPDATE push_subscriptions SET pushed_seq = \(sql: dialect.greatest("pushed_seq", "\(seq)")),
                    attempts = 0, failing_since = NULL, claimed_until = \(released) WHERE id = \(id)
                """
        case .retry(let seq, let retryAt, let attempts, let failingSince):
            statement = """
                UPDATE push_subscriptions SET pushed_seq = \(sql: dialect.greatest("pushed_seq", "\(seq ?? 0)")),
                    attempts = \(attempts), failing_since = \(failingSince), next_attempt_at = \(retryAt), claimed_until = \(released)
                WHERE id = \(id)
                """
        case .gone:
            statement = "DELETE FROM push_subscriptions WHERE id = \(id)"
        }
        _ = try await writeStatement(statement) { _ in () }
    }
}

extension PushSubscriptionRecord {
    /// The columns `init(row:)` reads, in its order, from `push_subscriptions s`.
    static let columns: SQL = "s.id, s.account, s.endpoint, s.p256dh, s.auth, s.device, s.created_at"
    static let select: SQL = "SELECT \(sql: columns) FROM push_subscriptions s"

    init(row: any SQLRow) throws {
        self.init(id: try row[0], ownerEmail: try row[1], endpoint: try row[2], p256dh: try row[3], auth: try row[4],
                  device: try row[5], createdAt: try row[6])
    }
}

/// A claimed subscription as the claim's UPDATE returns it: the record, then where its
/// delivery stands.
private struct PushDueRow: Sendable {
    var subscription: PushSubscriptionRecord
    var pushedSeq: Int
    var attempts: Int
    var failingSince: Date?

    static func returning(_ update: SQL) -> SQL {
        update + " RETURNING id, account, endpoint, p256dh, auth, device, created_at, pushed_seq, attempts, failing_since"
    }

    init(row: any SQLRow) throws {
        subscription = try PushSubscriptionRecord(row: row)
        pushedSeq = try row[7]
        attempts = try row[8]
        failingSince = try row[9]
    }
}
