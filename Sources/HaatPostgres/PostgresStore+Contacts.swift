import Foundation
import HaatCore
import HaatStore
import PostgresNIO

/// The contact reveal. Same meaning as `SQLiteStore`'s, decided by the same rule
/// (`ContactLookup.verdict`). What SQLite gets from its single writer, PostgreSQL gets
/// from locks: a first contact is decided again under a lock on the customer's account
/// row, so one customer's first contacts are decided one after another on whichever
/// instance they arrive (the free limit stays exact), and a lead's `seq` is taken under
/// a lock on its owner.
extension PostgresStore: ContactStore {
    public func revealContact(_ request: ContactRequest) async throws -> ContactDecision {
        // Most reveals make no contact (repeats above all, and refusals): decided on a read
        // without a lock, shared with the reveals arriving at the same time, which also
        // counts the contact limit (and records the attempt of a reveal over it).
        let row = try await revealLookups.lookUp(request)
        if let wait = row?.retryAfter { return .rateLimited(retryAfter: wait) }
        if case .decided(let decision, _) = try await record(verdictOf: request, row: row, on: client) {
            return decision
        }
        return try await connectionTransaction { connection in
            try await connection.query("SELECT 1 FROM accounts WHERE id = \(request.customerID) FOR UPDATE", logger: logger)
            if request.perVerifiedNumber {
                // The free contacts belong to the number: the first contacts of every account
                // that verified it are decided one after another, on any instance.
                try await connection.query("""
                    SELECT pg_advisory_xact_lock(hashtextextended('free-contacts:' || phone, 0)) FROM accounts
                    WHERE id = \(request.customerID) AND phone IS NOT NULL
                    """, logger: logger)
            }
            let row = try await connection.rows(RevealLookup(requests: [request], countsLimits: false), logger: logger).first
            switch try await record(verdictOf: request, row: row, on: connection) {
            case .decided(let decision, _):
                return decision
            case .firstContact(let live, let charge, let quota):
                let contactID = UUID().uuidString.lowercased()
                let first = FirstContact(request: request, contactID: contactID, live: live, charge: charge)
                guard let seq = try await connection.rows(first, logger: logger).first else { throw FirstContact.NoLead() }
                return request.firstContactReveal(contactID: contactID, seq: seq, live: live, charge: charge, quota: quota)
            }
        }
    }

    /// A first contact's rows in one statement: the contact, its lead numbered after the
    /// owner's last (whose counter row it locks, so concurrent leads of one owner, on any
    /// instance, are numbered one after another), and the `revealed` attempt. Returns the
    /// lead's seq. The counter never falls behind the leads: an instance of a version from
    /// before the counter, still running during an upgrade, numbers leads by `MAX(seq)`,
    /// and a counter left behind would refuse every later lead of that creator.
    struct FirstContact: PostgresPreparedStatement {
        static let sql = """
            WITH contact AS (
                INSERT INTO contacts (id, customer_id, creator_slug, charged, service, message, callback_phone, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ), sequence AS (
                INSERT INTO lead_sequences (account, last_seq)
                VALUES ($9, (SELECT COALESCE(MAX(seq), 0) FROM leads WHERE account = $9) + 1)
                ON CONFLICT (account) DO UPDATE
                SET last_seq = GREATEST(lead_sequences.last_seq, (SELECT COALESCE(MAX(seq), 0) FROM leads WHERE account = $9)) + 1
                RETURNING last_seq
            ), lead AS (
                INSERT INTO leads (contact_id, creator_slug, account, seq, status, created_at)
                SELECT $1, $3, $9, last_seq, 'new', $8 FROM sequence
                RETURNING seq
            ), attempt AS (
                INSERT INTO contact_attempts (customer_id, creator_slug, outcome, charged, client_address, created_at)
                VALUES ($2, left($3, 64), 'revealed', $4, $10, $8)
            )
            SELECT seq FROM lead
            """
        typealias Row = Int
        let request: ContactRequest
        let contactID: String
        let live: LiveContact
        let charge: Charge

        struct NoLead: Error, CustomStringConvertible {
            var description: String { "a first contact's statement returned no lead" }
        }

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 10)
            bindings.append(contactID)
            bindings.append(request.customerID)
            bindings.append(live.slug)
            bindings.append(charge.rawValue)
            bindings.append(request.service)
            bindings.append(request.message)
            bindings.append(request.callbackPhone)
            bindings.append(request.now)
            bindings.append(live.owner)
            bindings.append(request.clientAddress)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Int {
            try row.decode(Int.self)
        }
    }

    /// The verdict the lookup's `row` leads to, its attempt recorded when it is decided
    /// (a repeat's was, by the lookup itself).
    private func record(verdictOf request: ContactRequest, row: RevealLookup.Row?, on runner: some PostgresStatementRunner) async throws -> ContactVerdict {
        let verdict = RevealLookup.lookup(row, for: request).verdict
        if case .decided(_, let attempt?) = verdict, row?.repeatRecorded != true {
            try await record(attempt, of: request, on: runner)
        }
        return verdict
    }

    /// A row of the contact monitoring log.
    struct RecordAttempt: PostgresPreparedStatement {
        static let sql = """
            INSERT INTO contact_attempts (customer_id, creator_slug, outcome, charged, client_address, created_at)
            VALUES ($1, $2, $3, $4, $5, $6)
            """
        typealias Row = ()
        let customerID: String
        let creatorSlug: String
        let attempt: ContactAttempt
        let clientAddress: String
        let at: Date

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 6)
            bindings.append(customerID)
            bindings.append(String(creatorSlug.prefix(64)))
            bindings.append(attempt.outcome.rawValue)
            bindings.append(attempt.charged?.rawValue)
            bindings.append(clientAddress)
            bindings.append(at)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws {}
    }

    private func record(_ attempt: ContactAttempt, of request: ContactRequest, on runner: some PostgresStatementRunner) async throws {
        _ = try await runner.rows(RecordAttempt(customerID: request.customerID, creatorSlug: request.creatorSlug, attempt: attempt,
                                                clientAddress: request.clientAddress, at: request.now), logger: logger)
    }

    public func recordContactAttempt(customerID: String, creatorSlug: String, outcome: ContactOutcome, clientAddress: String, at date: Date) async throws {
        _ = try await client.rows(RecordAttempt(customerID: customerID, creatorSlug: creatorSlug, attempt: ContactAttempt(outcome: outcome),
                                                clientAddress: clientAddress, at: date), logger: logger)
    }



}
