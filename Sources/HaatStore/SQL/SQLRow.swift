import Foundation

/// One row of a statement's answer, read by column position (from 0), in either store's
/// own row type. A non-optional read of NULL throws.
public protocol SQLRow {
    func text(at column: Int) throws -> String?
    func integer(at column: Int) throws -> Int?
    func real(at column: Int) throws -> Double?
    func bool(at column: Int) throws -> Bool?
    func date(at column: Int) throws -> Date?
}

extension SQLRow {
    /// The column at `column` as `Value`: `let name: String = try row[2]`.
    public subscript<Value: SQLColumn>(_ column: Int) -> Value {
        get throws { try Value.read(self, at: column) }
    }
}

/// A Swift value a column can be read as.
public protocol SQLColumn {
    /// The column's value, nil for NULL.
    static func readIfPresent(_ row: some SQLRow, at column: Int) throws -> Self?
    static func read(_ row: some SQLRow, at column: Int) throws -> Self
}

extension SQLColumn {
    public static func read(_ row: some SQLRow, at column: Int) throws -> Self {
        guard let value = try readIfPresent(row, at: column) else { throw UnexpectedNull(column: column) }
        return value
    }
}

/// A column read as a non-optional value held NULL.
public struct UnexpectedNull: Error, CustomStringConvertible {
    public let column: Int
    public var description: String { "column \(column) is NULL where a value was expected" }
}

extension String: SQLColumn {
    public static func readIfPresent(_ row: some SQLRow, at column: Int) throws -> String? { try row.text(at: column) }
}

extension Int: SQLColumn {
    public static func readIfPresent(_ row: some SQLRow, at column: Int) throws -> Int? { try row.integer(at: column) }
}

extension Double: SQLColumn {
    public static func readIfPresent(_ row: some SQLRow, at column: Int) throws -> Double? { try row.real(at: column) }
}

extension Bool: SQLColumn {
    public static func readIfPresent(_ row: some SQLRow, at column: Int) throws -> Bool? { try row.bool(at: column) }
}

extension Date: SQLColumn {
    public static func readIfPresent(_ row: some SQLRow, at column: Int) throws -> Date? { try row.date(at: column) }
}

extension Optional: SQLColumn where Wrapped: SQLColumn {
    public static func readIfPresent(_ row: some SQLRow, at column: Int) throws -> Wrapped?? { .some(try Wrapped.readIfPresent(row, at: column)) }
    public static func read(_ row: some SQLRow, at column: Int) throws -> Wrapped? { try Wrapped.readIfPresent(row, at: column) }
}
