import Foundation

/// A statement with its values kept apart from its text: every interpolated value becomes
/// a bind parameter, rendered as `?` for SQLite and `$1…` for PostgreSQL, so no value is
/// ever spliced into SQL. Fragments of SQL itself are interpolated with `\(sql:)`.
///
///     let statement: SQL = "SELECT name FROM accounts WHERE id = \(id)"
public struct SQL: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// A bound value, in the few types the stores use.
    public enum Value: Sendable, Hashable {
        case null
        case text(String)
        case integer(Int)
        case real(Double)
        case bool(Bool)
        case date(Date)
    }

    enum Piece: Sendable {
        case text(String)
        case value(Value)
    }

    private(set) var pieces: [Piece]

    public init(stringLiteral text: String) {
        pieces = [.text(text)]
    }

    public init(stringInterpolation: StringInterpolation) {
        pieces = stringInterpolation.pieces
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var pieces: [Piece] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            pieces.reserveCapacity(2 * interpolationCount + 1)
        }

        public mutating func appendLiteral(_ literal: String) {
            pieces.append(.text(literal))
        }

        /// A value, bound as a parameter.
        public mutating func appendInterpolation(_ value: some SQLBindable) {
            pieces.append(.value(value.sqlValue))
        }

        /// A value or NULL, bound as a parameter.
        public mutating func appendInterpolation(_ value: (some SQLBindable)?) {
            pieces.append(.value(value?.sqlValue ?? .null))
        }

        /// A fragment of SQL (with its own bound values), spliced in as SQL.
        public mutating func appendInterpolation(sql fragment: SQL) {
            pieces += fragment.pieces
        }
    }

    public static func + (lhs: SQL, rhs: SQL) -> SQL {
        var joined = lhs
        joined.pieces += rhs.pieces
        return joined
    }

    /// `fragments` joined by `separator` (an empty list gives empty SQL).
    public static func joined(_ fragments: [SQL], separator: String) -> SQL {
        var joined = SQL(stringLiteral: "")
        for (index, fragment) in fragments.enumerated() {
            if index > 0 { joined.pieces.append(.text(separator)) }
            joined.pieces += fragment.pieces
        }
        return joined
    }

    /// The text with a placeholder for each value (`placeholder(n)` for the n-th, from 1),
    /// and the values in order.
    public func rendered(placeholder: (Int) -> String) -> (text: String, values: [Value]) {
        var text = "", values: [Value] = []
        for piece in pieces {
            switch piece {
            case .text(let part): text += part
            case .value(let value):
                values.append(value)
                text += placeholder(values.count)
            }
        }
        return (text, values)
    }

    /// The text of a fragment that binds no values (a column list, a join), for code that
    /// runs SQL its own way.
    public var plainText: String {
        let (text, values) = rendered { _ in "?" }
        precondition(values.isEmpty, "plainText of SQL that binds values")
        return text
    }

    /// The text with `?` for each value: for logs and errors, never for running.
    public var description: String { rendered { _ in "?" }.text }
}

/// A Swift value a statement can bind.
public protocol SQLBindable: Sendable {
    var sqlValue: SQL.Value { get }
}

extension String: SQLBindable {
    public var sqlValue: SQL.Value { .text(self) }
}

extension Int: SQLBindable {
    public var sqlValue: SQL.Value { .integer(self) }
}

extension Double: SQLBindable {
    public var sqlValue: SQL.Value { .real(self) }
}

extension Bool: SQLBindable {
    public var sqlValue: SQL.Value { .bool(self) }
}

extension Date: SQLBindable {
    public var sqlValue: SQL.Value { .date(self) }
}

