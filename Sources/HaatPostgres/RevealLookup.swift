import Foundation
import HaatStore
import Logging
import PostgresNIO
import Synchronization

/// Everything a reveal's decision reads, for several reveals in one statement (as
/// SQLite's lookup, in one statement too), which also records each repeat's attempt and
/// counts each reveal's `sharedLimit`.
///
/// Its `is_repeat` is `ContactLookup.isRepeat` in SQL, so a repeat's attempt is recorded
/// by the same statement; its quota part reads what `SQLExecutor.quota(of:)` reads for
/// `GET /me`. `ContactStoreContractTests` holds both to the rule's answers. A reveal whose
/// account does not exist has no row.
///
/// The contact limit is counted here rather than in a statement of its own, which halved
/// the reveals' throughput (bench/README.md). It is `PostgresRateLimits`' fixed window,
/// for a batch: each key's reveals are added to its window in one upsert (a row may be
/// changed once per statement), whose row lock orders concurrent batches on any instance,
/// and the window's count before them decides which of them fit. The count goes on past
/// the limit, unlike `PostgresRateLimits`', so that count is the new count less the
/// batch's; a full window refuses the same either way until it ends.
struct RevealLookup: PostgresPreparedStatement {
    // Each lookup is a LATERAL subquery of the request row, kept whole by OFFSET 0 (else
    // PostgreSQL flattens it into the join), so the plan is index lookups per reveal
    // whatever the tables' statistics say: a join planned from stale ones scanned every
    // approved creator for each batch.
    static let sql = """
        WITH request AS (
            SELECT customer_id, slug, client_address, at, per_number, NULLIF(limit_key, '') AS limit_key, limit_count, limit_seconds, position
            FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::bool[], $6::text[], $7::int[], $8::float8[])
                WITH ORDINALITY AS r (customer_id, slug, client_address, at, per_number, limit_key, limit_count, limit_seconds, position)
        ), wanted AS (
            SELECT limit_key AS key, MIN(at) AS at, MIN(limit_count) AS cap, MIN(limit_seconds) AS seconds, COUNT(*)::int AS added
            FROM request WHERE limit_key IS NOT NULL GROUP BY limit_key
        ), counted AS (
            -- In key order: two batches counting the same keys never wait on each other in a circle.
            INSERT INTO rate_windows AS w (key, started_at, count)
            SELECT key, at, added FROM wanted ORDER BY key
            ON CONFLICT (key) DO UPDATE SET
                started_at = CASE WHEN w.started_at <= excluded.started_at - make_interval(secs => (SELECT seconds FROM wanted WHERE key = w.key))
                    THEN excluded.started_at ELSE w.started_at END,
                count = CASE WHEN w.started_at <= excluded.started_at - make_interval(secs => (SELECT seconds FROM wanted WHERE key = w.key))
                    THEN excluded.count ELSE w.count + excluded.count END
            RETURNING key, started_at, count
        ), admission AS (
            SELECT r.position,
                c.count - k.added + row_number() OVER (PARTITION BY r.limit_key ORDER BY r.position) > k.cap AS limited,
                GREATEST(1, CEIL(k.seconds - EXTRACT(EPOCH FROM r.at - c.started_at)))::int AS retry_after
            FROM request r JOIN wanted k ON k.key = r.limit_key JOIN counted c ON c.key = r.limit_key
        ), lookup AS (
            SELECT r.position, r.customer_id, r.slug AS requested, r.client_address, r.at,
                a.email, a.status, a.name, c.slug, c.account, c.phone, c.whatsapp, k.id AS existing,
                CASE WHEN r.per_number AND a.phone IS NOT NULL
                    THEN (SELECT COUNT(*) FROM contacts f JOIN accounts p ON p.id = f.customer_id WHERE p.phone = a.phone AND f.charged = 'free')
                    ELSE (SELECT COUNT(*) FROM contacts f WHERE f.customer_id = a.id AND f.charged = 'free') END AS free_used,
                a.phone IS NOT NULL AS phone_verified,
                s.id AS subscription_id, s.plan_id, s.status AS subscription_status, s.current_period_end,
                CASE WHEN d.limited THEN d.retry_after END AS retry_after,
                a.status = 'active' AND c.slug IS NOT NULL AND c.phone IS NOT NULL AND c.account <> a.email
                    AND k.id IS NOT NULL AND d.limited IS NOT TRUE AS is_repeat
            FROM request r
            JOIN accounts a ON a.id = r.customer_id
            LEFT JOIN admission d ON d.position = r.position
            LEFT JOIN LATERAL (SELECT c.slug, c.account, v.phone, v.whatsapp FROM creators c
                               JOIN revisions v ON v.slug = c.slug AND v.sha256 = c.approved_sha256
                               WHERE c.slug = r.slug AND c.status = 'approved' OFFSET 0) c ON true
            LEFT JOIN LATERAL (SELECT id FROM contacts WHERE customer_id = a.id AND creator_slug = c.slug OFFSET 0) k ON true
            LEFT JOIN LATERAL (SELECT id, plan_id, status, current_period_end FROM subscriptions
                               WHERE account_id = a.id ORDER BY created_at DESC, id DESC LIMIT 1) s ON true
        ), recorded AS (
            INSERT INTO contact_attempts (customer_id, creator_slug, outcome, charged, client_address, created_at)
            SELECT customer_id, left(requested, 64), 'repeat', 'repeat', client_address, at FROM lookup WHERE is_repeat
            UNION ALL
            SELECT customer_id, left(requested, 64), 'rate_limited', NULL, client_address, at FROM lookup WHERE retry_after IS NOT NULL
        )
        SELECT position, email, status, name, slug, account, phone, whatsapp, existing, free_used,
            subscription_id, plan_id, subscription_status, current_period_end, is_repeat, phone_verified, retry_after
        FROM lookup
        """

    /// `repeatRecorded`: the statement recorded this reveal's `repeat` attempt.
    /// `retryAfter`: the reveal's `sharedLimit` was full (its attempt recorded too).
    typealias Row = (position: Int, email: String, status: String, name: String, slug: String?, owner: String?, phone: String?,
                     whatsapp: String?, existing: String?, freeUsed: Int, subscriptionID: String?, planID: String?,
                     subscriptionStatus: String?, end: Date?, repeatRecorded: Bool, phoneVerified: Bool, retryAfter: Int?)

    let requests: [ContactRequest]
    /// Whether to count the requests' `sharedLimit` (not when a first contact is decided
    /// again under its lock: the reveal was counted by its first lookup).
    var countsLimits = true

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 8)
        bindings.append(requests.map(\.customerID))
        bindings.append(requests.map(\.creatorSlug))
        bindings.append(requests.map(\.clientAddress))
        bindings.append(requests.map(\.now))
        bindings.append(requests.map(\.perVerifiedNumber))
        let limits = requests.map { countsLimits ? $0.sharedLimit : nil }
        bindings.append(limits.map { $0?.key ?? "" })  // '' for none: the client binds no array of optionals
        bindings.append(limits.map { $0?.count ?? 0 })
        bindings.append(limits.map { $0?.window ?? 0 })
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode((Int, String, String, String, String?, String?, String?, String?, String?, Int, String?, String?, String?, Date?, Bool, Bool, Int?).self)
    }

    /// What the row says of `request`, by the rule every store follows.
    static func lookup(_ row: Row?, for request: ContactRequest) -> ContactLookup {
        ContactLookup(row.map { row in
            var subscription: SubscriptionState?
            if let id = row.subscriptionID, let planID = row.planID, let status = row.subscriptionStatus, let end = row.end {
                subscription = SubscriptionState.asOf(request.now, id: id, planID: planID, storedStatus: status, end: end)
            }
            return RevealFacts(accountEmail: row.email, accountStatus: row.status, customerName: row.name, slug: row.slug, owner: row.owner,
                               phone: row.phone, whatsapp: row.whatsapp, existingContactID: row.existing, freeUsed: row.freeUsed,
                               subscription: subscription, phoneVerified: row.phoneVerified)
        }, freeLimit: request.freeLimit, requiresVerifiedPhone: request.perVerifiedNumber)
    }
}

/// Reveals that arrive together share one `RevealLookup` statement. PostgreSQL and its
/// client pay mostly per statement, so under load a batch of reveals costs little more
/// than one; an idle server sends each reveal at once, as a batch of one. At most two
/// batches run at a time; reveals that come meanwhile wait for the next.
final class RevealLookupBatcher: Sendable {
    private struct Waiting {
        let request: ContactRequest
        let continuation: CheckedContinuation<RevealLookup.Row?, any Error>
    }

    private struct State {
        var waiting: [Waiting] = []
        var running = 0

        mutating func nextBatch() -> [Waiting] {
            let batch = Array(waiting.prefix(RevealLookupBatcher.largestBatch))
            waiting.removeFirst(batch.count)
            return batch
        }
    }

    static let largestBatch = 64
    static let batchesAtOnce = 2

    private let client: PostgresClient
    private let logger: Logger
    private let state = Mutex(State())

    init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The lookup's row for `request` (nil: no such account), its repeat recorded.
    func lookUp(_ request: ContactRequest) async throws -> RevealLookup.Row? {
        try await withCheckedThrowingContinuation { continuation in
            let batch: [Waiting]? = state.withLock { state in
                state.waiting.append(Waiting(request: request, continuation: continuation))
                guard state.running < Self.batchesAtOnce else { return nil }
                state.running += 1
                return state.nextBatch()
            }
            if let batch { Task { await self.run(batch) } }
        }
    }

    /// Runs `batch`, then whatever gathered meanwhile, until nothing waits.
    private func run(_ first: [Waiting]) async {
        var batch = first
        while true {
            do {
                let rows = try await client.rows(RevealLookup(requests: batch.map(\.request)), logger: logger)
                let byPosition = Dictionary(rows.map { ($0.position, $0) }, uniquingKeysWith: { first, _ in first })
                for (index, waiting) in batch.enumerated() { waiting.continuation.resume(returning: byPosition[index + 1]) }
            } catch {
                for waiting in batch { waiting.continuation.resume(throwing: error) }
            }
            let next: [Waiting]? = state.withLock { state in
                guard !state.waiting.isEmpty else {
                    state.running -= 1
                    return nil
                }
                return state.nextBatch()
            }
            guard let next else { return }
            batch = next
        }
    }
}
