import Foundation
import HaatStore
import GRDB
import HaatCore

/// The default store: one SQLite file in WAL mode (many readers, one writer) through
/// GRDB. Every decision that reads then writes runs in one write transaction.
public final class SQLiteStore: HaatStore {
    let pool: DatabasePool
    /// Every write goes through it: SQLite's own and those written once for both stores.
    let writer: SQLiteWriter
    /// The contact reveal's writes, batched (see `GroupCommit`).
    let groupCommit: GroupCommit
    private let checkpointer: WALCheckpointer

    /// Opens (creating folders and the file as needed) and migrates the database.
    /// Bytes of the database file read through the page mapping (256 MB).
    static let mmapSize = 268_435_456

    public init(path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        // A transaction written once for both stores spans several accesses to the writer,
        // one per statement (`SQLiteWriter.transaction`, which always ends it).
        configuration.allowsUnsafeTransactions = true
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Statement journals (each reveal's savepoint in a group commit) stay in memory
            // rather than in temporary files.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            // Reads of the database file through the page mapping, not a system call each.
            try db.execute(sql: "PRAGMA mmap_size = \(SQLiteStore.mmapSize)")
        }
        pool = try DatabasePool(path: url.path, configuration: configuration)
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(WALCheckpointer.writerThresholdPages)")
        }
        writer = SQLiteWriter(pool: pool)
        groupCommit = GroupCommit(writer: writer)
        checkpointer = try WALCheckpointer(path: url.path)
        try SQLiteSchema.migrator.migrate(pool)
    }

    /// A consistent copy of the whole database taken while it is in use (SQLite's online
    /// backup: writers carry on meanwhile), written beside `path` and renamed into place,
    /// so a crash never leaves half a backup under that name.
    public func backup(to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            let destination = try DatabaseQueue(path: temporary.path)
            try pool.backup(to: destination)
            try destination.close()
            guard rename(temporary.path, url.path) == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path]) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    public func recordRevisions(_ revisions: [NewRevision]) async throws -> [RecordOutcome] {
        try await writer.write { db in
            let current = try Dictionary(
                Row.fetchAll(db, sql: "SELECT slug, current_sha256 FROM creators").map { ($0["slug"] as String, $0["current_sha256"] as String) },
                uniquingKeysWith: { first, _ in first })
            let now = Date()
            return try revisions.map { revision in
                switch current[revision.slug.rawValue] {
                case revision.contentSHA256?: return .unchanged
                case nil: try SQLiteStore.insert(revision, isNewCreator: true, db: db, now: now)
                case .some: try SQLiteStore.insert(revision, isNewCreator: false, db: db, now: now)
                }
                return .recorded
            }
        }
    }

    private static func insert(_ revision: NewRevision, isNewCreator: Bool, db: Database, now: Date) throws {
        // An earlier revision may come back (an edit undone): keep its decision history.
        let known = try String.fetchOne(db, sql: "SELECT state FROM revisions WHERE slug = ? AND sha256 = ?",
                                        arguments: [revision.slug.rawValue, revision.contentSHA256])
        if known == nil {
            try db.execute(sql: """
                INSERT INTO revisions (slug, sha256, text, state, source, created_at, phone, whatsapp)
                VALUES (?, ?, ?, 'pending', ?, ?, ?, ?)
                """, arguments: [revision.slug.rawValue, revision.contentSHA256, revision.text, revision.source, now,
                                 revision.contact?.phone.e164, revision.contact?.whatsapp?.e164])
            for (position, image) in revision.images.enumerated() {
                try db.execute(sql: """
                    INSERT INTO revision_images (slug, revision_sha256, position, name, sha256, bytes, width, height, format)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [revision.slug.rawValue, revision.contentSHA256, position, image.name, image.sha256,
                                     image.bytes, image.width, image.height, image.format.rawValue])
            }
        }
        if isNewCreator {
            try db.execute(sql: """
                INSERT INTO creators (slug, name, account, status, current_sha256, approved_sha256, verified, created_at, updated_at)
                VALUES (?, ?, ?, 'pending', ?, NULL, 0, ?, ?)
                """, arguments: [revision.slug.rawValue, revision.name, revision.account.value, revision.contentSHA256, now, now])
        } else {
            // A rejected creator with a new revision is back in the queue.
            try db.execute(sql: """
                UPDATE creators SET name = ?, account = ?, current_sha256 = ?, updated_at = ?,
                    status = CASE WHEN status = 'rejected' THEN 'pending' ELSE status END
                WHERE slug = ?
                """, arguments: [revision.name, revision.account.value, revision.contentSHA256, now, revision.slug.rawValue])
        }
        try log(db, slug: revision.slug, action: "import", sha256: revision.contentSHA256, actor: revision.source, reason: nil)
    }

    public func approveRevisions(_ keys: [RevisionKey], by actor: String) async throws -> [CreatorRecord] {
        try await writer.write { db in
            try keys.map { key in
                try SQLiteStore.moderate(db, key.slug) { db, creator in
                    guard creator.currentSHA256 == key.sha256 else {
                        throw StoreError.conflict("\(key.slug) changed while it was being approved; review the new revision")
                    }
                    let now = Date()
                    try db.execute(sql: "UPDATE revisions SET state = 'approved', decided_at = ?, decided_by = ?, reason = NULL WHERE slug = ? AND sha256 = ?",
                                   arguments: [now, actor, key.slug.rawValue, key.sha256])
                    try db.execute(sql: """
                        UPDATE creators SET approved_sha256 = current_sha256, approved_at = ?, updated_at = ?,
                            status = CASE WHEN status = 'suspended' THEN 'suspended' ELSE 'approved' END
                        WHERE slug = ?
                        """, arguments: [now, now, key.slug.rawValue])
                    try SQLiteStore.log(db, slug: key.slug, action: "approve", sha256: key.sha256, actor: actor, reason: nil)
                }
            }
        }
    }

    public func revisions(_ keys: [RevisionKey]) async throws -> [StoredRevision] {
        guard !keys.isEmpty else { return [] }
        return try await pool.read { db in
            var revisions: [StoredRevision] = []
            // Chunks keep each statement well under SQLite's parameter limit.
            for start in stride(from: 0, to: keys.count, by: 400) {
                let chunk = keys[start..<min(keys.count, start + 400)]
                let pairs = Array(repeating: "(?, ?)", count: chunk.count).joined(separator: ", ")
                let arguments = StatementArguments(chunk.flatMap { [$0.slug.rawValue, $0.sha256] })
                var images: [RevisionKey: [RevisionImage]] = [:]
                for row in try Row.fetchAll(db, sql: """
                    SELECT * FROM revision_images WHERE (slug, revision_sha256) IN (VALUES \(pairs)) ORDER BY slug, position
                    """, arguments: arguments) {
                    guard let slug = Slug(row["slug"]) else { continue }
                    images[RevisionKey(slug: slug, sha256: row["revision_sha256"]), default: []].append(try SQLiteStore.revisionImage(row))
                }
                for row in try Row.fetchAll(db, sql: "SELECT * FROM revisions WHERE (slug, sha256) IN (VALUES \(pairs))", arguments: arguments) {
                    guard let slug = Slug(row["slug"]) else { throw StoreError.conflict("corrupt revision row") }
                    revisions.append(try SQLiteStore.storedRevision(row, images: images[RevisionKey(slug: slug, sha256: row["sha256"])] ?? []))
                }
            }
            return revisions.sorted { $0.slug < $1.slug }
        }
    }

    /// Runs a moderation step on an existing creator inside the caller's transaction.
    private static func moderate(_ db: Database, _ slug: Slug, _ change: (Database, CreatorRecord) throws -> Void) throws -> CreatorRecord {
        guard let creator = try Row.fetchOne(db, sql: creatorSelect + " WHERE c.slug = ?", arguments: [slug.rawValue]).map(creatorRecord) else {
            throw StoreError.creatorNotFound(slug)
        }
        try change(db, creator)
        return try Row.fetchOne(db, sql: creatorSelect + " WHERE c.slug = ?", arguments: [slug.rawValue]).map(creatorRecord)!
    }

    static let creatorSelect = CreatorRecord.select.plainText

    static func creatorRecord(_ row: Row) throws -> CreatorRecord {
        try CreatorRecord(row: SQLiteRow(row: row))
    }

    static func storedRevision(_ row: Row, images: [RevisionImage]) throws -> StoredRevision {
        guard let slug = Slug(row["slug"]), let state = RevisionState(rawValue: row["state"]) else {
            throw StoreError.conflict("corrupt revision row")
        }
        return StoredRevision(slug: slug, contentSHA256: row["sha256"], text: row["text"], images: images, state: state, createdAt: row["created_at"])
    }

    static func revisionImage(_ row: Row) throws -> RevisionImage {
        guard let format = ImageInfo.Format(rawValue: row["format"]) else { throw StoreError.conflict("corrupt image row") }
        return RevisionImage(name: row["name"], sha256: row["sha256"], bytes: row["bytes"],
                             info: ImageInfo(format: format, width: row["width"], height: row["height"]))
    }

    static func log(_ db: Database, slug: Slug, action: String, sha256: String?, actor: String, reason: String?) throws {
        try db.execute(sql: "INSERT INTO moderation_events (slug, action, sha256, actor, reason, at) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [slug.rawValue, action, sha256, actor, reason, Date()])
    }
}
