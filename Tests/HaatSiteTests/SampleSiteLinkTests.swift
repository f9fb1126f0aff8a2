import Foundation
import HaatCore
import HaatSite
import HaatStore
import Testing
import HaatSQLite
import HaatContent

/// Builds the repository's own sample content (what `make demo` shows) and checks
/// every internal link and asset of every page resolves to a file of the site.
struct SampleSiteLinkTests {
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    @Test func everyInternalLinkOfTheSampleSiteResolves() async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("haat-sample-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let location = try StoreLocation(database: work.appendingPathComponent("data/haat.sqlite").path, media: nil, environment: [:])
        let store = try SQLiteStore(path: location.database)
        let content = ContentFolder(path: Self.repositoryRoot.appendingPathComponent("content").path)
        let report = try await ContentImporter(content: content, store: store).run()
        #expect(report.bundles.count >= 48, "the sample has at least 48 creators")
        let approver = Approver(store: store, media: location.media, content: content)
        for bundle in report.bundles { try await approver.approve(bundle.creator.slug, by: "test") }
        let output = work.appendingPathComponent("site")
        let summary = try await SiteBuilder(options: .init(content: content, themeFolder: TestSite.themeFolder, output: output,
                                                           store: store, media: location.media)).build()
        #expect(summary.creators == report.bundles.count)

        let broken = try LinkChecker.brokenLinks(in: output)
        #expect(broken.isEmpty, "broken links: \(broken.prefix(10))")
        // The sample has a city with more than 24 creators, so its listing paginates.
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("in/pune/page/2/index.html").path))
    }
}

/// Finds `href` and `src` values of every HTML file that point inside the site and do
/// not resolve to a file (a folder link resolves to its `index.html`).
enum LinkChecker {
    static func brokenLinks(in site: URL) throws -> [String] {
        var broken: [String] = []
        let enumerator = FileManager.default.enumerator(atPath: site.path)
        while let path = enumerator?.nextObject() as? String {
            guard path.hasSuffix(".html") else { continue }
            let html = try String(contentsOf: site.appendingPathComponent(path), encoding: .utf8)
            for match in html.matches(of: /(?:href|src|data-manifest)="([^"]*)"/) {
                var link = String(match.1)
                guard link.hasPrefix("/"), !link.hasPrefix("//") else { continue }
                if let cut = link.firstIndex(where: { $0 == "?" || $0 == "#" }) { link = String(link[..<cut]) }
                let target = site.appendingPathComponent(link.hasSuffix("/") ? link + "index.html" : link)
                if !FileManager.default.fileExists(atPath: target.path) { broken.append("\(path) → \(match.1)") }
            }
        }
        return broken
    }
}
