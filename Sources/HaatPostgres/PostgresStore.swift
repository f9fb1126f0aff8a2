import Foundation
import HaatCore
import HaatStore
import Logging
import PostgresNIO
import Synchronization

/// The scale-out store: every `haat` instance shares one PostgreSQL database (DESIGN.md
/// "Scale"). Each part of `HaatStore` passes the same contract tests as `SQLiteStore`,
/// against a real server.
///
/// Decisions that read then write run in one transaction that first locks the row they
/// depend on (`SELECT … FOR UPDATE`), so instances deciding at once queue on that row.
public final class PostgresStore: Sendable {
    public let database: PostgresDatabase
    var client: PostgresClient { database.client }
    var logger: Logger { database.logger }

    /// Reveals that arrive together share one lookup statement.
    let revealLookups: RevealLookupBatcher
    /// When this instance last cleared the rate windows that ended (`PostgresRateLimits`).
    let rateWindowsSwept = Mutex(Date.distantPast)

    public init(database: PostgresDatabase) {
        self.database = database
        revealLookups = RevealLookupBatcher(client: database.client, logger: database.logger)
    }

    /// Runs `body` in one transaction. A failure of `body` (rolled back) is thrown as
    /// itself, as the SQLite store throws it, not wrapped in PostgresNIO's error.
    func connectionTransaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as PostgresTransactionError {
            if let cause = error.closureError, error.rollbackError == nil { throw cause }
            throw error
        }
    }

    /// Every row of `query`, each turned into a value by `transform`: for the statements
    /// only PostgreSQL runs (arrays, `FILTER`, `date_trunc`).
    func rows<T>(_ query: PostgresQuery, _ transform: (PostgresRandomAccessRow) throws -> T) async throws -> [T] {
        var values: [T] = []
        for try await row in try await client.query(query, logger: logger) {
            values.append(try transform(row.makeRandomAccess()))
        }
        return values
    }
}

/// Where a prepared statement runs: a pooled connection (`PostgresClient`), or the one
/// connection of a transaction. Prepared once per connection, then only bound and run:
/// the hot paths skip PostgreSQL's parsing and planning.
protocol PostgresStatementRunner: Sendable {
    func rows<Statement: PostgresPreparedStatement>(_ statement: Statement, logger: Logger) async throws -> [Statement.Row]
}

extension PostgresClient: PostgresStatementRunner {
    func rows<Statement: PostgresPreparedStatement>(_ statement: Statement, logger: Logger) async throws -> [Statement.Row] {
        try await collected(execute(statement, logger: logger))
    }
}

extension PostgresConnection: PostgresStatementRunner {
    func rows<Statement: PostgresPreparedStatement>(_ statement: Statement, logger: Logger) async throws -> [Statement.Row] {
        try await collected(execute(statement, logger: logger))
    }
}

/// Every row of a statement's answer.
private func collected<Rows: AsyncSequence>(_ rows: Rows) async throws -> [Rows.Element] {
    try await rows.reduce(into: []) { $0.append($1) }
}

extension PostgresRandomAccessRow {
    /// The column `name` as `T` (an optional type for a nullable column).
    func value<T: PostgresDecodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        try self[name].decode(T.self)
    }
}

/// Every part is here: PostgreSQL can stand wherever SQLite does.
extension PostgresStore: HaatStore {}
