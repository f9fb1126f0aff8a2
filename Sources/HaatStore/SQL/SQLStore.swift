import Foundation
import HaatCore

/// What differs in the SQL the two databases speak, for the statements written once.
public enum SQLDialect: Sendable {
    case sqlite, postgres

    /// A tie-break by insertion order, for rows with equal times: SQLite's rowid;
    /// PostgreSQL has none, and orders by the row's id.
    public var insertionOrder: SQL { self == .sqlite ? "rowid" : "id" }

    /// The larger of two values (SQLite's two-argument `MAX`).
    public func greatest(_ first: SQL, _ second: SQL) -> SQL {
        self == .sqlite ? "MAX(\(sql: first), \(sql: second))" : "GREATEST(\(sql: first), \(sql: second))"
    }

    /// The smaller of two values (SQLite's two-argument `MIN`).
    public func least(_ first: SQL, _ second: SQL) -> SQL {
        self == .sqlite ? "MIN(\(sql: first), \(sql: second))" : "LEAST(\(sql: first), \(sql: second))"
    }

    /// Whether `text` holds `needle` (both already lowercased), as a condition.
    public func contains(_ text: SQL, _ needle: String) -> SQL {
        self == .sqlite ? "instr(\(sql: text), \(needle)) > 0" : "strpos(\(sql: text), \(needle)) > 0"
    }

    /// Appended to a SELECT inside a transaction: PostgreSQL locks the rows it read until
    /// the transaction ends, so instances deciding about them at once take turns; SQLite's
    /// single writer already makes them take turns.
    public var forUpdate: SQL { locksRows ? " FOR UPDATE" : "" }

    /// Whether `column` (a time) is at least `minutes` (an integer expression) before `now`.
    public func atLeast(minutes: SQL, before now: Date, _ column: SQL) -> SQL {
        self == .sqlite ? "julianday(\(sql: column)) <= julianday(\(now)) - (\(sql: minutes)) / 1440.0"
            : "\(sql: column) <= CAST(\(now) AS timestamptz) - make_interval(mins => \(sql: minutes))"
    }

    /// Whether a transaction locks the rows it reads `FOR UPDATE` (PostgreSQL's
    /// instances share the database; SQLite's writer is one).
    public var locksRows: Bool { self == .postgres }
}

/// Where a statement runs: a read, or one transaction of a `SQLStore`.
public protocol SQLExecutor: Sendable {
    var dialect: SQLDialect { get }

    /// Runs a statement that returns no rows.
    func execute(_ statement: SQL) async throws

    /// Every row of `statement`, each read into a value by `read`.
    func rows<Value: Sendable>(_ statement: SQL, _ read: @escaping @Sendable (any SQLRow) throws -> Value) async throws -> [Value]

    /// Holds `key` until the transaction ends, so decisions about one thing (an event,
    /// an account, a report) taken at once on several instances run one after another.
    /// SQLite's single writer already runs them so; PostgreSQL takes an advisory lock.
    func lock(_ key: String) async throws
}

extension SQLExecutor {
    /// The first row of `statement`, read by `read`; nil when it has none.
    public func row<Value: Sendable>(_ statement: SQL, _ read: @escaping @Sendable (any SQLRow) throws -> Value) async throws -> Value? {
        try await rows(statement, read).first
    }

    /// The first column of the first row of `statement`.
    public func value<Value: SQLColumn & Sendable>(_ statement: SQL, as type: Value.Type = Value.self) async throws -> Value? {
        try await rows(statement) { row -> Value? in try row[0] }.first ?? nil
    }

    /// Whether `statement` returns any row.
    public func exists(_ statement: SQL) async throws -> Bool {
        try await !rows(statement) { _ in true }.isEmpty
    }
}

/// A store on a SQL database: the parts of `HaatStore` both databases share are written
/// once, against this (the `SQLStore+…` files), and each store keeps only what is truly
/// its own, by implementing that part itself (its implementation is the one called,
/// from outside and from the shared code alike).
public protocol SQLStore: HaatStore {
    /// How its database's SQL differs, for statements made outside an executor.
    var dialect: SQLDialect { get }
    /// Runs `body` on a reader: its statements see committed data.
    func read<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T
    /// Runs `body` in one write transaction: committed when it returns, rolled back when
    /// it throws (the error thrown as itself).
    func transaction<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T
    /// Runs one statement as a write of its own and returns its rows (a `RETURNING`'s).
    /// A store may run it alongside other writers' work: SQLite's joins the writes waiting
    /// for its one writer (the reveals' group commit), since a transaction of its own
    /// would hold that writer, which reveals wait for, across three hops between threads.
    func writeStatement<Value: Sendable>(_ statement: SQL, _ read: @escaping @Sendable (any SQLRow) throws -> Value) async throws -> [Value]

    /// Hands the leads of `slug` kept under `email` while its ownership was unconfirmed to
    /// that account, inside the confirmation's transaction: numbered after its newest lead,
    /// so a socket that acknowledged later leads meanwhile still replays them. Each store
    /// numbers leads its own way.
    func deliverWaitingLeads(of slug: Slug, to email: String, in database: any SQLExecutor) async throws -> [Lead]
}

extension SQLStore {
    /// One statement, in a transaction of its own.
    public func writeStatement<Value: Sendable>(_ statement: SQL, _ read: @escaping @Sendable (any SQLRow) throws -> Value) async throws -> [Value] {
        try await transaction { database in try await database.rows(statement, read) }
    }
}
