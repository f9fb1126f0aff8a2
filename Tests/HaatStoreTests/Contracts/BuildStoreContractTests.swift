import Foundation
import HaatCore
import HaatStore
import StoreFixtures
import Testing

/// Rebuild records behave the same on every store.
struct BuildStoreContractTests {
    @Test(arguments: StoreKind.allCases) func buildsAreKeptAndUnfinishedOnesFailAtStart(_ kind: StoreKind) async throws {
        let opened = try await kind.open()
        let store = opened.store
        let done = try await store.createBuild(requestedBy: "root@example.com", now: Date())
        let left = try await store.createBuild(requestedBy: "root@example.com", now: Date())
        try await store.updateBuild(BuildRecord(id: done.id, status: .succeeded, pagesWritten: 12, durationMS: 340, error: nil,
                                                requestedBy: done.requestedBy, createdAt: done.createdAt))
        #expect(try await store.build(id: done.id)?.status == .succeeded)
        #expect(try await store.build(id: done.id)?.pagesWritten == 12)
        #expect(try await store.failUnfinishedBuilds(reason: "the server stopped") == 1)
        let failed = try #require(try await store.build(id: left.id))
        #expect(failed.status == .failed && failed.error == "the server stopped")
        #expect(try await store.build(id: "nothing") == nil)
        #expect(try await opened.texts("SELECT action FROM audit_log ORDER BY id") == ["rebuild", "rebuild"])
        try await opened.close()
    }
}
