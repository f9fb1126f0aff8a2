import Foundation
import GRDB

/// Rebuilds requested through the admin API, kept so their outcome can be read later.
extension SQLiteStore {
    public func createBuild(requestedBy actor: String, now: Date) async throws -> BuildRecord {
        let build = BuildRecord(id: UUID().uuidString.lowercased(), status: .queued, pagesWritten: nil, durationMS: nil, error: nil,
                                requestedBy: actor, createdAt: now)
        try await pool.write { db in
            try db.execute(sql: "INSERT INTO builds (id, status, requested_by, created_at) VALUES (?, 'queued', ?, ?)",
                           arguments: [build.id, actor, now])
            try Self.audit(db, actor: actor, action: "rebuild", target: "build:\(build.id)", reason: nil)
        }
        return build
    }

    public func updateBuild(_ build: BuildRecord) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE builds SET status = ?, pages_written = ?, duration_ms = ?, error = ? WHERE id = ?",
                           arguments: [build.status.rawValue, build.pagesWritten, build.durationMS, build.error, build.id])
        }
    }

    public func build(id: String) async throws -> BuildRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT id, status, pages_written, duration_ms, error, requested_by, created_at FROM builds WHERE id = ?",
                             arguments: [id]).map { row in
                BuildRecord(id: row[0], status: BuildStatus(rawValue: row[1]) ?? .failed, pagesWritten: row[2], durationMS: row[3], error: row[4],
                            requestedBy: row[5], createdAt: row[6])
            }
        }
    }

    public func failUnfinishedBuilds(reason: String) async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: "UPDATE builds SET status = 'failed', error = ? WHERE status IN ('queued', 'running')", arguments: [reason])
            return db.changesCount
        }
    }
}
