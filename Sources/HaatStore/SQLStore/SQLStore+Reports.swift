import Foundation
import HaatCore

/// Reports of a profile or of a contact, and their resolution (`ReportResolution`), for
/// both stores.
extension SQLStore {
    public func createReport(by reporterID: String, subject: ReportSubject, reason: ReportReason, details: String?, now: Date) async throws -> ReportCreation {
        try await transaction { database in
            let (slug, contact): (String?, String?)
            switch subject {
            case .creator(let named):
                guard try await database.exists("SELECT 1 FROM creators WHERE slug = \(named)") else { return .subjectNotFound }
                (slug, contact) = (named, nil)
            case .contact(let id):
                // Its customer, or the creator account that owns the contact's lead.
                guard try await database.exists("""
                    SELECT 1 FROM contacts k LEFT JOIN leads l ON l.contact_id = k.id JOIN accounts a ON a.id = \(reporterID)
                    WHERE k.id = \(id) AND (k.customer_id = a.id OR (l.account = a.email AND \(sql: ProfileOwnership.leadVisible)))
                    """) else { return .subjectNotFound }
                (slug, contact) = (nil, id)
            }
            let id = UUID().uuidString.lowercased()
            try await database.execute("""
                INSERT INTO reports (id, reporter_id, creator_slug, contact_id, reason, details, status, created_at)
                VALUES (\(id), \(reporterID), \(slug), \(contact), \(reason.rawValue), \(details), 'open', \(now))
                """)
            return .created(try await database.report(id)!)
        }
    }

    public func reports(open: Bool?, limit: Int, after cursor: String?) async throws -> Page<ReportRecord> {
        try await read { database in
            try await database.page(ReportRecord.select, where: open.map { ["p.status = \($0 ? "open" : "resolved")"] } ?? [],
                                    dateColumn: "p.created_at", idColumn: "p.id", limit: limit, after: cursor, read: ReportRecord.init(row:)) {
                ListCursor(date: $0.createdAt, id: $0.id)
            }
        }
    }

    public func resolveReport(_ id: String, action: ReportAction, note: String?, by actor: String, now: Date) async throws -> ReportResolutionOutcome {
        try await transaction { database in
            // Locked: two admins resolving one report at once resolve it once.
            guard let report = try await database.report(id, locked: true) else { return .notFound }
            var parties: ContactParties?
            if case .contact(let contactID) = report.subject, action != .dismiss {
                parties = try await database.row("""
                    SELECT k.customer_id, k.creator_slug, (SELECT id FROM accounts WHERE email = COALESCE(l.account, c.account))
                    FROM contacts k LEFT JOIN leads l ON l.contact_id = k.id LEFT JOIN creators c ON c.slug = k.creator_slug WHERE k.id = \(contactID)
                    """) { row in ContactParties(customerID: try row[0], creatorSlug: try row[1], creatorAccountID: try row[2]) }
            }
            switch ReportResolution(report, action: action, note: note, parties: parties) {
            case .refuse(let outcome):
                return outcome
            case .dismiss:
                break
            case .suspendCreator(let slug, let reason):
                try await database.suspendCreator(slug, reason: reason, by: actor)
            case .suspendUser(let other, let reason):
                try await database.execute("UPDATE accounts SET status = 'suspended' WHERE id = \(other)")
                try await database.revokeRefreshTokens(of: other, now: now)
                try await database.audit(actor: actor, action: "suspend_user", target: "user:\(other)", reason: reason)
            }
            try await database.execute("""
                UPDATE reports SET status = 'resolved', resolution_action = \(action.rawValue), resolution_note = \(note), resolved_at = \(now),
                    resolved_by = \(actor) WHERE id = \(id)
                """)
            try await database.audit(actor: actor, action: "resolve_report", target: "report:\(id)", reason: action.auditReason(note: note))
            return .resolved(try await database.report(id)!)
        }
    }
}

extension SQLExecutor {
    fileprivate func report(_ id: String, locked: Bool = false) async throws -> ReportRecord? {
        let lock: SQL = locked && dialect.locksRows ? " FOR UPDATE OF p" : ""
        return try await row(ReportRecord.select + " WHERE p.id = \(id)\(sql: lock)", ReportRecord.init(row:))
    }

    /// Takes a creator's profile off the site, with `reason` in its moderation history.
    fileprivate func suspendCreator(_ slug: String, reason: String, by actor: String) async throws {
        guard let slug = Slug(slug) else { return }
        try await execute("UPDATE creators SET status = 'suspended', status_reason = \(reason), updated_at = \(Date()) WHERE slug = \(slug.rawValue)")
        try await logModeration(slug, action: "suspend", sha256: nil, actor: actor, reason: reason)
    }
}

extension ReportRecord {
    /// The columns `init(row:)` reads, in its order.
    static let select: SQL = """
        SELECT p.id, p.reporter_id, a.email, a.name, p.creator_slug, p.contact_id, p.reason, p.details,
            p.resolution_action, p.resolution_note, p.resolved_at, p.created_at, k.creator_slug, k.customer_id, ka.email, ka.name
        FROM reports p JOIN accounts a ON a.id = p.reporter_id
        LEFT JOIN contacts k ON k.id = p.contact_id LEFT JOIN accounts ka ON ka.id = k.customer_id
        """

    init(row: any SQLRow) throws {
        let slug: String? = try row[4], contact: String? = try row[5]
        var resolution: Resolution?
        if let action = (try row[8] as String?).flatMap(ReportAction.init) {
            resolution = Resolution(action: action, note: try row[9], at: try row[10])
        }
        self.init(id: try row[0], reporter: AccountRef(id: try row[1], email: try row[2], name: try row[3]),
                  subject: contact.map(ReportSubject.contact) ?? .creator(slug ?? ""), reason: ReportReason(rawValue: try row[6]) ?? .other,
                  details: try row[7], resolution: resolution, createdAt: try row[11],
                  contact: try (row[12] as String?).map { ReportedContact(creatorSlug: $0, customer: AccountRef(id: try row[13], email: try row[14], name: try row[15])) })
    }
}
