import Foundation
import HaatCore
import HaatStore
import GRDB
import PostgresNIO
import StoreFixtures
import Testing
@testable import HaatPostgres
@testable import HaatStore

/// Two `haat` instances on one scratch database, as scale-out runs them.
struct TwoInstances {
    let stores: [PostgresStore]
    private let databases: [HaatPostgres.PostgresDatabase]
    private let scratch: ScratchDatabase

    static func start() async throws -> TwoInstances {
        let scratch = try await ScratchDatabase.make()
        let address = try PostgresAddress(url: scratch.url)
        let databases = [try await HaatPostgres.PostgresDatabase(address: address), try await HaatPostgres.PostgresDatabase(address: address)]
        return TwoInstances(stores: databases.map(PostgresStore.init), databases: databases, scratch: scratch)
    }

    func stop() async throws {
        databases.forEach { $0.close() }
        try await scratch.drop()
    }
}

/// Revisions and moderation behave the same on every store.
struct RevisionStoreContractTests {
    func revision(_ slug: String, _ text: String, account: String = "owner@example.com", images: [RevisionImage] = []) -> NewRevision {
        NewRevision(slug: Slug(slug)!, contentSHA256: RevisionDigest.sha256(Data(text.utf8)), name: "Name \(slug)",
                    account: EmailAddress(account)!, text: text, images: images,
                    contact: ContactDetails(phone: Phone("+91 50000 10001")!))
    }

    @Test(arguments: StoreKind.allCases) func recordingIsIdempotentPerContent(_ kind: StoreKind) async throws {
        let opened = try await kind.open()
        let store = opened.store
        #expect(try await store.recordRevision(revision("cakes-a", "one")) == .recorded)
        #expect(try await store.recordRevision(revision("cakes-a", "one")) == .unchanged)
        #expect(try await store.recordRevisions([revision("cakes-a", "two"), revision("cakes-b", "b")]) == [.recorded, .recorded])
        let record = try #require(try await store.creator(Slug("cakes-a")!))
        #expect(record.status == .pending && record.currentState == .pending)
        #expect(record.currentSHA256 == RevisionDigest.sha256(Data("two".utf8)))
        #expect(record.approvedSHA256 == nil)
        #expect(try await store.currentRevisionSHA256s() == [Slug("cakes-a")!: record.currentSHA256, Slug("cakes-b")!: RevisionDigest.sha256(Data("b".utf8))])
        try await opened.close()
    }

    @Test(arguments: StoreKind.allCases) func moderationStateMachine(_ kind: StoreKind) async throws {
        let opened = try await kind.open()
        let store = opened.store
        let slug = Slug("cakes-a")!
        let image = RevisionImage(name: "a.jpg", sha256: String(repeating: "ab", count: 32), bytes: 123, info: ImageInfo(format: .jpeg, width: 800, height: 600))
        _ = try await store.recordRevision(revision("cakes-a", "one", images: [image]))
        #expect(try await store.creators(status: .pending).map(\.slug) == [slug])
        #expect(try await store.liveRevisions().isEmpty)

        let approved = try await store.approveRevision(of: slug, sha256: RevisionDigest.sha256(Data("one".utf8)), by: "admin")
        #expect(approved.status == .approved && !approved.changedSinceApproval)
        #expect(try await store.creators(status: .pending).isEmpty)
        let live = try await store.liveRevisions()
        #expect(live.map(\.revision.text) == ["one"] && live.first?.revision.images == [image])

        _ = try await store.recordRevision(revision("cakes-a", "two"))
        #expect(try await store.creators(status: .pending).first?.changedSinceApproval == true)
        #expect(try await store.liveRevisions().map(\.revision.text) == ["one"], "the edit is not live")
        await #expect(throws: StoreError.self, "approving a revision that is no longer current") {
            try await store.approveRevision(of: slug, sha256: RevisionDigest.sha256(Data("one".utf8)), by: "admin")
        }

        let suspended = try await store.suspend(slug, reason: "spam", by: "admin")
        #expect(suspended.status == .suspended && suspended.statusReason == "spam")
        #expect(try await store.liveRevisions().isEmpty)
        #expect(try await store.creators(status: .suspended).map(\.slug) == [slug])
        #expect(try await store.creators(status: .pending).isEmpty, "a suspended creator is not in the review queue")

        let reinstated = try await store.reinstate(slug, by: "admin")
        #expect(reinstated.status == .approved)
        #expect(try await store.liveRevisions().map(\.revision.text) == ["one"])
        try await opened.close()
    }

    @Test(arguments: StoreKind.allCases) func rejectingANewCreatorAndComingBack(_ kind: StoreKind) async throws {
        let opened = try await kind.open()
        let store = opened.store
        let slug = Slug("cakes-b")!
        _ = try await store.recordRevision(revision("cakes-b", "one"))
        #expect(try await store.rejectCurrentRevision(of: slug, reason: "blurry", by: "admin").status == .rejected)
        #expect(try await store.creators(status: .rejected).map(\.slug) == [slug])
        #expect(try await store.revision(of: slug, sha256: RevisionDigest.sha256(Data("one".utf8)))?.state == .rejected)
        _ = try await store.recordRevision(revision("cakes-b", "better"))
        #expect(try await store.creator(slug)?.status == .pending, "a new revision puts it back in the queue")
        try await opened.close()
    }

    @Test(arguments: StoreKind.allCases) func editsAreCheckedAgainstTheirBase(_ kind: StoreKind) async throws {
        let opened = try await kind.open()
        let store = opened.store
        let slug = Slug("cakes-c")!
        _ = try await store.recordRevision(revision("cakes-c", "one", account: "Maker@Example.com"))
        let base = RevisionDigest.sha256(Data("one".utf8))
        #expect(try await store.recordEdit(revision("cakes-c", "two", account: "maker@example.com"), replacing: base) == .recorded)
        await #expect(throws: StoreError.self, "an edit from a stale base") {
            try await store.recordEdit(revision("cakes-c", "three", account: "maker@example.com"), replacing: base)
        }
        #expect(try await store.creator(slug)?.currentSHA256 == RevisionDigest.sha256(Data("two".utf8)))
        #expect(try await store.creators(ownedBy: "MAKER@example.com").map(\.slug) == [slug])
        #expect(try await store.creators(ownedBy: "someone@example.com").isEmpty)
        let revisions = try await store.revisions([RevisionKey(slug: slug, sha256: base), RevisionKey(slug: slug, sha256: "unknown")])
        #expect(revisions.map(\.text) == ["one"])
        try await opened.close()
    }

    @Test(arguments: StoreKind.allCases) func unknownCreatorsAreReported(_ kind: StoreKind) async throws {
        let opened = try await kind.open()
        await #expect(throws: StoreError.creatorNotFound(Slug("nobody")!)) {
            try await opened.store.suspend(Slug("nobody")!, reason: "x", by: "admin")
        }
        #expect(try await opened.store.creator(Slug("nobody")!) == nil)
        try await opened.close()
    }
}

/// What only PostgreSQL has to get right: several instances on one database.
struct PostgresInstancesTests {
    @Test func instancesImportingOneNewBundleAtOnceRecordItOnce() async throws {
        let instances = try await TwoInstances.start()
        let stores = instances.stores
        let text = "the same bundle"
        let revision = NewRevision(slug: Slug("cakes-z")!, contentSHA256: RevisionDigest.sha256(Data(text.utf8)), name: "Z",
                                   account: EmailAddress("z@example.com")!, text: text, images: [])
        // Twenty imports of the same new bundle, split across both instances, all at once.
        let outcomes = try await withThrowingTaskGroup(of: RecordOutcome.self) { group in
            for attempt in 0..<20 { group.addTask { try await stores[attempt % 2].recordRevision(revision) } }
            return try await group.reduce(into: [RecordOutcome]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 == .recorded }.count == 1)
        #expect(outcomes.filter { $0 == .unchanged }.count == 19)
        #expect(try await stores[0].creators(status: .pending).map(\.slug) == [Slug("cakes-z")!])
        try await instances.stop()
    }
}
