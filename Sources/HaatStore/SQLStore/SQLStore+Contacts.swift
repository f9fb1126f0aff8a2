import Foundation

/// A customer's contacts, for both stores. The reveal itself is each store's own: it is
/// the hot path, and each database decides it its fastest way (`ContactLookup`).
extension SQLStore {
    public func contacts(of customerID: String, creator: String?, limit: Int, after cursor: String?) async throws -> Page<CustomerContact> {
        try await read { database in
            try await database.page("""
                SELECT k.id, k.creator_slug, k.charged, k.created_at, c.name, r.phone, r.whatsapp, k.service, v.id, v.rating, v.status
                FROM contacts k JOIN creators c ON c.slug = k.creator_slug
                LEFT JOIN revisions r ON r.slug = c.slug AND r.sha256 = c.approved_sha256
                LEFT JOIN reviews v ON v.contact_id = k.id
                """, where: ["k.customer_id = \(customerID)"] + (creator.map { ["k.creator_slug = \($0)"] } ?? []), dateColumn: "k.created_at", idColumn: "k.id", limit: limit, after: cursor, read: { row in
                let reviewID: String? = try row[8]
                let review = try reviewID.map { ContactReview(reviewID: $0, rating: try row[9], status: ReviewStatus(rawValue: try row[10]) ?? .pending) }
                return CustomerContact(contactID: try row[0], creatorSlug: try row[1], creatorName: try row[4], phone: try row[5] as String? ?? "",
                                       whatsapp: try row[6], service: try row[7], charged: Charge(rawValue: try row[2]) ?? .free,
                                       createdAt: try row[3], review: review)
            }) { ListCursor(date: $0.createdAt, id: $0.contactID) }
        }
    }
}
