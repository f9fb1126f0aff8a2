import Foundation
import HaatCore
import HaatStore
import PostgresNIO

/// The contact reveal. Same meaning as `SQLiteStore`'s; what SQLite gets from its single
/// writer, PostgreSQL gets from locks: the customer's account row is locked first, so one
/// customer's requests are decided one after another on whichever instance they arrive
/// (the free limit stays exact), and a lead's `seq` is taken under a lock on its owner.
extension PostgresStore: ContactStore {
    public func revealContact(_ request: ContactRequest) async throws -> ContactDecision {
        try await transaction { connection in try await decide(request, on: connection) }
    }

    private func decide(_ request: ContactRequest, on connection: PostgresConnection) async throws -> ContactDecision {
        guard let customer = try await Self.rows("SELECT email, status, name FROM accounts WHERE id = \(request.customerID) FOR UPDATE",
                                                 on: connection, logger: logger, { row in
            (email: try row.value("email", as: String.self), status: try row.value("status", as: String.self), name: try row.value("name", as: String.self))
        }).first else { return .unknownAccount }
        guard customer.status == AccountStatus.active.rawValue else {
            try await recordAttempt(request, outcome: .forbidden, on: connection)
            return .accountSuspended
        }
        guard let live = try await Self.rows("""
            SELECT c.slug, c.account, r.phone, r.whatsapp FROM creators c
            JOIN revisions r ON r.slug = c.slug AND r.sha256 = c.approved_sha256
            WHERE c.slug = \(request.creatorSlug) AND c.status = 'approved' AND r.phone IS NOT NULL
            """, on: connection, logger: logger, { row in
            (slug: try row.value("slug", as: String.self), owner: try row.value("account", as: String.self),
             phone: try row.value("phone", as: String.self), whatsapp: try row.value("whatsapp", as: String?.self))
        }).first else {
            try await recordAttempt(request, outcome: .notFound, on: connection)
            return .notFound
        }
        guard live.owner != customer.email else {
            try await recordAttempt(request, outcome: .forbidden, on: connection)
            return .ownProfile
        }
        let before = try await quota(request.customerID, freeLimit: request.freeLimit, now: request.now, on: connection)
        if let existing = try await Self.rows("SELECT id FROM contacts WHERE customer_id = \(request.customerID) AND creator_slug = \(live.slug)",
                                              on: connection, logger: logger, { try $0.value("id", as: String.self) }).first {
            try await recordAttempt(request, outcome: .repeated, charged: .repeated, on: connection)
            return .revealed(ContactReveal(contactID: existing, creatorSlug: live.slug, phone: live.phone, whatsapp: live.whatsapp,
                                           charged: .repeated, quota: before, newLead: nil))
        }
        guard let charge = before.chargeForFirstContact else {
            try await recordAttempt(request, outcome: .quotaRefused, on: connection)
            return .quotaRefused(before)
        }
        let contactID = UUID().uuidString.lowercased()
        try await connection.query("""
            INSERT INTO contacts (id, customer_id, creator_slug, charged, service, message, callback_phone, created_at)
            VALUES (\(contactID), \(request.customerID), \(live.slug), \(charge.rawValue), \(request.service), \(request.message),
                    \(request.callbackPhone), \(request.now))
            """, logger: logger)
        // Leads of one owner are numbered one after another, whichever instance makes them.
        try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\("lead-seq:" + live.owner), 0))", logger: logger)
        let last = try await Self.rows("SELECT COALESCE(MAX(seq), 0) AS seq FROM leads WHERE account = \(live.owner)", on: connection, logger: logger) {
            try $0.value("seq", as: Int.self)
        }.first ?? 0
        try await connection.query("""
            INSERT INTO leads (contact_id, creator_slug, account, seq, status, created_at)
            VALUES (\(contactID), \(live.slug), \(live.owner), \(last + 1), 'new', \(request.now))
            """, logger: logger)
        let lead = Lead(contactID: contactID, creatorSlug: live.slug, ownerEmail: live.owner, seq: last + 1, customerName: customer.name,
                        service: request.service, message: request.message, callbackPhone: request.callbackPhone, status: .new,
                        createdAt: request.now, firstResponseAt: nil)
        try await recordAttempt(request, outcome: .revealed, charged: charge, on: connection)
        return .revealed(ContactReveal(contactID: contactID, creatorSlug: live.slug, phone: live.phone, whatsapp: live.whatsapp, charged: charge,
                                       quota: before.after(charge), newLead: lead))
    }

    private func recordAttempt(_ request: ContactRequest, outcome: ContactOutcome, charged: Charge? = nil, on connection: PostgresConnection) async throws {
        try await connection.query(Self.attempt(customerID: request.customerID, creatorSlug: request.creatorSlug, outcome: outcome, charged: charged,
                                                clientAddress: request.clientAddress, at: request.now), logger: logger)
    }

    private static func attempt(customerID: String, creatorSlug: String, outcome: ContactOutcome, charged: Charge?, clientAddress: String,
                                at date: Date) -> PostgresQuery {
        """
        INSERT INTO contact_attempts (customer_id, creator_slug, outcome, charged, client_address, created_at)
        VALUES (\(customerID), \(String(creatorSlug.prefix(64))), \(outcome.rawValue), \(charged?.rawValue), \(clientAddress), \(date))
        """
    }

    public func recordContactAttempt(customerID: String, creatorSlug: String, outcome: ContactOutcome, clientAddress: String, at date: Date) async throws {
        try await client.query(Self.attempt(customerID: customerID, creatorSlug: creatorSlug, outcome: outcome, charged: nil,
                                            clientAddress: clientAddress, at: date), logger: logger)
    }

    public func quota(of accountID: String, freeLimit: Int, now: Date) async throws -> QuotaState {
        try await client.withConnection { connection in try await quota(accountID, freeLimit: freeLimit, now: now, on: connection) }
    }

    /// Free contacts used and the current subscription (the account's latest, as of `now`):
    /// the same rule as SQLite's.
    func quota(_ accountID: String, freeLimit: Int, now: Date, on connection: PostgresConnection) async throws -> QuotaState {
        let used = try await Self.rows("SELECT COUNT(*) AS used FROM contacts WHERE customer_id = \(accountID) AND charged = 'free'",
                                       on: connection, logger: logger) { try $0.value("used", as: Int.self) }.first ?? 0
        let subscription = try await Self.rows("""
            SELECT id, plan_id, status, current_period_end FROM subscriptions WHERE account_id = \(accountID)
            ORDER BY created_at DESC, id DESC LIMIT 1
            """, on: connection, logger: logger) { row in
            SubscriptionState.asOf(now, id: try row.value("id"), planID: try row.value("plan_id"), storedStatus: try row.value("status"),
                                   end: try row.value("current_period_end"))
        }.first
        return QuotaState(freeLimit: freeLimit, freeUsed: used, subscription: subscription)
    }

    public func contacts(of customerID: String, limit: Int, after cursor: String?) async throws -> Page<CustomerContact> {
        let position = cursor.flatMap(ListCursor.init(encoded:))
        let far = Date.distantFuture
        let rows = try await rows("""
            SELECT k.id, k.creator_slug, k.charged, k.created_at, c.name, r.phone
            FROM contacts k JOIN creators c ON c.slug = k.creator_slug
            LEFT JOIN revisions r ON r.slug = c.slug AND r.sha256 = c.approved_sha256
            WHERE k.customer_id = \(customerID)
              AND (k.created_at < \(position?.date ?? far) OR (k.created_at = \(position?.date ?? far) AND k.id < \(position?.id ?? "")))
            ORDER BY k.created_at DESC, k.id DESC LIMIT \(limit + 1)
            """) { row in
            CustomerContact(contactID: try row.value("id"), creatorSlug: try row.value("creator_slug"), creatorName: try row.value("name"),
                            phone: try row.value("phone", as: String?.self) ?? "",
                            charged: Charge(rawValue: try row.value("charged")) ?? .free, createdAt: try row.value("created_at"))
        }
        let items = Array(rows.prefix(limit))
        let next = rows.count > limit ? items.last.map { ListCursor(date: $0.createdAt, id: $0.contactID).encoded } : nil
        return Page(items: items, nextCursor: next)
    }
}
