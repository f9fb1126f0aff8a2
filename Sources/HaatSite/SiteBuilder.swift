import Foundation
import HaatCore
import HaatStore
import HaatContent

/// `haat build`: import changed bundles, then render every live creator's approved
/// revision into a complete static site.
///
/// load → validate → import → discover (tags, ranking, similar creators) → plan →
/// render → privacy check → stage changed files → commit. Any failure before the commit leaves the previous site as it was.
/// With a cache folder, what did not change since the last build is neither parsed nor
/// rendered again (see `BuildCache`).
public struct SiteBuilder: Sendable {
    public struct Options: Sendable {
        public var content: ContentFolder
        public var themeFolder: URL
        public var output: URL
        public var store: any HaatStore
        public var media: MediaLibrary
        /// Where the build remembers what it did (`BuildCache`, `ImportCache`); nil to
        /// read and render everything every time.
        public var cacheFolder: URL?
        /// Progress lines for the person waiting.
        public var log: @Sendable (String) -> Void
        /// Called with each output path before it is written: tests inject failures here.
        public var beforeWrite: (@Sendable (String) throws -> Void)?

        public init(content: ContentFolder, themeFolder: URL, output: URL, store: any HaatStore, media: MediaLibrary,
                    cacheFolder: URL? = nil, log: @escaping @Sendable (String) -> Void = { _ in },
                    beforeWrite: (@Sendable (String) throws -> Void)? = nil) {
            self.content = content
            self.themeFolder = themeFolder
            self.output = output
            self.store = store
            self.media = media
            self.cacheFolder = cacheFolder
            self.log = log
            self.beforeWrite = beforeWrite
        }
    }

    public struct Summary: Sendable, CustomStringConvertible {
        public let written: Int
        public let unchanged: Int
        public let removed: Int
        public let pages: Int
        public let rendered: Int
        public let creators: Int
        /// Source images decoded to make responsive variants (0 when all were cached).
        public let imagesProcessed: Int
        public let seconds: Double

        /// API.md's summary line: `N pages written, N unchanged, N removed in T s`
        /// (every file of the site counts as a page).
        public var description: String {
            "\(written) pages written, \(unchanged) unchanged, \(removed) removed in \(String(format: "%.2f", seconds)) s"
        }
    }

    public let options: Options

    public init(options: Options) {
        self.options = options
    }

    public func build() async throws -> Summary {
        let started = Date()
        let log = options.log
        let cache = options.cacheFolder.map { BuildCache(folder: $0, output: options.output.standardizedFileURL) }
        // The theme first: a wrong --theme should fail before any import work.
        let theme = try await Theme(folder: options.themeFolder)
        log("Reading \(options.content.displayPath(options.content.root))/ …")
        let importer = ContentImporter(content: options.content, store: options.store,
                                       cache: options.cacheFolder.map { ImportCache(folder: $0, content: options.content) })
        // An import records only pending revisions, so what is live, and the profiles
        // parsed by earlier builds, can be read while it runs.
        let store = options.store
        let catalogFingerprint = options.content.catalogFingerprint()
        async let heads = store.liveRevisionHeads()
        async let reviews = store.publishedReviews()
        async let signals = store.discoverySignals()
        let discovery = try SiteDiscovery()
        async let loaded = Task.detached { cache?.loadModels(catalogFingerprint: catalogFingerprint) ?? BuildCache.LoadedModels() }.value
        let report = try await importer.run()
        log("  \(report.bundleCount) creator bundles, \(report.bundles.count) read, \(report.recorded.count) new revisions pending approval (\(elapsed(since: started)))")

        var creators = try await liveCreators(report: report, heads: heads,
                                              loaded: report.catalogFingerprint == catalogFingerprint ? await loaded : BuildCache.LoadedModels(),
                                              cache: cache)
        log("  \(creators.count) approved creators go live (\(elapsed(since: started)))")
        let privacy = PrivacyGuard(creators: report.bundles.map(\.creator) + creators.map(\.creator))
        try await attach(reviews, to: &creators, privacy: privacy)
        var step = Date()
        let images = try ResponsiveImageCache(cacheFolder: options.cacheFolder)
        defer { images.finish() }
        let imagesProcessed = try attachPictures(to: &creators, images: images)
        log("  images: \(imagesProcessed) processed, the rest from the cache (\(elapsed(since: step)))")
        // Discovery: tags, then the ranking, then similar creators (which read both).
        step = Date()
        // Read while the bundles were imported; what is left of the read is waited for here.
        let engagement = try await signals
        let reading = elapsed(since: step)
        step = Date()
        let discovered = discovery.run(creators, signals: engagement, catalog: report.catalog, catalogFingerprint: report.catalogFingerprint,
                                       cacheFolder: options.cacheFolder, now: Date())
        let ranked = discovered.ranked, similar = discovered.similar
        log("  discovery: \(engagement.contacts.count) contacts read (waited \(reading)), \(discovered.summary) (\(elapsed(since: step)))")
        step = Date()
        let searchIndex = SearchIndex(ranked: ranked, catalog: report.catalog)
        log("  search index: \(searchIndex.files.count) files (\(elapsed(since: step)))")
        let plan = SitePlan(ranked: ranked, similar: similar, catalog: report.catalog)
        step = Date()
        let listingFilters = ListingFilterData.files(plan: plan, catalog: report.catalog, manifest: searchIndex.manifestPath)
        log("  listing filters: \(listingFilters.count) files (\(elapsed(since: step)))")
        let renderer = try PageRenderer(theme: theme, catalog: report.catalog, plan: plan, searchManifest: searchIndex.manifestPath,
                                        year: Calendar(identifier: .gregorian).component(.year, from: Date()))
        // What every page depends on: a new generator, theme, catalog or year re-renders all.
        let seed = [Self.generatorIdentity, theme.fingerprint, report.catalogFingerprint, String(renderer.year), discovery.fingerprint].joined(separator: "|")
        let previous = cache?.loadManifest()

        let writer = try AtomicSiteWriter(output: options.output)
        do {
            log("Rendering \(plan.jobs.count) pages …")
            let rendered = try renderPages(plan.jobs, renderer: renderer, seed: seed, previous: previous, writer: writer, privacy: privacy)
            log("  \(rendered) pages rendered, the rest unchanged (\(elapsed(since: started)))")
            try writeFiles(theme: theme, searchIndex: searchIndex, listingFilters: listingFilters, plan: plan, catalog: report.catalog,
                           previous: previous, writer: writer, privacy: privacy)
            try publishPictures(creators, images: images, writer: writer)
            try writeHeadersFile(site: report.catalog.site, writer: writer, privacy: privacy)
            let written = writer.written, unchanged = writer.unchanged
            let (removed, manifest) = try writer.commit(previous: previous)
            if let cache, manifest != previous {
                do { try cache.saveManifest(manifest) } catch { cache.removeManifest() }
            }
            return Summary(written: written, unchanged: unchanged, removed: removed.count, pages: plan.jobs.count, rendered: rendered,
                           creators: creators.count, imagesProcessed: imagesProcessed, seconds: Date().timeIntervalSince(started))
        } catch {
            writer.abort()
            throw error
        }
    }

    /// Identifies the running generator, so a new version of Haat re-renders every page.
    static let generatorIdentity: String = {
        guard let stamp = fileStamp("/proc/self/exe") else { return "unknown" }
        return "\(stamp.size):\(stamp.modified)"
    }()

    /// Every live creator from its approved revision, in slug order. Profiles parsed
    /// by this import or an earlier build are reused by revision; only the rest are
    /// read from the store and parsed. A revision is its slug and hash together: two
    /// creators' byte-identical bundles have one hash and are still two creators.
    private func liveCreators(report: ContentImporter.Report, heads: [LiveRevisionHead], loaded: BuildCache.LoadedModels,
                              cache: BuildCache?) async throws -> [SiteCreator] {
        let cached = loaded.models
        var models: [RevisionKey: BuildCache.Model] = [:]
        for bundle in report.bundles {
            models[RevisionKey(slug: bundle.creator.slug, sha256: bundle.revision.contentSHA256)] =
                BuildCache.Model(creator: bundle.creator, images: bundle.revision.images, storyWords: Markdown.wordCount(bundle.creator.story))
        }
        var missing: [RevisionKey] = []
        for head in heads where models[head.key] == nil {
            if let model = cached[head.key] {
                models[head.key] = model
            } else {
                missing.append(head.key)
            }
        }
        let parser = CreatorParser(catalog: report.catalog)
        let content = options.content
        let revisions = try await options.store.revisions(missing)
        let results = ConcurrentMap.map(revisions) { revision -> Result<BuildCache.Model, ContentErrors> in
            let path = content.displayPath(content.creatorsFolder.appendingPathComponent("\(revision.slug)/index.md"))
            return parser.parse(text: revision.text, slug: revision.slug, path: path, imageNames: Set(revision.images.map(\.name)))
                .map { BuildCache.Model(creator: $0, images: revision.images, storyWords: Markdown.wordCount($0.story)) }
                .mapError { errors in
                    ContentErrors(errors.diagnostics.map {
                        ContentDiagnostic(path: $0.path, line: $0.line, message: "approved revision \(revision.contentSHA256.prefix(12)): \($0.message)")
                    })
                }
        }
        var diagnostics: [ContentDiagnostic] = []
        for (revision, result) in zip(revisions, results) {
            switch result {
            case .success(let model): models[RevisionKey(slug: revision.slug, sha256: revision.contentSHA256)] = model
            case .failure(let errors): diagnostics += errors.diagnostics
            }
        }
        guard diagnostics.isEmpty else { throw ContentErrors(diagnostics) }

        var live: [RevisionKey: BuildCache.Model] = [:]
        let creators = heads.compactMap { head -> SiteCreator? in
            guard let model = models[head.key] else { return nil }
            live[head.key] = model
            return SiteCreator(model: model, head: head)
        }
        let added = live.filter { cached[$0.key] == nil }
        if let cache, !added.isEmpty || loaded.records == 0 {
            try? cache.saveModels(live: live, added: added, loaded: loaded, catalogFingerprint: report.catalogFingerprint)
        }
        return creators
    }

    /// Gives each creator its approved reviews. A review's text that holds a creator's
    /// private contact data (a customer quoting the number) is dropped, its rating kept:
    /// one careless review must not stop the whole site from building.
    private func attach(_ reviews: [Slug: [PublishedReview]], to creators: inout [SiteCreator], privacy: PrivacyGuard) throws {
        for index in creators.indices {
            creators[index].reviews = (reviews[creators[index].slug] ?? []).map { review in
                guard let text = review.text, privacy.leak(in: Data(text.utf8)) != nil else { return review }
                options.log("  a review of \(creators[index].slug) quotes private contact data: its text is left out")
                return PublishedReview(rating: review.rating, text: nil, firstName: review.firstName, createdAt: review.createdAt)
            }
        }
    }

    /// Renders the pages whose inputs changed (all of them without a manifest) and keeps
    /// the others. Returns how many were rendered.
    private func renderPages(_ jobs: [PageJob], renderer: PageRenderer, seed: String, previous: [String: BuildCache.ManifestEntry]?,
                             writer: AtomicSiteWriter, privacy: PrivacyGuard) throws -> Int {
        let beforeWrite = options.beforeWrite
        let results = ConcurrentMap.map(jobs) { job -> Result<Bool, any Error> in
            Result {
                let file = renderer.outputPath(of: job)
                let fingerprint = RevisionDigest.sha256(Data((seed + "|" + renderer.fingerprint(of: job)).utf8))
                if let entry = previous?[file], entry.fingerprint == fingerprint,
                   let stamp = writer.existingStamp(file), stamp.size == entry.size, stamp.modified == entry.modified {
                    writer.keep(file, entry: entry)
                    return false
                }
                let html = try renderer.render(job)
                try Self.write(Data(html.utf8), to: file, fingerprint: fingerprint, writer: writer, privacy: privacy, beforeWrite: beforeWrite)
                return true
            }
        }
        var rendered = 0
        for result in results { if try result.get() { rendered += 1 } }
        return rendered
    }

    private func writeFiles(theme: Theme, searchIndex: SearchIndex, listingFilters: [SearchIndex.File], plan: SitePlan, catalog: Catalog,
                            previous: [String: BuildCache.ManifestEntry]?,
                            writer: AtomicSiteWriter, privacy: PrivacyGuard) throws {
        let beforeWrite = options.beforeWrite
        for asset in theme.assetFiles {
            try Self.write(asset.data, to: String(asset.path.dropFirst()), writer: writer, privacy: privacy, beforeWrite: beforeWrite)
        }
        for file in searchIndex.files {
            try Self.write(file.data, to: String(file.path.dropFirst()), writer: writer, privacy: privacy, beforeWrite: beforeWrite)
        }
        // Thousands of small files: one whose bytes are as the last build wrote them is kept
        // by its fingerprint, without reading it back.
        func writeUnlessUnchanged(_ data: Data, to path: String) throws {
            let fingerprint = RevisionDigest.sha256(data)
            if let entry = previous?[path], entry.fingerprint == fingerprint,
               let stamp = writer.existingStamp(path), stamp.size == entry.size, stamp.modified == entry.modified {
                writer.keep(path, entry: entry)
                return
            }
            try Self.write(data, to: path, fingerprint: fingerprint, writer: writer, privacy: privacy, beforeWrite: beforeWrite)
        }
        let similar = SimilarCreatorsJSON(plan: plan, catalog: catalog)
        for index in plan.ranked.indices {
            try writeUnlessUnchanged(similar.data(for: index), to: SimilarCreatorsJSON.path(of: plan.ranked[index]))
        }
        for file in listingFilters { try writeUnlessUnchanged(file.data, to: String(file.path.dropFirst())) }
        let sitemap = Sitemap.xml(baseURL: catalog.site.baseURL, entries: Sitemap.entries(plan))
        try Self.write(Data(sitemap.utf8), to: "sitemap.xml", writer: writer, privacy: privacy, beforeWrite: beforeWrite)
        try Self.write(Data(Robots.text(baseURL: catalog.site.baseURL).utf8), to: "robots.txt", writer: writer, privacy: privacy, beforeWrite: beforeWrite)
        for file in try DashboardApp.files(theme: theme, site: catalog.site) {
            try Self.write(file.data, to: file.path, writer: writer, privacy: privacy, beforeWrite: beforeWrite)
        }
    }

    /// `_headers`, last: a CDN that reads it (Netlify, Cloudflare Pages) sends the headers
    /// `haat serve` sends, with a rule for each top-level entry the site has. Real
    /// Razorpay's Checkout: a CDN serves the production site.
    private func writeHeadersFile(site: SiteConfig, writer: AtomicSiteWriter, privacy: PrivacyGuard) throws {
        let policy = SecurityHeaders(apiURL: site.apiURL, checkout: .razorpay)
        let text = policy.headersFile(topLevel: writer.topLevelEntries())
        try Self.write(Data(text.utf8), to: SecurityHeaders.headersFileName, writer: writer, privacy: privacy, beforeWrite: options.beforeWrite)
    }

    private static func write(_ data: Data, to path: String, fingerprint: String = "", writer: AtomicSiteWriter, privacy: PrivacyGuard,
                              beforeWrite: (@Sendable (String) throws -> Void)?) throws {
        if let leak = privacy.leak(in: data) {
            throw BuildError.privateDataLeak(path: path, what: leak)
        }
        try beforeWrite?(path)
        try writer.write(data, to: path, fingerprint: fingerprint)
    }

    /// Makes (or finds in the cache) the variants of every live portfolio image.
    private func attachPictures(to creators: inout [SiteCreator], images: ResponsiveImageCache) throws -> Int {
        let sources = creators.flatMap { site in
            site.creator.portfolio.compactMap { item in site.image(named: item.image).map { ResponsiveImageCache.Source(image: $0, owner: site.slug) } }
        }
        let (published, processed) = try images.prepare(sources, media: options.media)
        for index in creators.indices {
            for image in creators[index].images {
                creators[index].pictures[image.name] = published[image.sha256]
            }
        }
        return processed
    }

    /// Puts every variant of every live picture into the site (the originals never).
    private func publishPictures(_ creators: [SiteCreator], images: ResponsiveImageCache, writer: AtomicSiteWriter) throws {
        var published: Set<String> = []
        for site in creators {
            for image in site.images {
                guard let picture = site.pictures[image.name], published.insert(image.sha256).inserted else { continue }
                for variant in picture.variants {
                    try writer.copyFingerprinted(from: images.file(image.sha256, width: variant.width, fileExtension: "jpg"),
                                                 to: String(variant.jpegPath.dropFirst()))
                    try writer.copyFingerprinted(from: images.file(image.sha256, width: variant.width, fileExtension: "webp"),
                                                 to: String(variant.webpPath.dropFirst()))
                }
            }
        }
    }
}

/// `1.23 s` since `start`, for progress lines.
func elapsed(since start: Date) -> String {
    String(format: "%.2f s", Date().timeIntervalSince(start))
}

/// Why a build stopped, beyond bad content (which is `ContentErrors`).
public enum BuildError: Error, CustomStringConvertible {
    case privateDataLeak(path: String, what: String)
    case missingMedia(slug: Slug, image: String, path: String)
    case unreadableImage(slug: Slug, image: String, reason: String)

    public var description: String {
        switch self {
        case let .privateDataLeak(path, what):
            "refusing to publish: \(path) would contain \(what); nothing was changed under the site folder"
        case let .missingMedia(slug, image, path):
            "the approved image \(image) of \(slug) is missing from the media folder (\(path)); approve the creator again"
        case let .unreadableImage(slug, image, reason):
            "the approved image \(image) of \(slug) cannot be published: \(reason); replace the file and approve again, or reject the revision"
        }
    }
}
