import Foundation
import HaatCore
import HaatStore

/// `haat build`: import changed bundles, then render every live creator's approved
/// revision into a complete static site, swapped in atomically.
///
/// load → validate → import → rank → plan → render → privacy check → write changed
/// files → swap. Any failure leaves the previous site as it was.
public struct SiteBuilder: Sendable {
    public struct Options: Sendable {
        public var content: ContentFolder
        public var themeFolder: URL
        public var output: URL
        public var store: any HaatStore
        public var media: MediaLibrary
        /// Progress lines for the person waiting.
        public var log: @Sendable (String) -> Void
        /// Called with each output path before it is written: tests inject failures here.
        public var beforeWrite: (@Sendable (String) throws -> Void)?

        public init(content: ContentFolder, themeFolder: URL, output: URL, store: any HaatStore, media: MediaLibrary,
                    log: @escaping @Sendable (String) -> Void = { _ in }, beforeWrite: (@Sendable (String) throws -> Void)? = nil) {
            self.content = content
            self.themeFolder = themeFolder
            self.output = output
            self.store = store
            self.media = media
            self.log = log
            self.beforeWrite = beforeWrite
        }
    }

    public struct Summary: Sendable, CustomStringConvertible {
        public let written: Int
        public let unchanged: Int
        public let removed: Int
        public let pages: Int
        public let creators: Int
        public let imported: Int
        public let seconds: Double

        /// API.md's summary line: `N pages written, N unchanged, N removed in T s`.
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
        log("Reading \(options.content.displayPath(options.content.root))/ …")
        let importer = ContentImporter(content: options.content, store: options.store)
        let report = try await importer.run()
        log("  \(report.bundles.count) creator bundles valid, \(report.recorded.count) new or changed revisions recorded as pending (\(elapsed(since: started)))")

        let creators = try await liveCreators(catalog: report.catalog, imported: report.bundles)
        log("  \(creators.count) approved creators go live (\(elapsed(since: started)))")
        let theme = try await Theme(folder: options.themeFolder)
        let searchIndex = SearchIndex(ranked: creators, catalog: report.catalog)
        let plan = SitePlan(ranked: creators, catalog: report.catalog)
        let renderer = try PageRenderer(theme: theme, catalog: report.catalog, plan: plan, searchManifest: searchIndex.manifestPath,
                                    year: Calendar(identifier: .gregorian).component(.year, from: Date()))
        let privacy = PrivacyGuard(creators: report.bundles.map(\.creator) + creators.map(\.creator))

        let writer = try AtomicSiteWriter(output: options.output)
        do {
            log("Rendering \(plan.jobs.count) pages …")
            try renderPages(plan.jobs, renderer: renderer, writer: writer, privacy: privacy)
            log("  pages rendered (\(elapsed(since: started)))")
            try writeFiles(theme: theme, searchIndex: searchIndex, plan: plan, catalog: report.catalog, writer: writer, privacy: privacy)
            try copyImages(creators, writer: writer)
            let removed = writer.stalePaths()
            try writer.commit()
            let summary = Summary(written: writer.written, unchanged: writer.unchanged, removed: removed.count, pages: plan.jobs.count,
                                  creators: creators.count, imported: report.recorded.count, seconds: Date().timeIntervalSince(started))
            return summary
        } catch {
            writer.abort()
            throw error
        }
    }

    /// Every live creator parsed from its approved revision, ranked for listings.
    /// The current import already parsed most of them: reuse those with the same hash.
    private func liveCreators(catalog: Catalog, imported: [ContentImporter.ValidBundle]) async throws -> [SiteCreator] {
        let live = try await options.store.liveRevisions()
        let parsedBySHA = Dictionary(imported.map { ($0.revision.contentSHA256, $0.creator) }, uniquingKeysWith: { first, _ in first })
        let parser = CreatorParser(catalog: catalog)
        let content = options.content
        let results = ConcurrentMap.map(live) { live -> Result<SiteCreator, ContentErrors> in
            let revision = live.revision
            if let creator = parsedBySHA[revision.contentSHA256], creator.slug == revision.slug {
                return .success(Self.scored(SiteCreator(creator: creator, live: live)))
            }
            let path = content.displayPath(content.creatorsFolder.appendingPathComponent("\(revision.slug)/index.md"))
            return parser.parse(text: revision.text, slug: revision.slug, path: path, imageNames: Set(revision.images.map(\.name)))
                .map { Self.scored(SiteCreator(creator: $0, live: live)) }
                .mapError { errors in
                    ContentErrors(errors.diagnostics.map {
                        ContentDiagnostic(path: $0.path, line: $0.line, message: "approved revision \(revision.contentSHA256.prefix(12)): \($0.message)")
                    })
                }
        }
        var creators: [SiteCreator] = []
        var diagnostics: [ContentDiagnostic] = []
        for result in results {
            switch result {
            case .success(let creator): creators.append(creator)
            case .failure(let errors): diagnostics += errors.diagnostics
            }
        }
        guard diagnostics.isEmpty else { throw ContentErrors(diagnostics) }
        return ListingScore.ranked(creators)
    }

    private static func scored(_ creator: SiteCreator) -> SiteCreator {
        var scored = creator
        scored.score = ListingScore.completeness(of: creator.creator, storyWords: creator.storyWords, verified: creator.verified)
        return scored
    }

    private func renderPages(_ jobs: [PageJob], renderer: PageRenderer, writer: AtomicSiteWriter, privacy: PrivacyGuard) throws {
        let beforeWrite = options.beforeWrite
        let failures = ConcurrentMap.map(jobs) { job -> (any Error)? in
            do {
                let (path, html) = try renderer.render(job)
                let file = path == "/404.html" ? "404.html" : SitePlan.outputPath(forURLPath: path)
                try Self.write(Data(html.utf8), to: file, writer: writer, privacy: privacy, beforeWrite: beforeWrite)
                return nil
            } catch {
                return error
            }
        }
        if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
    }

    private func writeFiles(theme: Theme, searchIndex: SearchIndex, plan: SitePlan, catalog: Catalog, writer: AtomicSiteWriter, privacy: PrivacyGuard) throws {
        let beforeWrite = options.beforeWrite
        for asset in theme.assetFiles {
            try Self.write(asset.data, to: String(asset.path.dropFirst()), writer: writer, privacy: privacy, beforeWrite: beforeWrite)
        }
        for file in searchIndex.files {
            try Self.write(file.data, to: String(file.path.dropFirst()), writer: writer, privacy: privacy, beforeWrite: beforeWrite)
        }
        let sitemap = Sitemap.xml(baseURL: catalog.site.baseURL, entries: sitemapEntries(plan))
        try Self.write(Data(sitemap.utf8), to: "sitemap.xml", writer: writer, privacy: privacy, beforeWrite: beforeWrite)
        try Self.write(Data(Robots.text(baseURL: catalog.site.baseURL).utf8), to: "robots.txt", writer: writer, privacy: privacy, beforeWrite: beforeWrite)
    }

    private static func write(_ data: Data, to path: String, writer: AtomicSiteWriter, privacy: PrivacyGuard,
                              beforeWrite: (@Sendable (String) throws -> Void)?) throws {
        if let leak = privacy.leak(in: data) {
            throw BuildError.privateDataLeak(path: path, what: leak)
        }
        try beforeWrite?(path)
        try writer.write(data, to: path)
    }

    private func copyImages(_ creators: [SiteCreator], writer: AtomicSiteWriter) throws {
        for site in creators {
            for item in site.creator.portfolio {
                guard let image = site.image(named: item.image) else { continue }
                let source = options.media.url(for: image)
                guard FileManager.default.fileExists(atPath: source.path) else {
                    throw BuildError.missingMedia(slug: site.slug, image: image.name, path: source.path)
                }
                try writer.copyFingerprinted(from: source, to: String(ImagePath.path(for: image).dropFirst()))
            }
        }
    }

    private func sitemapEntries(_ plan: SitePlan) -> [Sitemap.Entry] {
        var entries = [Sitemap.Entry(path: "/", lastModified: plan.ranked.map(\.approvedAt).max()),
                       Sitemap.Entry(path: "/search/", lastModified: nil)]
        entries += plan.ranked.map { Sitemap.Entry(path: $0.path, lastModified: $0.approvedAt) }
        for listing in plan.listings {
            let lastModified = listing.members.map { plan.ranked[$0].approvedAt }.max()
            for page in Pagination.pages(basePath: listing.basePath, itemCount: listing.members.count) {
                entries.append(Sitemap.Entry(path: page.path, lastModified: lastModified))
            }
        }
        return entries
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

    public var description: String {
        switch self {
        case let .privateDataLeak(path, what):
            "refusing to publish: \(path) would contain \(what); nothing was changed under the site folder"
        case let .missingMedia(slug, image, path):
            "the approved image \(image) of \(slug) is missing from the media folder (\(path)); approve the creator again"
        }
    }
}
