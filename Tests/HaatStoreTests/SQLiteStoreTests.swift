import Foundation
import HaatCore
import Testing
@testable import HaatStore

/// The store's moderation state machine on a real temporary SQLite file.
struct SQLiteStoreTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("haat-store-\(UUID().uuidString)")

    func openStore() throws -> SQLiteStore { try SQLiteStore(path: folder.appendingPathComponent("nested/db/haat.sqlite").path) }

    func revision(_ slug: String, _ text: String, images: [RevisionImage] = []) -> NewRevision {
        NewRevision(slug: Slug(slug)!, contentSHA256: RevisionDigest.sha256(Data(text.utf8)), name: "Name \(slug)",
                    account: EmailAddress("owner@example.com")!, text: text, images: images)
    }

    @Test func createsFoldersAndUsesWAL() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try openStore()
        let mode = try await store.pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    @Test func recordingIsIdempotentPerContent() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try openStore()
        #expect(try await store.recordRevision(revision("cakes-a", "one")) == .recorded)
        #expect(try await store.recordRevision(revision("cakes-a", "one")) == .unchanged)
        #expect(try await store.recordRevision(revision("cakes-a", "two")) == .recorded)
        let record = try #require(try await store.creator(Slug("cakes-a")!))
        #expect(record.status == .pending)
        #expect(record.currentSHA256 == RevisionDigest.sha256(Data("two".utf8)))
        #expect(record.approvedSHA256 == nil)
    }

    @Test func moderationStateMachine() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try openStore()
        let slug = Slug("cakes-a")!
        _ = try await store.recordRevision(revision("cakes-a", "one"))
        #expect(try await store.creators(status: .pending).map(\.slug) == [slug])
        #expect(try await store.liveRevisions().isEmpty)

        let approved = try await store.approveRevision(of: slug, sha256: RevisionDigest.sha256(Data("one".utf8)), by: "admin")
        #expect(approved.status == .approved && !approved.changedSinceApproval)
        #expect(try await store.creators(status: .pending).isEmpty)
        #expect(try await store.liveRevisions().map(\.revision.text) == ["one"])

        _ = try await store.recordRevision(revision("cakes-a", "two"))
        #expect(try await store.creators(status: .pending).first?.changedSinceApproval == true)
        #expect(try await store.liveRevisions().map(\.revision.text) == ["one"], "the edit is not live")

        let suspended = try await store.suspend(slug, reason: "spam", by: "admin")
        #expect(suspended.status == .suspended)
        #expect(try await store.liveRevisions().isEmpty)
        #expect(try await store.creators(status: .suspended).map(\.slug) == [slug])
        #expect(try await store.creators(status: .pending).isEmpty, "a suspended creator is not in the review queue")

        let reinstated = try await store.reinstate(slug, by: "admin")
        #expect(reinstated.status == .approved)
        #expect(try await store.liveRevisions().map(\.revision.text) == ["one"])
    }

    @Test func rejectingANewCreatorAndComingBack() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try openStore()
        let slug = Slug("cakes-b")!
        _ = try await store.recordRevision(revision("cakes-b", "one"))
        #expect(try await store.rejectCurrentRevision(of: slug, reason: "blurry", by: "admin").status == .rejected)
        #expect(try await store.creators(status: .rejected).map(\.slug) == [slug])
        _ = try await store.recordRevision(revision("cakes-b", "better"))
        #expect(try await store.creator(slug)?.status == .pending, "a new revision puts it back in the queue")
    }

    @Test func unknownCreatorsAreReported() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try openStore()
        await #expect(throws: StoreError.creatorNotFound(Slug("nobody")!)) {
            try await store.suspend(Slug("nobody")!, reason: "x", by: "admin")
        }
    }

    @Test func mediaLibraryRefusesBytesThatDoNotMatchTheirHash() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let media = MediaLibrary(path: folder.appendingPathComponent("media").path)
        let data = Data([0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x10, 0x00, 0x10, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xFF, 0xD9])
        let image = RevisionImage(name: "a.jpg", sha256: RevisionDigest.sha256(data), bytes: data.count, info: ImageInfo.read(data)!)
        #expect(throws: StoreError.self) { try media.store(Data([1, 2, 3]), as: image) }
        #expect(!media.contains(image))
        try media.store(data, as: image)
        #expect(FileManager.default.contents(atPath: media.url(for: image).path) == data)
        #expect(media.url(for: image).lastPathComponent == "\(image.sha256).jpg")
    }

    @Test func storeLocationDefaults() throws {
        let defaults = try StoreLocation(database: nil, media: nil, environment: [:])
        #expect(defaults.database == "data/haat.sqlite")
        #expect(defaults.mediaFolder.hasSuffix("data/media"))
        let fromEnvironment = try StoreLocation(database: nil, media: nil, environment: ["HAAT_DB": "/tmp/x/h.sqlite", "HAAT_MEDIA": "/srv/media"])
        #expect(fromEnvironment.database == "/tmp/x/h.sqlite" && fromEnvironment.mediaFolder == "/srv/media")
        #expect(throws: StoreError.self) { try StoreLocation(database: "postgres://localhost/haat", media: nil, environment: [:]) }
    }
}
