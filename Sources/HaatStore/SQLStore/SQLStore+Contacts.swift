import Foundation

/// A customer's contacts, for both stores. The reveal itself is each store's own: it is
/// the hot path, and each database decides it its fastest way (`ContactLookup`).
extension SQLStore {
    public func contacts(of customerID: String, limit: Int, after cursor: String?) async throws -> Page<CustomerContact> {
        try await read { database in
            try await database.page("""
                SELECT k.id, k.creator_slug, k.charged, k.created_at, c.name, r.phone
                FROM contacts k JOIN creators c ON c.slug = k.creator_slug
                LEFT JOIN revisions r ON r.slug = c.slug AND r.sha256 = c.approved_sha256
                """, where: ["k.customer_id = \(customerID)"], dateColumn: "k.created_at", idColumn: "k.id", limit: limit, after: cursor, read: { row in
                CustomerContact(contactID: try row[0], creatorSlug: try row[1], creatorName: try row[4], phone: try row[5] as String? ?? "",
                                charged: Charge(rawValue: try row[2]) ?? .free, createdAt: try row[3])
            }) { ListCursor(date: $0.createdAt, id: $0.contactID) }
        }
    }
}
