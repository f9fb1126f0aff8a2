import Foundation
import HaatCore

/// Reads a content folder, validates every bundle and records new or changed ones as
/// pending revisions. All-or-nothing: when any file has a problem, every problem is
/// reported and nothing is recorded.
public struct ContentImporter: Sendable {
    public let content: ContentFolder
    public let store: any HaatStore

    public init(content: ContentFolder, store: any HaatStore) {
        self.content = content
        self.store = store
    }

    /// A bundle that passed validation, with what a revision needs.
    public struct ValidBundle: Sendable {
        public let creator: Creator
        public let revision: NewRevision
        /// Image bytes by file name, for approval's copy into the media folder.
        public let imageFiles: [String: URL]
    }

    public struct Report: Sendable {
        public let catalog: Catalog
        public let bundles: [ValidBundle]
        /// Slugs whose revision was new (recorded as pending).
        public let recorded: [Slug]
    }

    /// Validates the whole tree; on success records changed bundles.
    public func run() async throws -> Report {
        let (catalog, bundles) = try validate()
        let outcomes = try await store.recordRevisions(bundles.map(\.revision))
        let recorded = zip(bundles, outcomes).filter { $1 == .recorded }.map(\.0.creator.slug)
        return Report(catalog: catalog, bundles: bundles, recorded: recorded)
    }

    /// Reads and validates every file, throwing `ContentErrors` with all problems found.
    public func validate() throws -> (Catalog, [ValidBundle]) {
        let catalogResult = content.loadCatalog()
        let (locations, folderProblems) = content.bundleLocations()
        guard case .success(let catalog) = catalogResult else {
            if case .failure(let errors) = catalogResult { throw ContentErrors(errors.diagnostics + folderProblems) }
            fatalError("unreachable")
        }
        let parser = CreatorParser(catalog: catalog)
        let digests = ImageDigestCache()
        let results = ConcurrentMap.map(locations) { readBundle($0, parser: parser, digests: digests) }
        var diagnostics = folderProblems
        var bundles: [ValidBundle] = []
        for result in results {
            switch result {
            case .success(let bundle): bundles.append(bundle)
            case .failure(let errors): diagnostics += errors.diagnostics
            }
        }
        guard diagnostics.isEmpty else { throw ContentErrors(diagnostics) }
        return (catalog, bundles)
    }

    private func readBundle(_ location: ContentFolder.BundleLocation, parser: CreatorParser, digests: ImageDigestCache) -> Result<ValidBundle, ContentErrors> {
        let path = content.displayPath(location.index)
        guard let data = FileManager.default.contents(atPath: location.index.path) else {
            return .failure(ContentErrors([ContentDiagnostic(path: path, line: 1, message: "cannot be read")]))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(ContentErrors([ContentDiagnostic(path: path, line: 1, message: "not UTF-8 text")]))
        }
        var images: [String: ImageDigestCache.Digest] = [:]
        let result = parser.parse(text: text, slug: location.slug, path: path, imageNames: content.imageNames(in: location)) { name in
            switch digests.digest(of: location.folder.appendingPathComponent(name)) {
            case .success(let digest):
                images[name] = digest
                return nil
            case .failure(let problem):
                return problem.message
            }
        }
        return result.map { creator in
            let referenced = creator.portfolio.map(\.image).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            let revisionImages = referenced.map { name in
                RevisionImage(name: name, sha256: images[name]!.sha256, bytes: images[name]!.bytes, info: images[name]!.info)
            }
            let sha = RevisionDigest.contentSHA256(index: data, images: referenced.map { ($0, images[$0]!.sha256) })
            let revision = NewRevision(slug: creator.slug, contentSHA256: sha, name: creator.name, account: creator.account,
                                       text: text, images: revisionImages)
            let files = Dictionary(uniqueKeysWithValues: referenced.map { ($0, location.folder.appendingPathComponent($0)) })
            return ValidBundle(creator: creator, revision: revision, imageFiles: files)
        }
    }
}
