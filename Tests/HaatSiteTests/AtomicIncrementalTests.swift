import Foundation
import HaatCore
import HaatSite
import Testing

/// A failed build leaves site/ byte-for-byte as it was; an unchanged page is not
/// rewritten (its mtime is kept).
struct AtomicIncrementalTests {
    static let files = TestSite.config.merging([
        "content/creators/sugar-bloom/index.md": TestSite.creator(name: "Sugar Bloom", story: "First."),
        "content/creators/cocoa-lane/index.md": TestSite.creator(name: "Cocoa Lane", phone: "+91 50000 10002"),
        "content/creators/henna-house/index.md": TestSite.creator(name: "Henna House", category: "mehendi", city: "nashik", area: nil, phone: "+91 50000 10003"),
    ]) { $1 }

    struct InjectedFailure: Error {}

    func assertUnchanged(_ before: [String: (Data, Date)], _ after: [String: (Data, Date)]) {
        #expect(Set(before.keys) == Set(after.keys))
        for (path, (data, date)) in before {
            #expect(after[path]?.0 == data, "\(path) changed")
            #expect(after[path]?.1 == date, "\(path) was touched")
        }
    }

    @Test func aFailureMidBuildLeavesTheSiteUntouched() async throws {
        let site = try TestSite(Self.files)
        try await site.approveAllAndBuild()
        let before = site.snapshot()
        #expect(before.count > 10)

        try site.write(["content/creators/sugar-bloom/index.md": TestSite.creator(name: "Sugar Bloom", story: "Second.")])
        try await site.approve("sugar-bloom")
        let counter = Counter()
        await #expect(throws: InjectedFailure.self) {
            try await site.build(beforeWrite: { _ in if counter.next() == 5 { throw InjectedFailure() } })
        }
        assertUnchanged(before, site.snapshot())
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: site.root.path).filter { $0.contains("staging") || $0.contains("previous") }
        #expect(leftovers.isEmpty, "no staging folder is left behind")

        try await site.build()
        #expect(try #require(site.page("creators/sugar-bloom/index.html")).contains("Second."))
    }

    @Test func invalidContentLeavesTheSiteUntouchedAndReportsEveryError() async throws {
        let site = try TestSite(Self.files)
        try await site.approveAllAndBuild()
        let before = site.snapshot()
        try site.write([
            "content/creators/sugar-bloom/index.md": TestSite.creator(name: "Sugar Bloom", category: "cake"),
            "content/creators/cocoa-lane/index.md": TestSite.creator(name: "Cocoa Lane", city: "mumbai", phone: "+91 50000 10002"),
        ])
        do {
            try await site.build()
            Issue.record("the build must fail")
        } catch let errors as ContentErrors {
            #expect(errors.diagnostics.count == 2)
            #expect(errors.diagnostics.map(\.line) == [4, 3])
            #expect(errors.description.contains("/content/creators/cocoa-lane/index.md:4: unknown city \"mumbai\""))
        }
        assertUnchanged(before, site.snapshot())
    }

    @Test func aSecondBuildRewritesNothing() async throws {
        let site = try TestSite(Self.files)
        try await site.approveAllAndBuild()
        let before = site.snapshot()
        try await Task.sleep(for: .milliseconds(20))
        let summary = try await site.build()
        #expect(summary.written == 0)
        #expect(summary.unchanged == before.count)
        #expect(summary.removed == 0)
        assertUnchanged(before, site.snapshot())
    }

    @Test func oneChangedCreatorRewritesOnlyWhatShowsIt() async throws {
        let site = try TestSite(Self.files)
        try await site.approveAllAndBuild()
        let before = site.snapshot()
        try await Task.sleep(for: .milliseconds(20))
        try site.write(["content/creators/henna-house/index.md": TestSite.creator(name: "Henna House", category: "mehendi", city: "nashik", area: nil, phone: "+91 50000 10003", story: "Now with a story.")])
        try await site.approve("henna-house")
        let summary = try await site.build()
        let after = site.snapshot()
        let changed = Set(after.keys.filter { after[$0]?.1 != before[$0]?.1 })
        #expect(changed.contains("creators/henna-house/index.html"))
        #expect(!changed.contains("creators/sugar-bloom/index.html"))
        #expect(!changed.contains("c/cakes/index.html"))
        #expect(summary.written == changed.count)
        #expect(summary.written < before.count / 2)
    }
}

/// A thread-safe counter for fault injection.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int { lock.withLock { value += 1; return value } }
}
