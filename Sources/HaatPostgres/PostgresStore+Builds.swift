import Foundation
import HaatCore
import HaatStore
import PostgresNIO

/// Rebuilds requested through the admin API. Same meaning as `SQLiteStore`'s.
extension PostgresStore: BuildStore {
    public func createBuild(requestedBy actor: String, now: Date) async throws -> BuildRecord {
        let build = BuildRecord(id: UUID().uuidString.lowercased(), status: .queued, pagesWritten: nil, durationMS: nil, error: nil,
                                requestedBy: actor, createdAt: now)
        try await transaction { connection in
            try await connection.query("INSERT INTO builds (id, status, requested_by, created_at) VALUES (\(build.id), 'queued', \(actor), \(now))",
                                       logger: logger)
            try await audit(actor: actor, action: "rebuild", target: "build:\(build.id)", reason: nil, on: connection)
        }
        return build
    }

    public func updateBuild(_ build: BuildRecord) async throws {
        try await client.query("""
            UPDATE builds SET status = \(build.status.rawValue), pages_written = \(build.pagesWritten), duration_ms = \(build.durationMS),
                error = \(build.error) WHERE id = \(build.id)
            """, logger: logger)
    }

    public func build(id: String) async throws -> BuildRecord? {
        try await rows("SELECT id, status, pages_written, duration_ms, error, requested_by, created_at FROM builds WHERE id = \(id)") { row in
            BuildRecord(id: try row.value("id"), status: BuildStatus(rawValue: try row.value("status")) ?? .failed,
                        pagesWritten: try row.value("pages_written"), durationMS: try row.value("duration_ms"), error: try row.value("error"),
                        requestedBy: try row.value("requested_by"), createdAt: try row.value("created_at"))
        }.first
    }

    public func failUnfinishedBuilds(reason: String) async throws -> Int {
        try await rowCount("UPDATE builds SET status = 'failed', error = \(reason) WHERE status IN ('queued', 'running') RETURNING id")
    }

    /// An admin action in the audit log, inside the caller's transaction.
    func audit(actor: String, action: String, target: String, reason: String?, on connection: PostgresConnection) async throws {
        try await connection.query("""
            INSERT INTO audit_log (actor, action, target, reason, at) VALUES (\(actor), \(action), \(target), \(reason), \(Date()))
            """, logger: logger)
    }
}
