import Foundation

/// A topic label such as `pre-wedding`. Creators write tags freely; they are kept
/// as given but normalised: lowercased, runs of spaces or underscores become `-`.
public struct Tag: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let slug: Slug

    public init?(_ text: String) {
        var normalised = ""
        var pendingDash = false
        for character in text.lowercased() {
            if character == " " || character == "_" || character == "-" {
                pendingDash = !normalised.isEmpty
            } else {
                if pendingDash { normalised.append("-") }
                pendingDash = false
                normalised.append(character)
            }
        }
        guard let slug = Slug(normalised) else { return nil }
        self.slug = slug
    }

    public init(slug: Slug) { self.slug = slug }

    /// Human label: `pre-wedding` → `pre wedding`.
    public var label: String { slug.rawValue.replacingOccurrences(of: "-", with: " ") }
    public var description: String { slug.rawValue }
    public static func < (lhs: Tag, rhs: Tag) -> Bool { lhs.slug < rhs.slug }
}
