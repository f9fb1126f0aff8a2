import Foundation
import GRDB
import HaatCore

/// Reviews (a customer's rating of a contact, published once an admin approves it) and
/// reports (of a profile or of a contact), with their resolution.
extension SQLiteStore {
    public func createReview(contactID: String, customerID: String, rating: Int, text: String?, now: Date) async throws -> ReviewCreation {
        try await pool.write { db in
            guard let slug = try String.fetchOne(db, sql: "SELECT creator_slug FROM contacts WHERE id = ? AND customer_id = ?",
                                                 arguments: [contactID, customerID]) else { return .contactNotFound }
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM reviews WHERE contact_id = ?", arguments: [contactID]) != true else { return .alreadyReviewed }
            let id = UUID().uuidString.lowercased()
            try db.execute(sql: """
                INSERT INTO reviews (id, contact_id, creator_slug, customer_id, rating, text, status, created_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?)
                """, arguments: [id, contactID, slug, customerID, rating, text, now])
            return .created(try Self.review(db, id: id)!)
        }
    }

    public func reviews(status: ReviewStatus?, limit: Int, after cursor: String?) async throws -> Page<ReviewRecord> {
        try await pool.read { db in
            try Self.page(db, select: Self.reviewSelect, conditions: status == nil ? [] : ["r.status = ?"],
                          arguments: status.map { [$0.rawValue] } ?? [], dateColumn: "r.created_at", idColumn: "r.id",
                          limit: limit, cursor: cursor, map: Self.reviewRecord) { ListCursor(date: $0.createdAt, id: $0.id) }
        }
    }

    public func decideReview(_ id: String, status: ReviewStatus, by actor: String, now: Date) async throws -> ReviewRecord? {
        try await pool.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM reviews WHERE id = ?", arguments: [id]) == true else { return nil }
            try db.execute(sql: "UPDATE reviews SET status = ?, decided_at = ?, decided_by = ? WHERE id = ?", arguments: [status.rawValue, now, actor, id])
            try Self.audit(db, actor: actor, action: status == .approved ? "approve_review" : "reject_review", target: "review:\(id)", reason: nil)
            return try Self.review(db, id: id)
        }
    }

    public func publishedReviews() async throws -> [Slug: [PublishedReview]] {
        try await pool.read { db in
            var result: [Slug: [PublishedReview]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT r.creator_slug, r.rating, r.text, a.name, r.created_at FROM reviews r JOIN accounts a ON a.id = r.customer_id
                WHERE r.status = 'approved' ORDER BY r.creator_slug, r.created_at DESC, r.id DESC
                """) {
                guard let slug = Slug(row[0]) else { continue }
                let name: String = row[3]
                let firstName = name.split(separator: " ").first.map(String.init) ?? ""
                result[slug, default: []].append(PublishedReview(rating: row[1], text: row[2], firstName: firstName, createdAt: row[4]))
            }
            return result
        }
    }

    public func createReport(by reporterID: String, subject: ReportSubject, reason: ReportReason, details: String?, now: Date) async throws -> ReportCreation {
        try await pool.write { db in
            switch subject {
            case .creator(let slug):
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM creators WHERE slug = ?", arguments: [slug]) == true else { return .subjectNotFound }
            case .contact(let id):
                // Its customer, or the creator account that owns the contact's lead.
                guard try Bool.fetchOne(db, sql: """
                    SELECT 1 FROM contacts k LEFT JOIN leads l ON l.contact_id = k.id, accounts a
                    WHERE k.id = ? AND a.id = ? AND (k.customer_id = a.id OR (l.account = a.email AND \(ProfileOwnership.leadVisible)))
                    """, arguments: [id, reporterID]) == true else { return .subjectNotFound }
            }
            let id = UUID().uuidString.lowercased()
            let (slug, contact): (String?, String?) = switch subject {
            case .creator(let slug): (slug, nil)
            case .contact(let id): (nil, id)
            }
            try db.execute(sql: """
                INSERT INTO reports (id, reporter_id, creator_slug, contact_id, reason, details, status, created_at) VALUES (?, ?, ?, ?, ?, ?, 'open', ?)
                """, arguments: [id, reporterID, slug, contact, reason.rawValue, details, now])
            return .created(try Self.report(db, id: id)!)
        }
    }

    public func reports(open: Bool?, limit: Int, after cursor: String?) async throws -> Page<ReportRecord> {
        try await pool.read { db in
            try Self.page(db, select: Self.reportSelect, conditions: open == nil ? [] : ["p.status = ?"],
                          arguments: open.map { [$0 ? "open" : "resolved"] } ?? [], dateColumn: "p.created_at", idColumn: "p.id",
                          limit: limit, cursor: cursor, map: Self.reportRecord) { ListCursor(date: $0.createdAt, id: $0.id) }
        }
    }

    public func resolveReport(_ id: String, action: ReportAction, note: String?, by actor: String, now: Date) async throws -> ReportResolutionOutcome {
        try await pool.write { db in
            guard let report = try Self.report(db, id: id) else { return .notFound }
            guard report.isOpen else { return .alreadyResolved }
            let reason = report.suspensionReason(note: note)
            switch (action, report.subject) {
            case (.dismiss, _):
                break
            case (.suspendCreator, .creator(let slug)):
                try Self.suspendCreator(db, slug: slug, reason: reason, by: actor)
            case (.suspendCreator, .contact(let contactID)):
                if let slug = try String.fetchOne(db, sql: "SELECT creator_slug FROM contacts WHERE id = ?", arguments: [contactID]) {
                    try Self.suspendCreator(db, slug: slug, reason: reason, by: actor)
                }
            case (.suspendUser, .creator):
                return .noUserInvolved
            case (.suspendUser, .contact(let contactID)):
                // The other party: the creator's account when its customer reported, else the customer.
                guard let row = try Row.fetchOne(db, sql: """
                    SELECT k.customer_id, (SELECT id FROM accounts WHERE email = COALESCE(l.account, c.account))
                    FROM contacts k LEFT JOIN leads l ON l.contact_id = k.id LEFT JOIN creators c ON c.slug = k.creator_slug WHERE k.id = ?
                    """, arguments: [contactID]) else { return .notFound }
                let customerID: String = row[0]
                let other: String? = report.reporter.id == customerID ? row[1] : customerID
                guard let other else { return .noUserInvolved }
                try db.execute(sql: "UPDATE accounts SET status = 'suspended' WHERE id = ?", arguments: [other])
                try db.execute(sql: "UPDATE refresh_tokens SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL", arguments: [now, other])
                try Self.audit(db, actor: actor, action: "suspend_user", target: "user:\(other)", reason: reason)
            }
            try db.execute(sql: """
                UPDATE reports SET status = 'resolved', resolution_action = ?, resolution_note = ?, resolved_at = ?, resolved_by = ? WHERE id = ?
                """, arguments: [action.rawValue, note, now, actor, id])
            try Self.audit(db, actor: actor, action: "resolve_report", target: "report:\(id)", reason: action.auditReason(note: note))
            return .resolved(try Self.report(db, id: id)!)
        }
    }

    // MARK: - Helpers

    private static func suspendCreator(_ db: Database, slug: String, reason: String, by actor: String) throws {
        guard let slug = Slug(slug) else { return }
        try db.execute(sql: "UPDATE creators SET status = 'suspended', status_reason = ?, updated_at = ? WHERE slug = ?",
                       arguments: [reason, Date(), slug.rawValue])
        try log(db, slug: slug, action: "suspend", sha256: nil, actor: actor, reason: reason)
    }

    private static let reviewSelect = """
        SELECT r.id, r.contact_id, r.creator_slug, r.customer_id, a.email, a.name, r.rating, r.text, r.status, r.created_at
        FROM reviews r JOIN accounts a ON a.id = r.customer_id
        """

    private static func reviewRecord(_ row: Row) -> ReviewRecord {
        ReviewRecord(id: row[0], contactID: row[1], creatorSlug: row[2], customer: AccountRef(id: row[3], email: row[4], name: row[5]),
                     rating: row[6], text: row[7], status: ReviewStatus(rawValue: row[8]) ?? .pending, createdAt: row[9])
    }

    private static func review(_ db: Database, id: String) throws -> ReviewRecord? {
        try Row.fetchOne(db, sql: reviewSelect + " WHERE r.id = ?", arguments: [id]).map(reviewRecord)
    }

    private static let reportSelect = """
        SELECT p.id, p.reporter_id, a.email, a.name, p.creator_slug, p.contact_id, p.reason, p.details,
            p.resolution_action, p.resolution_note, p.resolved_at, p.created_at
        FROM reports p JOIN accounts a ON a.id = p.reporter_id
        """

    private static func reportRecord(_ row: Row) -> ReportRecord {
        let slug: String? = row[4], contact: String? = row[5]
        let resolution = (row[8] as String?).flatMap(ReportAction.init).map { action in
            ReportRecord.Resolution(action: action, note: row[9], at: row[10])
        }
        return ReportRecord(id: row[0], reporter: AccountRef(id: row[1], email: row[2], name: row[3]),
                            subject: contact.map(ReportSubject.contact) ?? .creator(slug ?? ""), reason: ReportReason(rawValue: row[6]) ?? .other,
                            details: row[7], resolution: resolution, createdAt: row[11])
    }

    private static func report(_ db: Database, id: String) throws -> ReportRecord? {
        try Row.fetchOne(db, sql: reportSelect + " WHERE p.id = ?", arguments: [id]).map(reportRecord)
    }
}
