import Foundation
import HaatCore
import HaatSite
import Testing

/// The build cache makes rebuilds cheap; it must never make them wrong. Each test
/// changes one input the cache could overlook and checks the site follows it.
struct BuildCacheTests {
    static let files = TestSite.config.merging([
        "content/creators/sugar-bloom/index.md": TestSite.creator(name: "Sugar Bloom"),
        "content/creators/henna-house/index.md": TestSite.creator(name: "Henna House", category: "mehendi", city: "nashik", area: nil, phone: "+91 50000 10003"),
    ]) { $1 }

    @Test func aSecondBuildRendersNothing() async throws {
        let site = try TestSite(Self.files)
        let first = try await site.approveAllAndBuild()
        #expect(first.rendered == first.pages)
        let second = try await site.build()
        #expect(second.rendered == 0, "unchanged inputs: no page is rendered again")
        #expect(second.written == 0)
    }

    @Test func aDeletedOrEditedOutputFileIsRestored() async throws {
        let site = try TestSite(Self.files)
        try await site.approveAllAndBuild()
        let original = try #require(site.page("creators/sugar-bloom/index.html"))
        try FileManager.default.removeItem(at: site.siteFolder.appendingPathComponent("creators/sugar-bloom/index.html"))
        try Data("defaced".utf8).write(to: site.siteFolder.appendingPathComponent("c/cakes/index.html"))
        let summary = try await site.build()
        #expect(site.page("creators/sugar-bloom/index.html") == original)
        #expect(site.page("c/cakes/index.html")?.contains("Sugar Bloom") == true)
        #expect(summary.written == 2)
    }

    @Test func aCatalogChangeReachesEveryPage() async throws {
        let site = try TestSite(Self.files)
        try await site.approveAllAndBuild()
        var categories = try #require(TestSite.config["content/categories.yml"])
        categories = categories.replacingOccurrences(of: "Cakes & Bakes", with: "Cakes and Bakes")
        try site.write(["content/categories.yml": categories])
        try await site.build()
        #expect(try #require(site.page("creators/sugar-bloom/index.html")).contains("Cakes and Bakes"))
        #expect(try #require(site.page("creators/henna-house/index.html")).contains("Cakes and Bakes"), "the footer lists every category")
    }

    @Test func aThemeChangeReachesEveryPage() async throws {
        let site = try TestSite(Self.files)
        try await site.approveAllAndBuild()
        let theme = site.root.appendingPathComponent("theme")
        try FileManager.default.copyItem(at: TestSite.themeFolder, to: theme)
        let footer = theme.appendingPathComponent("templates/partials/footer.mustache")
        try (String(contentsOf: footer, encoding: .utf8) + "<p>New footer line</p>").write(to: footer, atomically: true, encoding: .utf8)
        try await site.build(themeFolder: theme)
        #expect(try #require(site.page("creators/henna-house/index.html")).contains("New footer line"))
        #expect(try #require(site.page("index.html")).contains("New footer line"))
    }

    @Test func losingTheCacheOnlyCostsTime() async throws {
        let site = try TestSite(Self.files)
        try await site.approveAllAndBuild()
        let before = site.snapshot()
        try FileManager.default.removeItem(atPath: site.location.cacheFolder)
        let summary = try await site.build()
        #expect(summary.written == 0, "every page is rendered again but comes out the same")
        #expect(summary.rendered == summary.pages)
        #expect(Set(site.snapshot().keys) == Set(before.keys))
    }

    @Test func anEditedBundleIsImportedDespiteTheCache() async throws {
        let site = try TestSite(Self.files)
        try await site.approveAllAndBuild()
        try site.write(["content/creators/sugar-bloom/index.md": TestSite.creator(name: "Sugar Bloom", story: "An edit.")])
        try await site.approve("sugar-bloom")
        try await site.build()
        #expect(try #require(site.page("creators/sugar-bloom/index.html")).contains("An edit."))
    }
}
