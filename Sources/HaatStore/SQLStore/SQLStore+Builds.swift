import Foundation

/// Rebuilds requested through the admin API, kept so their outcome can be read later, for
/// both stores.
extension SQLStore {
    public func createBuild(requestedBy actor: String, now: Date) async throws -> BuildRecord {
        let build = BuildRecord(id: UUID().uuidString.lowercased(), status: .queued, pagesWritten: nil, durationMS: nil, error: nil,
                                requestedBy: actor, createdAt: now)
        try await transaction { database in
            try await database.execute("INSERT INTO builds (id, status, requested_by, created_at) VALUES (\(build.id), 'queued', \(actor), \(now))")
            try await database.audit(actor: actor, action: "rebuild", target: "build:\(build.id)", reason: nil)
        }
        return build
    }

    public func updateBuild(_ build: BuildRecord) async throws {
        try await transaction { database in
            try await database.execute("""
                UPDATE builds SET status = \(build.status.rawValue), pages_written = \(build.pagesWritten), duration_ms = \(build.durationMS),
                    error = \(build.error) WHERE id = \(build.id)
                """)
        }
    }

    public func build(id: String) async throws -> BuildRecord? {
        try await read { database in
            try await database.row("SELECT id, status, pages_written, duration_ms, error, requested_by, created_at FROM builds WHERE id = \(id)") { row in
                BuildRecord(id: try row[0], status: BuildStatus(rawValue: try row[1]) ?? .failed, pagesWritten: try row[2], durationMS: try row[3],
                            error: try row[4], requestedBy: try row[5], createdAt: try row[6])
            }
        }
    }

    public func failUnfinishedBuilds(reason: String) async throws -> Int {
        try await transaction { database in
            try await database.rows("UPDATE builds SET status = 'failed', error = \(reason) WHERE status IN ('queued', 'running') RETURNING id") { _ in
                true
            }.count
        }
    }
}
