import Foundation
import HaatCore
import HaatStore
import PostgresNIO

/// The batched read of revisions a build makes: two statements over arrays of keys.
extension PostgresStore {
    public func revisions(_ keys: [RevisionKey]) async throws -> [StoredRevision] {
        guard !keys.isEmpty else { return [] }
        let slugs = keys.map(\.slug.rawValue), shas = keys.map(\.sha256)
        var images: [RevisionKey: [RevisionImage]] = [:]
        let imageRows = try await rows("""
            SELECT i.* FROM revision_images i JOIN unnest(\(slugs)::text[], \(shas)::text[]) AS k(slug, sha256)
                ON i.slug = k.slug AND i.revision_sha256 = k.sha256
            ORDER BY i.slug, i.position
            """) { row in (try row.value("slug", as: String.self), try row.value("revision_sha256", as: String.self), try Self.revisionImage(row)) }
        for (slug, sha, image) in imageRows {
            guard let slug = Slug(slug) else { continue }
            images[RevisionKey(slug: slug, sha256: sha), default: []].append(image)
        }
        return try await rows("""
            SELECT r.* FROM revisions r JOIN unnest(\(slugs)::text[], \(shas)::text[]) AS k(slug, sha256)
                ON r.slug = k.slug AND r.sha256 = k.sha256
            ORDER BY r.slug
            """) { row in
            guard let slug = Slug(try row.value("slug", as: String.self)),
                  let state = RevisionState(rawValue: try row.value("state", as: String.self)) else {
                throw StoreError.conflict("corrupt revision row")
            }
            let sha = try row.value("sha256", as: String.self)
            return StoredRevision(slug: slug, contentSHA256: sha, text: try row.value("text"), images: images[RevisionKey(slug: slug, sha256: sha)] ?? [],
                                  state: state, createdAt: try row.value("created_at"))
        }
    }

    // MARK: Helpers

    static func revisionImage(_ row: PostgresRandomAccessRow) throws -> RevisionImage {
        guard let format = ImageInfo.Format(rawValue: try row.value("format")) else { throw StoreError.conflict("corrupt image row") }
        return RevisionImage(name: try row.value("name"), sha256: try row.value("sha256"), bytes: try row.value("bytes"),
                             info: ImageInfo(format: format, width: try row.value("width"), height: try row.value("height")))
    }
}
