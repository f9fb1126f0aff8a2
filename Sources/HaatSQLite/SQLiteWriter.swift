import Foundation
import HaatStore
// GRDB has an `SQL` too: this file means the store's statement type.
import struct HaatStore.SQL
import GRDB

/// SQLite's single writer, shared by two kinds of write: a closure on GRDB's writer
/// connection (SQLite's own code, the group commit), and a transaction written once for
/// both stores, whose statements are awaited one at a time (`SQLStore`). They take turns
/// (`AsyncTurn`), so no closure runs inside another's open transaction.
final class SQLiteWriter: Sendable {
    let pool: DatabasePool
    private let turn = AsyncTurn()

    init(pool: DatabasePool) {
        self.pool = pool
    }

    /// `updates` in one write transaction on the writer connection.
    func write<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await turn.run { try await pool.write(updates) }
    }

    /// `body` in one write transaction, its statements run on the writer connection.
    func transaction<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await turn.run {
            try await pool.writeWithoutTransaction { db in try db.beginTransaction(.immediate) }
            do {
                let value = try await body(SQLiteExecutor(pool: pool, writes: true))
                try await pool.writeWithoutTransaction { db in try db.commit() }
                return value
            } catch {
                try? await pool.writeWithoutTransaction { db in
                    if db.isInsideTransaction { try db.rollback() }
                }
                throw error
            }
        }
    }
}

/// Runs the statements written once for both stores on SQLite: each on a reader, or on
/// the writer inside the transaction `SQLiteWriter.transaction` opened. Prepared once per
/// connection and reused.
struct SQLiteExecutor: SQLExecutor {
    let pool: DatabasePool
    let writes: Bool

    var dialect: SQLDialect { .sqlite }

    func execute(_ statement: SQL) async throws {
        let (text, arguments) = Self.prepared(statement)
        try await access { db in try db.cachedStatement(sql: text).execute(arguments: arguments) }
    }

    func rows<Value: Sendable>(_ statement: SQL, _ read: @escaping @Sendable (any SQLRow) throws -> Value) async throws -> [Value] {
        let (text, arguments) = Self.prepared(statement)
        return try await access { db in try Self.rows(db, text, arguments, read) }
    }

    static func rows<Value>(_ db: Database, _ text: String, _ arguments: StatementArguments,
                            _ read: (any SQLRow) throws -> Value) throws -> [Value] {
        try Row.fetchAll(db.cachedStatement(sql: text), arguments: arguments).map { try read(SQLiteRow(row: $0)) }
    }

    func lock(_ key: String) async throws {}

    private func access<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        writes ? try await pool.writeWithoutTransaction(work) : try await pool.read(work)
    }

    static func prepared(_ statement: SQL) -> (String, StatementArguments) {
        let (text, values) = statement.rendered { _ in "?" }
        return (text, StatementArguments(values.map(\.databaseValue)))
    }
}

extension SQL.Value {
    /// The value as GRDB binds it (dates as GRDB's text, booleans as 0 and 1).
    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .text(let text): text.databaseValue
        case .integer(let integer): integer.databaseValue
        case .real(let real): real.databaseValue
        case .bool(let bool): bool.databaseValue
        case .date(let date): date.databaseValue
        }
    }
}

/// A GRDB row read by position (by name GRDB compares case-insensitively).
struct SQLiteRow: SQLRow {
    let row: Row

    func text(at column: Int) throws -> String? { try row.decode(String?.self, atIndex: column) }
    func integer(at column: Int) throws -> Int? { try row.decode(Int?.self, atIndex: column) }
    func real(at column: Int) throws -> Double? { try row.decode(Double?.self, atIndex: column) }
    func bool(at column: Int) throws -> Bool? { try row.decode(Bool?.self, atIndex: column) }
    func date(at column: Int) throws -> Date? { try row.decode(Date?.self, atIndex: column) }
}

extension SQLiteStore: SQLStore {
    public var dialect: SQLDialect { .sqlite }

    public func read<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await body(SQLiteExecutor(pool: pool, writes: false))
    }

    public func transaction<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await writer.transaction(body)
    }

    /// In the reveals' group commit, in a savepoint of its own.
    public func writeStatement<Value: Sendable>(_ statement: SQL, _ read: @escaping @Sendable (any SQLRow) throws -> Value) async throws -> [Value] {
        let (text, arguments) = SQLiteExecutor.prepared(statement)
        return try await groupCommit.write { db in try SQLiteExecutor.rows(db, text, arguments, read) }
    }
}
