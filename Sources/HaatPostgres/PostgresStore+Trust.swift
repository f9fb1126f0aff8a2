import Foundation
import HaatCore
import HaatStore
import PostgresNIO

/// Reviews and reports, with their resolution. Same meaning as `SQLiteStore`'s.
extension PostgresStore {
    public func createReview(contactID: String, customerID: String, rating: Int, text: String?, now: Date) async throws -> ReviewCreation {
        try await transaction { connection in
            guard let slug = try await Self.rows("SELECT creator_slug FROM contacts WHERE id = \(contactID) AND customer_id = \(customerID)",
                                                 on: connection, logger: logger, { try $0.value("creator_slug", as: String.self) }).first else {
                return .contactNotFound
            }
            let id = UUID().uuidString.lowercased()
            // The unique contact decides between two reviews of one contact at once.
            let created = try await Self.rowCount("""
                INSERT INTO reviews (id, contact_id, creator_slug, customer_id, rating, text, status, created_at)
                VALUES (\(id), \(contactID), \(slug), \(customerID), \(rating), \(text), 'pending', \(now))
                ON CONFLICT (contact_id) DO NOTHING RETURNING id
                """, on: connection, logger: logger)
            guard created > 0 else { return .alreadyReviewed }
            return .created(try await review(id, on: connection)!)
        }
    }

    public func reviews(status: ReviewStatus?, limit: Int, after cursor: String?) async throws -> Page<ReviewRecord> {
        try await page("\(unescaped: Self.reviewSelect) WHERE (\(status?.rawValue ?? "") = '' OR r.status = \(status?.rawValue ?? ""))",
                       dateColumn: "r.created_at", idColumn: "r.id", limit: limit, cursor: cursor, map: Self.reviewRecord) {
            ListCursor(date: $0.createdAt, id: $0.id)
        }
    }

    public func decideReview(_ id: String, status: ReviewStatus, by actor: String, now: Date) async throws -> ReviewRecord? {
        try await transaction { connection in
            let changed = try await Self.rowCount("""
                UPDATE reviews SET status = \(status.rawValue), decided_at = \(now), decided_by = \(actor) WHERE id = \(id) RETURNING id
                """, on: connection, logger: logger)
            guard changed > 0 else { return nil }
            try await audit(actor: actor, action: status == .approved ? "approve_review" : "reject_review", target: "review:\(id)", reason: nil,
                            on: connection)
            return try await review(id, on: connection)
        }
    }

    public func publishedReviews() async throws -> [Slug: [PublishedReview]] {
        var result: [Slug: [PublishedReview]] = [:]
        let reviews = try await rows("""
            SELECT r.creator_slug, r.rating, r.text, a.name, r.created_at FROM reviews r JOIN accounts a ON a.id = r.customer_id
            WHERE r.status = 'approved' ORDER BY r.creator_slug, r.created_at DESC, r.id DESC
            """) { row in
            (Slug(try row.value("creator_slug", as: String.self)),
             PublishedReview(rating: try row.value("rating"), text: try row.value("text"),
                             firstName: try row.value("name", as: String.self).split(separator: " ").first.map(String.init) ?? "",
                             createdAt: try row.value("created_at")))
        }
        for (slug, review) in reviews {
            if let slug { result[slug, default: []].append(review) }
        }
        return result
    }

    public func createReport(by reporterID: String, subject: ReportSubject, reason: ReportReason, details: String?, now: Date) async throws -> ReportCreation {
        try await transaction { connection in
            let exists: Int
            switch subject {
            case .creator(let slug):
                exists = try await Self.rowCount("SELECT 1 AS found FROM creators WHERE slug = \(slug)", on: connection, logger: logger)
            case .contact(let id):
                // Its customer, or the creator account that owns the contact's lead.
                exists = try await Self.rowCount("""
                    SELECT 1 AS found FROM contacts k LEFT JOIN leads l ON l.contact_id = k.id JOIN accounts a ON a.id = \(reporterID)
                    WHERE k.id = \(id) AND (k.customer_id = a.id OR (l.account = a.email AND \(unescaped: ProfileOwnership.leadVisible)))
                    """, on: connection, logger: logger)
            }
            guard exists > 0 else { return .subjectNotFound }
            let id = UUID().uuidString.lowercased()
            let (slug, contact): (String?, String?) = switch subject {
            case .creator(let slug): (slug, nil)
            case .contact(let id): (nil, id)
            }
            try await connection.query("""
                INSERT INTO reports (id, reporter_id, creator_slug, contact_id, reason, details, status, created_at)
                VALUES (\(id), \(reporterID), \(slug), \(contact), \(reason.rawValue), \(details), 'open', \(now))
                """, logger: logger)
            return .created(try await report(id, lock: false, on: connection)!)
        }
    }

    public func reports(open: Bool?, limit: Int, after cursor: String?) async throws -> Page<ReportRecord> {
        let status = open.map { $0 ? "open" : "resolved" } ?? ""
        return try await page("\(unescaped: Self.reportSelect) WHERE (\(status) = '' OR p.status = \(status))", dateColumn: "p.created_at", idColumn: "p.id",
                              limit: limit, cursor: cursor, map: Self.reportRecord) { ListCursor(date: $0.createdAt, id: $0.id) }
    }

    public func resolveReport(_ id: String, action: ReportAction, note: String?, by actor: String, now: Date) async throws -> ReportResolutionOutcome {
        try await transaction { connection in
            // Locked: two admins resolving one report at once resolve it once.
            guard let report = try await report(id, lock: true, on: connection) else { return .notFound }
            guard report.isOpen else { return .alreadyResolved }
            let reason = report.suspensionReason(note: note)
            switch (action, report.subject) {
            case (.dismiss, _):
                break
            case (.suspendCreator, .creator(let slug)):
                try await suspendCreator(slug, reason: reason, by: actor, on: connection)
            case (.suspendCreator, .contact(let contactID)):
                if let slug = try await Self.rows("SELECT creator_slug FROM contacts WHERE id = \(contactID)", on: connection, logger: logger,
                                                  { try $0.value("creator_slug", as: String.self) }).first {
                    try await suspendCreator(slug, reason: reason, by: actor, on: connection)
                }
            case (.suspendUser, .creator):
                return .noUserInvolved
            case (.suspendUser, .contact(let contactID)):
                // The other party: the creator's account when its customer reported, else the customer.
                guard let parties = try await Self.rows("""
                    SELECT k.customer_id, (SELECT id FROM accounts WHERE email = COALESCE(l.account, c.account)) AS creator_account
                    FROM contacts k LEFT JOIN leads l ON l.contact_id = k.id LEFT JOIN creators c ON c.slug = k.creator_slug WHERE k.id = \(contactID)
                    """, on: connection, logger: logger, { row in
                    (customer: try row.value("customer_id", as: String.self), creator: try row.value("creator_account", as: String?.self))
                }).first else { return .notFound }
                guard let other = report.reporter.id == parties.customer ? parties.creator : parties.customer else { return .noUserInvolved }
                try await connection.query("UPDATE accounts SET status = 'suspended' WHERE id = \(other)", logger: logger)
                try await revokeRefreshTokens(of: other, on: connection)
                try await audit(actor: actor, action: "suspend_user", target: "user:\(other)", reason: reason, on: connection)
            }
            try await connection.query("""
                UPDATE reports SET status = 'resolved', resolution_action = \(action.rawValue), resolution_note = \(note), resolved_at = \(now),
                    resolved_by = \(actor) WHERE id = \(id)
                """, logger: logger)
            try await audit(actor: actor, action: "resolve_report", target: "report:\(id)", reason: action.auditReason(note: note),
                            on: connection)
            return .resolved(try await self.report(id, lock: false, on: connection)!)
        }
    }

    // MARK: Helpers

    private func suspendCreator(_ slug: String, reason: String, by actor: String, on connection: PostgresConnection) async throws {
        guard let slug = Slug(slug) else { return }
        try await connection.query("UPDATE creators SET status = 'suspended', status_reason = \(reason), updated_at = \(Date()) WHERE slug = \(slug.rawValue)",
                                   logger: logger)
        try await log(slug: slug, action: "suspend", sha256: nil, actor: actor, reason: reason, on: connection)
    }

    private static let reviewSelect = """
        SELECT r.id, r.contact_id, r.creator_slug, r.customer_id, a.email, a.name, r.rating, r.text, r.status, r.created_at
        FROM reviews r JOIN accounts a ON a.id = r.customer_id
        """

    private static func reviewRecord(_ row: PostgresRandomAccessRow) throws -> ReviewRecord {
        ReviewRecord(id: try row.value("id"), contactID: try row.value("contact_id"), creatorSlug: try row.value("creator_slug"),
                     customer: AccountRef(id: try row.value("customer_id"), email: try row.value("email"), name: try row.value("name")),
                     rating: try row.value("rating"), text: try row.value("text"), status: ReviewStatus(rawValue: try row.value("status")) ?? .pending,
                     createdAt: try row.value("created_at"))
    }

    private func review(_ id: String, on connection: PostgresConnection) async throws -> ReviewRecord? {
        try await Self.rows("\(unescaped: Self.reviewSelect) WHERE r.id = \(id)", on: connection, logger: logger, Self.reviewRecord).first
    }

    private static let reportSelect = """
        SELECT p.id, p.reporter_id, a.email, a.name, p.creator_slug, p.contact_id, p.reason, p.details,
            p.resolution_action, p.resolution_note, p.resolved_at, p.created_at
        FROM reports p JOIN accounts a ON a.id = p.reporter_id
        """

    private static func reportRecord(_ row: PostgresRandomAccessRow) throws -> ReportRecord {
        let slug = try row.value("creator_slug", as: String?.self), contact = try row.value("contact_id", as: String?.self)
        let resolution = try row.value("resolution_action", as: String?.self).flatMap(ReportAction.init).map { action in
            ReportRecord.Resolution(action: action, note: try row.value("resolution_note"), at: try row.value("resolved_at"))
        }
        return ReportRecord(id: try row.value("id"), reporter: AccountRef(id: try row.value("reporter_id"), email: try row.value("email"),
                                                                          name: try row.value("name")),
                            subject: contact.map(ReportSubject.contact) ?? .creator(slug ?? ""), reason: ReportReason(rawValue: try row.value("reason")) ?? .other,
                            details: try row.value("details"), resolution: resolution, createdAt: try row.value("created_at"))
    }

    private func report(_ id: String, lock: Bool, on connection: PostgresConnection) async throws -> ReportRecord? {
        try await Self.rows("\(unescaped: Self.reportSelect) WHERE p.id = \(id) \(unescaped: lock ? "FOR UPDATE OF p" : "")",
                            on: connection, logger: logger, Self.reportRecord).first
    }
}
