import Foundation
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
        guard let creator = try await store.creator(slug) else { throw StoreError.creatorNotFound(slug) }
        guard let revision = try await store.revision(of: slug, sha256: creator.currentSHA256) else {
            throw StoreError.revisionNotFound(slug, creator.currentSHA256)
        }
        let bundle = content.creatorsFolder.appendingPathComponent(slug.rawValue, isDirectory: true)
        for image in revision.images where !media.contains(image) {
            guard let data = FileManager.default.contents(atPath: bundle.appendingPathComponent(image.name).path) else {
                throw StoreError.conflict("image \(image.name) of \(slug) is missing from \(content.displayPath(bundle)); import the bundle again")
            }
            try media.store(data, as: image)
        }
        return try await store.approveRevision(of: slug, sha256: revision.contentSHA256, by: actor)
    }
}
