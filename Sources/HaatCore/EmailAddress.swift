import Foundation

/// An email address, compared case-insensitively (stored lowercased).
/// Validation is deliberately shallow: one `@`, a dotted domain, no spaces.
public struct EmailAddress: Hashable, Sendable, CustomStringConvertible {
    public let value: String

    public init?(_ text: String) {
        let lowered = text.trimmedWhitespace.lowercased()
        let parts = lowered.split(separator: "@", omittingEmptySubsequences: false)
        guard lowered.utf8.count <= 254, parts.count == 2,
              !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !lowered.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\"" })
        else { return nil }
        value = lowered
    }

    /// An address already validated and lowercased (read back from a cache).
    public init(normalized value: String) { self.value = value }

    public var description: String { value }
}
