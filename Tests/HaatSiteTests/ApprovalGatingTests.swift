import Foundation
import HaatCore
import HaatStore
import Testing
@testable import HaatSite
import HaatContent

/// Only an admin's approval puts a revision live; the last approved revision stays live
/// while an edit waits; rejected and suspended creators have no page.
struct ApprovalGatingTests {
    static let files = TestSite.config.merging([
        "content/creators/sugar-bloom/index.md": TestSite.creator(name: "Sugar Bloom", story: "Version one."),
        "content/creators/cocoa-lane/index.md": TestSite.creator(name: "Cocoa Lane", phone: "+91 50000 10002"),
    ]) { $1 }

    @Test func unapprovedCreatorsHaveNoPage() async throws {
        let site = try TestSite(Self.files)
        try await site.approve("sugar-bloom")
        try await site.build()
        #expect(site.exists("creators/sugar-bloom/index.html"))
        #expect(!site.exists("creators/cocoa-lane/index.html"))
        #expect(!(try #require(site.page("c/cakes/index.html"))).contains("Cocoa Lane"))
        #expect(try await site.store.creator(Slug("cocoa-lane")!)?.status == .pending)
    }

    @Test func anEditStaysOfflineUntilApproved() async throws {
        let site = try TestSite(Self.files)
        try await site.approve("sugar-bloom")
        try await site.build()
        try site.write(["content/creators/sugar-bloom/index.md": TestSite.creator(name: "Sugar Bloom Renamed", story: "Version two.")])
        try await site.build()
        let live = try #require(site.page("creators/sugar-bloom/index.html"))
        #expect(live.contains("Version one."))
        #expect(!live.contains("Version two."))
        let record = try #require(try await site.store.creator(Slug("sugar-bloom")!))
        #expect(record.status == .approved && record.changedSinceApproval)

        try await site.approve("sugar-bloom")
        try await site.build()
        #expect(try #require(site.page("creators/sugar-bloom/index.html")).contains("Version two."))
    }

    @Test func anEditedImageIsNotLiveUntilApproved() async throws {
        var files = Self.files
        files["content/creators/sugar-bloom/index.md"] = TestSite.creator(name: "Sugar Bloom", portfolio: ["cake.jpg"])
        let site = try TestSite(files, images: ["content/creators/sugar-bloom/cake.jpg": TestSite.jpeg(seed: 1)])
        try await site.approve("sugar-bloom")
        try await site.build()
        // Same file name, new bytes: a new revision, and the old picture stays published.
        try site.write(TestSite.jpeg(seed: 2), to: "content/creators/sugar-bloom/cake.jpg")
        try await site.build()
        let html = try #require(site.page("creators/sugar-bloom/index.html"))
        let stem = try #require(html.firstMatch(of: /src="\/img\/([0-9a-f]{20})-480\.jpg"/)).1
        #expect(stem == PublishedImage.fingerprint(RevisionDigest.sha256(TestSite.jpeg(seed: 1))))
        #expect(stem != PublishedImage.fingerprint(RevisionDigest.sha256(TestSite.jpeg(seed: 2))))
    }

    @Test func rejectedCreatorsHaveNoPage() async throws {
        let site = try TestSite(Self.files)
        _ = try await ContentImporter(content: site.content, store: site.store).run()
        let rejected = try await site.store.rejectCurrentRevision(of: Slug("cocoa-lane")!, reason: "blurry photos", by: "test")
        #expect(rejected.status == .rejected)
        try await site.approve("sugar-bloom")
        try await site.build()
        #expect(!site.exists("creators/cocoa-lane/index.html"))
    }

    @Test func rejectingAnEditKeepsTheApprovedRevisionLive() async throws {
        let site = try TestSite(Self.files)
        try await site.approve("sugar-bloom")
        try site.write(["content/creators/sugar-bloom/index.md": TestSite.creator(name: "Sugar Bloom", story: "Version two.")])
        _ = try await ContentImporter(content: site.content, store: site.store).run()
        let record = try await site.store.rejectCurrentRevision(of: Slug("sugar-bloom")!, reason: "no", by: "test")
        #expect(record.status == .approved)
        try await site.build()
        #expect(try #require(site.page("creators/sugar-bloom/index.html")).contains("Version one."))
    }

    @Test func suspendingRemovesTheOldPageOnTheNextBuild() async throws {
        let site = try TestSite(Self.files)
        try await site.approve("sugar-bloom", "cocoa-lane")
        try await site.build()
        #expect(site.exists("creators/cocoa-lane/index.html"))
        _ = try await site.store.suspend(Slug("cocoa-lane")!, reason: "reported", by: "test")
        let summary = try await site.build()
        #expect(!site.exists("creators/cocoa-lane/index.html"))
        #expect(!(try #require(site.page("sitemap.xml"))).contains("cocoa-lane"))
        #expect(summary.removed >= 1)
        _ = try await site.store.reinstate(Slug("cocoa-lane")!, by: "test")
        try await site.build()
        #expect(site.exists("creators/cocoa-lane/index.html"))
    }

    @Test func approvingAChangedRevisionIsRefused() async throws {
        let site = try TestSite(Self.files)
        _ = try await ContentImporter(content: site.content, store: site.store).run()
        let record = try #require(try await site.store.creator(Slug("sugar-bloom")!))
        try site.write(["content/creators/sugar-bloom/index.md": TestSite.creator(name: "Sugar Bloom", story: "Edited meanwhile.")])
        _ = try await ContentImporter(content: site.content, store: site.store).run()
        await #expect(throws: StoreError.self) {
            try await site.store.approveRevision(of: Slug("sugar-bloom")!, sha256: record.currentSHA256, by: "test")
        }
    }
}
