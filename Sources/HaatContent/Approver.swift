import Foundation
import HaatStore
import HaatCore

/// Approves a creator's current revision: copies its images into the media folder
/// (checking each still has the recorded hash), then records the approval. What
/// `haat approve` and the admin API's approve both do.
public struct Approver: Sendable {
    public let store: any HaatStore
    public let media: MediaLibrary
    public let content: ContentFolder

    public init(store: any HaatStore, media: MediaLibrary, content: ContentFolder) {
        self.store = store
        self.media = media
        self.content = content
    }

    @discardableResult
    public func approve(_ slug: Slug, by actor: String) async throws -> CreatorRecord {
        try await approve([slug], by: actor)[0]
    }

    /// Approves several creators' current revisions in one transaction (all or none).
    @discardableResult
    public func approve(_ slugs: [Slug], by actor: String) async throws -> [CreatorRecord] {
        let current = try await store.currentRevisionSHA256s()
        let keys = try slugs.map { slug in
            guard let sha = current[slug] else { throw StoreError.creatorNotFound(slug) }
            return RevisionKey(slug: slug, sha256: sha)
        }
        let revisions = try await store.revisions(keys)
        let found = Set(revisions.map(\.slug))
        if let missing = keys.first(where: { !found.contains($0.slug) }) {
            throw StoreError.revisionNotFound(missing.slug, missing.sha256)
        }
        var copied: Set<String> = []
        for revision in revisions {
            let bundle = content.creatorsFolder.appendingPathComponent(revision.slug.rawValue, isDirectory: true)
            for image in revision.images where !copied.contains(image.sha256) && !media.contains(image) {
                // Never through a link: the file must be the bundle's own, as the import read it.
                guard case .success(let data) = ContentFolder.readBundleFile(atPath: bundle.appendingPathComponent(image.name).path) else {
                    throw StoreError.conflict("image \(image.name) of \(revision.slug) is missing from \(content.displayPath(bundle)); import the bundle again")
                }
                try media.store(data, as: image)
                copied.insert(image.sha256)
            }
        }
        return try await store.approveRevisions(keys, by: actor)
    }

    /// The bytes of a revision's picture exactly as recorded: the media folder's copy once
    /// approved, else the bundle's file while it still has the recorded digest (an admin
    /// reviewing a pending revision sees what its approval would publish, or nothing).
    public func pictureData(_ name: String, of revision: StoredRevision) -> Data? {
        guard let image = revision.images.first(where: { $0.name == name }) else { return nil }
        if let data = try? Data(contentsOf: media.url(for: image)) { return data }
        let bundle = content.creatorsFolder.appendingPathComponent(revision.slug.rawValue, isDirectory: true)
        guard case .success(let data) = ContentFolder.readBundleFile(atPath: bundle.appendingPathComponent(image.name).path),
              RevisionDigest.sha256(data) == image.sha256 else { return nil }
        return data
    }
}
