import Foundation
import HaatStore
import HaatCore

/// Reads a content folder, validates every bundle and records new or changed ones as
/// pending revisions. All-or-nothing: when any file has a problem, every problem is
/// reported and nothing is recorded.
public struct ContentImporter: Sendable {
    public let content: ContentFolder
    public let store: any HaatStore
    /// When given, bundles whose files did not change since the last import are not read.
    public let cache: ImportCache?

    public init(content: ContentFolder, store: any HaatStore, cache: ImportCache? = nil) {
        self.content = content
        self.store = store
        self.cache = cache
    }

    /// A bundle that passed validation, with what a revision needs.
    public struct ValidBundle: Sendable {
        public let creator: Creator
        public let revision: NewRevision
        /// The stamps of the files as they were read, for the import cache.
        let cacheEntry: ImportCache.Entry
    }

    public struct Report: Sendable {
        public let catalog: Catalog
        /// Changes whenever a configuration file does.
        public let catalogFingerprint: String
        /// The bundles read and validated this time (with a cache: the changed ones).
        public let bundles: [ValidBundle]
        /// How many bundles the content folder holds.
        public let bundleCount: Int
        /// Slugs whose revision was new (recorded as pending).
        public let recorded: [Slug]
    }

    /// Validates the tree (with a cache, only what changed); on success records changed
    /// bundles as pending revisions.
    public func run() async throws -> Report {
        let (locations, folderProblems) = content.bundleLocations()
        let catalog = try Self.loadCatalog(content, alongWith: folderProblems)
        let fingerprint = content.catalogFingerprint()
        let cached = cache?.load(catalogFingerprint: fingerprint) ?? [:]
        let current = cached.isEmpty ? [:] : try await store.currentRevisionSHA256s()
        // A bundle is skipped only when its files are as they were and the store already
        // has the revision they make.
        let unchanged = ConcurrentMap.map(locations) { location -> Bool in
            guard let entry = cached[location.slug], current[location.slug] == entry.sha256 else { return false }
            let folder = location.folderPath + "/"
            guard ImportCache.stamp(folder + "index.md") == entry.index else { return false }
            return entry.images.allSatisfy { name, stamp in ImportCache.stamp(folder + name) == stamp }
        }
        let toRead = zip(locations, unchanged).filter { !$1 }.map(\.0)
        let bundles = try Self.readAll(content, toRead, catalog: catalog, extraProblems: folderProblems)
        let outcomes = try await store.recordRevisions(bundles.map(\.revision))
        let recorded = zip(bundles, outcomes).filter { $1 == .recorded }.map(\.0.creator.slug)
        if let cache {
            let present = Set(locations.map(\.slug))
            var entries = cached.filter { present.contains($0.key) }
            for bundle in bundles { entries[bundle.creator.slug] = bundle.cacheEntry }
            cache.save(entries, catalogFingerprint: fingerprint, unlessEqualTo: cached)
        }
        return Report(catalog: catalog, catalogFingerprint: fingerprint, bundles: bundles, bundleCount: locations.count, recorded: recorded)
    }

    /// Reads and validates every file exactly as an import does, throwing `ContentErrors`
    /// with all problems found; records nothing (`haat check`).
    public static func validate(_ content: ContentFolder) throws -> (Catalog, [ValidBundle]) {
        let (locations, folderProblems) = content.bundleLocations()
        let catalog = try loadCatalog(content, alongWith: folderProblems)
        return (catalog, try readAll(content, locations, catalog: catalog, extraProblems: folderProblems))
    }

    /// The catalog; when it is invalid, its problems are reported with the folder ones.
    private static func loadCatalog(_ content: ContentFolder, alongWith folderProblems: [ContentDiagnostic]) throws -> Catalog {
        switch content.loadCatalog() {
        case .success(let catalog): return catalog
        case .failure(let errors): throw ContentErrors(errors.diagnostics + folderProblems)
        }
    }

    private static func readAll(_ content: ContentFolder, _ locations: [ContentFolder.BundleLocation], catalog: Catalog,
                                extraProblems: [ContentDiagnostic]) throws -> [ValidBundle] {
        let parser = CreatorParser(catalog: catalog)
        let digests = ImageDigestCache()
        let results = ConcurrentMap.map(locations) { readBundle(content, $0, parser: parser, digests: digests) }
        var diagnostics = extraProblems
        var bundles: [ValidBundle] = []
        for result in results {
            switch result {
            case .success(let bundle): bundles.append(bundle)
            case .failure(let errors): diagnostics += errors.diagnostics
            }
        }
        guard diagnostics.isEmpty else { throw ContentErrors(diagnostics) }
        return bundles
    }

    private static func readBundle(_ content: ContentFolder, _ location: ContentFolder.BundleLocation, parser: CreatorParser,
                                   digests: ImageDigestCache) -> Result<ValidBundle, ContentErrors> {
        let path = content.displayPath(location.index)
        // Stamped before reading: a file changed meanwhile gets a new stamp, so the next
        // import reads it again rather than trusting a stale hash.
        let indexStamp = ImportCache.stamp(location.index.path) ?? ""
        guard let data = FileManager.default.contents(atPath: location.index.path) else {
            return .failure(ContentErrors([ContentDiagnostic(path: path, line: 1, message: "cannot be read")]))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(ContentErrors([ContentDiagnostic(path: path, line: 1, message: "not UTF-8 text")]))
        }
        return makeBundle(text: text, at: location, path: path, parser: parser, digests: digests, indexStamp: indexStamp, source: "content")
    }

    /// Validates `text` as the `index.md` of `location` exactly as an import does (the
    /// images it names are read from the folder) and makes its revision. The profile
    /// editor checks its edits through here, so both channels agree on what is valid.
    public static func validate(text: String, at location: ContentFolder.BundleLocation, path: String, parser: CreatorParser,
                                source: String) -> Result<ValidBundle, ContentErrors> {
        makeBundle(text: text, at: location, path: path, parser: parser, digests: ImageDigestCache(), indexStamp: "", source: source)
    }

    private static func makeBundle(text: String, at location: ContentFolder.BundleLocation, path: String, parser: CreatorParser,
                                   digests: ImageDigestCache, indexStamp: String, source: String) -> Result<ValidBundle, ContentErrors> {
        let data = Data(text.utf8)
        var images: [String: ImageDigestCache.Digest] = [:]
        var imageStamps: [String: String] = [:]
        let result = parser.parse(text: text, slug: location.slug, path: path, imageNames: ContentFolder.imageNames(in: location)) { name in
            let file = location.folder.appendingPathComponent(name)
            imageStamps[name] = ImportCache.stamp(file.path) ?? ""
            switch digests.digest(of: file) {
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
                                       text: text, images: revisionImages, contact: creator.contact, source: source)
            let stamps = imageStamps.filter { referenced.contains($0.key) }
            return ValidBundle(creator: creator, revision: revision,
                               cacheEntry: ImportCache.Entry(sha256: sha, index: indexStamp, images: stamps))
        }
    }
}
