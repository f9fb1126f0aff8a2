import Foundation
import HaatStore
import Logging
import PostgresNIO

/// Runs the statements written once for both stores on PostgreSQL: each on a pooled
/// connection, or on the one connection of a transaction.
struct PostgresExecutor: SQLExecutor {
    enum Runner: Sendable {
        case pool(PostgresClient)
        case transaction(PostgresConnection)
    }

    let runner: Runner
    let logger: Logger

    var dialect: SQLDialect { .postgres }

    func execute(_ statement: SQL) async throws {
        _ = try await rows(statement) { _ in () }
    }

    func rows<Value: Sendable>(_ statement: SQL, _ read: @escaping @Sendable (any SQLRow) throws -> Value) async throws -> [Value] {
        let query = Self.query(statement)
        let rows = switch runner {
        case .pool(let client): try await client.query(query, logger: logger)
        case .transaction(let connection): try await connection.query(query, logger: logger)
        }
        var values: [Value] = []
        for try await row in rows { values.append(try read(PostgresSQLRow(row: row.makeRandomAccess()))) }
        return values
    }

    /// An advisory lock on `key`, released when the transaction ends.
    func lock(_ key: String) async throws {
        try await execute("SELECT pg_advisory_xact_lock(hashtextextended(\(key), 0))")
    }

    static func query(_ statement: SQL) -> PostgresQuery {
        let (text, values) = statement.rendered { "$\($0)" }
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .null: bindings.appendNull()
            case .text(let text): bindings.append(text)
            case .integer(let integer): bindings.append(integer)
            case .real(let real): bindings.append(real)
            case .bool(let bool): bindings.append(bool)
            case .date(let date): bindings.append(date)
            }
        }
        return PostgresQuery(unsafeSQL: text, binds: bindings)
    }
}

/// A PostgreSQL row read by position.
struct PostgresSQLRow: SQLRow {
    let row: PostgresRandomAccessRow

    func text(at column: Int) throws -> String? { try row[column].decode(String?.self) }
    func integer(at column: Int) throws -> Int? { try row[column].decode(Int?.self) }
    func real(at column: Int) throws -> Double? { try row[column].decode(Double?.self) }
    func bool(at column: Int) throws -> Bool? { try row[column].decode(Bool?.self) }
    func date(at column: Int) throws -> Date? { try row[column].decode(Date?.self) }
}

extension PostgresStore: SQLStore {
    public var dialect: SQLDialect { .postgres }

    public func read<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await body(PostgresExecutor(runner: .pool(client), logger: logger))
    }

    public func transaction<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await connectionTransaction { connection in try await body(PostgresExecutor(runner: .transaction(connection), logger: logger)) }
    }
}
