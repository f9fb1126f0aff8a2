import Foundation
import HaatCore
import HaatSite
import Testing

/// Two creators whose bundles are byte for byte the same (a copied folder, or one text
/// and picture saved into two profiles) share a content hash but are two creators: the
/// build once keyed parsed profiles by that hash alone and trapped on the duplicate.
struct IdenticalBundlesTests {
    static let text = TestSite.creator(name: "Aaji's Oven", portfolio: ["cake.jpg"], story: "Cakes from the first oven.")
    static let files = TestSite.config.merging([
        "content/creators/aajis-oven/index.md": text,
        "content/creators/aajis-oven-copy/index.md": text,
    ]) { $1 }
    static let picture = TestSite.jpeg(seed: 7)

    static func site() throws -> TestSite {
        try TestSite(files, images: ["content/creators/aajis-oven/cake.jpg": picture, "content/creators/aajis-oven-copy/cake.jpg": picture])
    }

    /// Each page is its own creator's, linking to itself.
    static func expectBothPages(_ site: TestSite, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for slug in ["aajis-oven", "aajis-oven-copy"] {
            let page = try #require(site.page("creators/\(slug)/index.html"), "\(slug) has a page", sourceLocation: sourceLocation)
            #expect(page.contains("rel=\"canonical\" href=\"https://haat.example/creators/\(slug)/\""), "\(slug)'s page is its own",
                    sourceLocation: sourceLocation)
        }
        let listing = try #require(site.page("c/cakes/index.html"), sourceLocation: sourceLocation)
        #expect(listing.contains("/creators/aajis-oven/\"") && listing.contains("/creators/aajis-oven-copy/\""),
                "the listing has both", sourceLocation: sourceLocation)
    }

    @Test func bothBuildFromTheImportAndAgainFromTheCache() async throws {
        let site = try Self.site()
        let first = try await site.approveAllAndBuild()
        #expect(first.creators == 2)
        try Self.expectBothPages(site)
        let revisions = try await site.store.liveRevisions()
        #expect(Set(revisions.map(\.revision.contentSHA256)).count == 1, "the two bundles really share one hash")

        // Nothing imported this time: both profiles come from the build cache.
        let second = try await site.build()
        #expect(second.creators == 2 && second.written == 0)
        try Self.expectBothPages(site)
    }

    @Test func bothBuildFromTheStoreWithoutACache() async throws {
        let site = try Self.site()
        try await site.approveAllAndBuild()
        // Without any cache both approved revisions are read back from the store and parsed.
        try FileManager.default.removeItem(atPath: site.location.cacheFolder)
        let summary = try await site.build()
        #expect(summary.creators == 2)
        try Self.expectBothPages(site)
    }

    @Test func oneOfTwoSharingAHashChangingReachesOnlyItsPage() async throws {
        let site = try Self.site()
        try await site.approveAllAndBuild()
        try site.write(["content/creators/aajis-oven-copy/index.md": Self.text.replacingOccurrences(of: "the first oven", with: "the copied oven")])
        try await site.approve("aajis-oven-copy")
        try await site.build()
        #expect(try #require(site.page("creators/aajis-oven-copy/index.html")).contains("Cakes from the copied oven."))
        #expect(try #require(site.page("creators/aajis-oven/index.html")).contains("Cakes from the first oven."))
    }
}
