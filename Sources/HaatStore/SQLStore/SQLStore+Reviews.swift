import Foundation
import HaatCore

/// Reviews, for both stores: a customer's rating of a contact, published once an admin
/// approves it.
extension SQLStore {
    public func createReview(contactID: String, customerID: String, rating: Int, text: String?, now: Date) async throws -> ReviewCreation {
        try await transaction { database in
            guard let slug = try await database.value("SELECT creator_slug FROM contacts WHERE id = \(contactID) AND customer_id = \(customerID)",
                                                      as: String.self) else { return .contactNotFound }
            let id = UUID().uuidString.lowercased()
            // The unique contact decides between two reviews of one contact at once.
            let created = try await database.exists("""
                INSERT INTO reviews (id, contact_id, creator_slug, customer_id, rating, text, status, created_at)
                VALUES (\(id), \(contactID), \(slug), \(customerID), \(rating), \(text), 'pending', \(now))
                ON CONFLICT (contact_id) DO NOTHING RETURNING id
                """)
            guard created else { return .alreadyReviewed }
            return .created(try await database.review(id)!)
        }
    }

    public func reviews(status: ReviewStatus?, limit: Int, after cursor: String?) async throws -> Page<ReviewRecord> {
        try await read { database in
            try await database.page(ReviewRecord.select, where: status.map { ["r.status = \($0.rawValue)"] } ?? [], dateColumn: "r.created_at",
                                    idColumn: "r.id", limit: limit, after: cursor, read: ReviewRecord.init(row:)) {
                ListCursor(date: $0.createdAt, id: $0.id)
            }
        }
    }

    public func decideReview(_ id: String, status: ReviewStatus, by actor: String, now: Date) async throws -> ReviewRecord? {
        try await transaction { database in
            guard try await database.exists("""
                UPDATE reviews SET status = \(status.rawValue), decided_at = \(now), decided_by = \(actor) WHERE id = \(id) RETURNING id
                """) else { return nil }
            try await database.audit(actor: actor, action: status == .approved ? "approve_review" : "reject_review", target: "review:\(id)", reason: nil)
            return try await database.review(id)
        }
    }

    public func publishedReviews() async throws -> [Slug: [PublishedReview]] {
        let reviews = try await read { database in
            try await database.rows("""
                SELECT r.creator_slug, r.rating, r.text, a.name, r.created_at FROM reviews r JOIN accounts a ON a.id = r.customer_id
                WHERE r.status = 'approved' ORDER BY r.creator_slug, r.created_at DESC, r.id DESC
                """) { row in
                // The page shows the customer's first name only.
                (Slug(try row[0] as String), PublishedReview(rating: try row[1], text: try row[2],
                                                             firstName: (try row[3] as String).split(separator: " ").first.map(String.init) ?? "",
                                                             createdAt: try row[4]))
            }
        }
        var result: [Slug: [PublishedReview]] = [:]
        for case (let slug?, let review) in reviews { result[slug, default: []].append(review) }
        return result
    }
}

extension SQLExecutor {
    fileprivate func review(_ id: String) async throws -> ReviewRecord? {
        try await row(ReviewRecord.select + " WHERE r.id = \(id)", ReviewRecord.init(row:))
    }
}

extension ReviewRecord {
    /// The columns `init(row:)` reads, in its order.
    static let select: SQL = """
        SELECT r.id, r.contact_id, r.creator_slug, r.customer_id, a.email, a.name, r.rating, r.text, r.status, r.created_at
        FROM reviews r JOIN accounts a ON a.id = r.customer_id
        """

    init(row: any SQLRow) throws {
        self.init(id: try row[0], contactID: try row[1], creatorSlug: try row[2], customer: AccountRef(id: try row[3], email: try row[4], name: try row[5]),
                  rating: try row[6], text: try row[7], status: ReviewStatus(rawValue: try row[8]) ?? .pending, createdAt: try row[9])
    }
}
