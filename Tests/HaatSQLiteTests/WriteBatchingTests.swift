import Foundation
import GRDB
import Testing
@testable import HaatStore
@testable import HaatSQLite

/// `GroupCommit` (concurrent writes share a transaction, each in its own savepoint) and
/// `WALCheckpointer` (the log is copied into the database file in the background), on a
/// real temporary SQLite file.
struct WriteBatchingTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("haat-batching-\(UUID().uuidString)")
    var path: String { folder.appendingPathComponent("haat.sqlite").path }

    struct Refused: Error {}

    func makeTable(_ store: SQLiteStore) async throws {
        try await store.pool.write { db in try db.execute(sql: "CREATE TABLE marks (n INTEGER NOT NULL)") }
    }

    @Test func concurrentWritesAllCommitAndAFailingOneRollsBackAlone() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: path)
        try await makeTable(store)
        // 200 writers at once; every seventh inserts its row and then fails.
        let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
            for n in 0..<200 {
                group.addTask {
                    do {
                        let echoed = try await store.groupCommit.write { db -> Int in
                            try db.execute(sql: "INSERT INTO marks (n) VALUES (?)", arguments: [n])
                            if n % 7 == 0 { throw Refused() }
                            return n
                        }
                        return (n, echoed == n)
                    } catch {
                        return (n, false)
                    }
                }
            }
            return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
        }
        #expect(outcomes.count == 200)
        #expect(outcomes.filter(\.value).map(\.key).sorted() == (0..<200).filter { $0 % 7 != 0 })
        let stored = try await store.pool.read { db in try Int.fetchAll(db, sql: "SELECT n FROM marks ORDER BY n") }
        #expect(stored == (0..<200).filter { $0 % 7 != 0 }, "a failed job's insert must be rolled back, and only it")
    }

    @Test func eachJobSeesTheWritesOfTheJobsBeforeIt() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: path)
        try await makeTable(store)
        // A check-then-insert under a limit: exact only if the jobs run one after another.
        let admitted = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    (try? await store.groupCommit.write { db -> Bool in
                        guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM marks")! < 5 else { return false }
                        try db.execute(sql: "INSERT INTO marks (n) VALUES (1)")
                        return true
                    }) ?? false
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(admitted == 5)
        #expect(try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM marks") } == 5)
    }

    @Test func theLogReachesTheDatabaseFileWithoutTheWriterCheckpointing() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: path)
        try await makeTable(store)
        for n in 0..<100 {
            try await store.groupCommit.write { db in try db.execute(sql: "INSERT INTO marks (n) VALUES (?)", arguments: [n]) }
        }
        // The writer's own threshold is far above these few pages: only the background
        // checkpointer can have copied them. A copy of the database file alone (no WAL)
        // shows what has reached it.
        var copied = 0
        for _ in 0..<40 where copied < 100 {
            try await Task.sleep(for: .milliseconds(100))
            let copy = folder.appendingPathComponent("copy-\(UUID().uuidString).sqlite")
            try FileManager.default.copyItem(atPath: path, toPath: copy.path)
            let queue = try DatabaseQueue(path: copy.path)
            copied = try await queue.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master WHERE name = 'marks'") == 1
                    ? try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM marks")! : 0
            }
        }
        #expect(copied == 100)
    }
}

/// The v5 migration moves leads from a count per profile to a count per creator account.
struct LeadStreamMigrationTests {
    @Test func leadsAreRenumberedPerOwningAccountInTimeOrder() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("haat-migration-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("haat.sqlite").path
        let before = try DatabaseQueue(path: path)
        try SQLiteSchema.migrator.migrate(before, upTo: "v4-reveal-indexes")
        try await before.write { db in
            try db.execute(sql: """
                INSERT INTO accounts (id, email, name, role, status, password_hash, created_at)
                VALUES ('c1', 'customer@example.com', 'C', 'customer', 'active', 'x', '2026-01-01 00:00:00.000');
                INSERT INTO creators (slug, name, account, status, current_sha256, verified, created_at, updated_at) VALUES
                    ('cakes', 'Cakes', 'owner@example.com', 'approved', 'a', 0, '2026-01-01 00:00:00.000', '2026-01-01 00:00:00.000'),
                    ('frames', 'Frames', 'owner@example.com', 'approved', 'b', 0, '2026-01-01 00:00:00.000', '2026-01-01 00:00:00.000'),
                    ('decor', 'Decor', 'other@example.com', 'approved', 'c', 0, '2026-01-01 00:00:00.000', '2026-01-01 00:00:00.000');
                INSERT INTO contacts (id, customer_id, creator_slug, charged, created_at) VALUES
                    ('k1', 'c1', 'cakes', 'free', '2026-01-01 10:00:00.000'),
                    ('k2', 'c1', 'frames', 'free', '2026-01-01 09:00:00.000'),
                    ('k3', 'c1', 'decor', 'free', '2026-01-01 11:00:00.000');
                INSERT INTO leads (contact_id, creator_slug, seq, status, created_at) VALUES
                    ('k1', 'cakes', 1, 'new', '2026-01-01 10:00:00.000'),
                    ('k2', 'frames', 1, 'won', '2026-01-01 09:00:00.000'),
                    ('k3', 'decor', 1, 'new', '2026-01-01 11:00:00.000');
                """)
        }
        try before.close()
        let store = try SQLiteStore(path: path)
        let rows = try await store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT contact_id, account, seq, status FROM leads ORDER BY account, seq")
                .map { "\($0["contact_id"] as String) \($0["account"] as String) \($0["seq"] as Int) \($0["status"] as String)" }
        }
        #expect(rows == ["k3 other@example.com 1 new", "k2 owner@example.com 1 won", "k1 owner@example.com 2 new"])
    }
}
