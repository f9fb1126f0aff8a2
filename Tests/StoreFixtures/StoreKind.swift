import Foundation
import GRDB
@testable import HaatStore
@testable import HaatSQLite
import PostgresNIO
@testable import HaatPostgres

/// The stores Haat has, each opened fresh for one test: a temporary SQLite file, or a
/// scratch database on the test cluster. Tests take a `StoreKind` argument so one test
/// body runs on both.
public enum StoreKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres

    public var description: String { rawValue }

    /// A value bound to a statement in `OpenedStore.execute`, in either store's own type.
    public enum Value: Sendable {
        case text(String)
        case integer(Int)
        case time(Date)
    }

    public func open() async throws -> OpenedStore {
        switch self {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("haat-store-\(UUID().uuidString)")
            let store = try SQLiteStore(path: folder.appendingPathComponent("haat.sqlite").path)
            return OpenedStore(kind: self, store: store, texts: { sql in
                try await store.pool.read { db in try String.fetchAll(db, sql: sql) }
            }, integers: { sql in
                try await store.pool.read { db in try Int.fetchAll(db, sql: sql) }
            }, execute: { sql, values in
                let arguments = StatementArguments(values.map { value -> (any DatabaseValueConvertible)? in
                    switch value {
                    case .text(let text): text
                    case .integer(let integer): integer
                    case .time(let time): time
                    }
                })
                // Through the store's writer, taking its turn: a server's own writes may be under way.
                try await store.writer.write { db in try db.execute(sql: sql, arguments: arguments) }
            }, close: { try? FileManager.default.removeItem(at: folder) })
        case .postgres:
            let scratch = try await ScratchDatabase.make()
            let database = try await HaatPostgres.PostgresDatabase(address: try PostgresAddress(url: scratch.url))
            @Sendable func rows<Value: PostgresDecodable>(_ sql: String, as: Value.Type) async throws -> [Value] {
                var values: [Value] = []
                for try await value in try await database.client.query(PostgresQuery(unsafeSQL: sql)).decode(Value.self) { values.append(value) }
                return values
            }
            return OpenedStore(kind: self, store: PostgresStore(database: database), texts: { sql in
                try await rows(sql, as: String.self)
            }, integers: { sql in
                try await rows(sql, as: Int.self)
            }, execute: { sql, values in
                var bindings = PostgresBindings()
                for value in values {
                    switch value {
                    case .text(let text): bindings.append(text)
                    case .integer(let integer): bindings.append(integer)
                    case .time(let time): bindings.append(time)
                    }
                }
                try await database.client.query(PostgresQuery(unsafeSQL: sql, binds: bindings))
            }, close: {
                database.close()
                try await scratch.drop()
            })
        }
    }
}

/// A store opened for one test, with what tests need that no store method shows: the
/// first column of a query's rows, and statements that set up a state (times in the past).
/// SQL given here must read the same in both dialects; placeholders are `$1`, `$2`…,
/// which SQLite also accepts.
public struct OpenedStore: Sendable {
    public let kind: StoreKind
    public let store: any HaatStore
    public let texts: @Sendable (_ sql: String) async throws -> [String]
    public let integers: @Sendable (_ sql: String) async throws -> [Int]
    public let execute: @Sendable (_ sql: String, _ values: [StoreKind.Value]) async throws -> Void
    public let close: @Sendable () async throws -> Void
}
