import Foundation
import Logging
import PostgresNIO

/// One PostgreSQL database shared by every `haat` instance: a connection pool that runs
/// for the life of this value, and the schema brought up to date at start. Migrations
/// run in one transaction under an advisory lock, so instances starting together never
/// race: the second waits, then finds nothing left to do.
public final class PostgresDatabase: Sendable {
    public let address: PostgresAddress
    let client: PostgresClient
    let logger: Logger
    private let running: Task<Void, Never>

    /// The advisory lock every instance takes to migrate ("haat" in ASCII).
    static let migrationLock: Int64 = 0x6861_6174

    /// Connects once (a wrong address or password fails here, with its reason, where the
    /// pool would retry for ever), brings the schema up to date on that connection, then
    /// starts the pool.
    public init(address: PostgresAddress, logger: Logger = Logger(label: "haat.postgres")) async throws {
        self.address = address
        self.logger = logger
        do {
            let connection = try await PostgresConnection.connect(configuration: try address.connectionConfiguration(), id: 0, logger: logger)
            do {
                try await Self.migrate(on: connection, logger: logger)
                try await connection.close()
            } catch {
                try? await connection.close()
                throw error
            }
        } catch {
            throw Self.explained(error, address: address)
        }
        let client = PostgresClient(configuration: address.configuration, backgroundLogger: logger)
        self.client = client
        running = Task { await client.run() }
    }

    deinit { running.cancel() }

    /// Stops the pool: pending queries fail, connections close.
    public func close() {
        running.cancel()
    }

    /// The names of the migrations applied, in order.
    public func appliedMigrations() async throws -> [String] {
        var names: [String] = []
        for try await name in try await client.query("SELECT name FROM haat_schema_migrations ORDER BY applied_at, name", logger: logger)
            .decode(String.self) {
            names.append(name)
        }
        return names
    }

    static func migrate(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLock))", logger: logger)
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS haat_schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL)
                """, logger: logger)
            var applied: Set<String> = []
            for try await name in try await connection.query("SELECT name FROM haat_schema_migrations", logger: logger).decode(String.self) {
                applied.insert(name)
            }
            for migration in PostgresSchema.migrations where !applied.contains(migration.name) {
                logger.info("applying migration \(migration.name)")
                for statement in migration.statements {
                    try await connection.query(statement, logger: logger)
                }
                try await connection.query("INSERT INTO haat_schema_migrations (name, applied_at) VALUES (\(migration.name), \(Date()))", logger: logger)
            }
        }
    }

    /// A connection failure in words that say what to check.
    static func explained(_ error: any Error, address: PostgresAddress) -> any Error {
        guard let psql = error as? PSQLError else {
            return StartupError("cannot reach PostgreSQL at \(address.host):\(address.port): \(error)")
        }
        let target = "\(address.username)@\(address.host):\(address.port)/\(address.database)"
        if let message = psql.serverInfo?[.message] {
            return StartupError("PostgreSQL at \(target) refused: \(message)")
        }
        return StartupError("cannot reach PostgreSQL at \(target): is it running, and does --db or HAAT_DB name it?")
    }

    public struct StartupError: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}
