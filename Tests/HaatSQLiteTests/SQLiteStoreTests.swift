import Foundation
import HaatCore
import Testing
@testable import HaatStore
@testable import HaatSQLite
import HaatContent

/// What is particular to SQLite (its file and journal) and to the media folder; the
/// moderation state machine is tested against both stores in `RevisionStoreContractTests`.
struct SQLiteStoreTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("haat-store-\(UUID().uuidString)")

    func openStore() throws -> SQLiteStore { try SQLiteStore(path: folder.appendingPathComponent("nested/db/haat.sqlite").path) }

    @Test func createsFoldersAndUsesWAL() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try openStore()
        let mode = try await store.pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
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
