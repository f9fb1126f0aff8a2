import Foundation
import HaatCore
import HaatImages

/// A portfolio image as the site serves it: its responsive variants (narrowest first),
/// each as JPEG and WebP under names that fingerprint the source and the recipe, so a
/// CDN may cache them forever. The original is never published.
public struct PublishedImage: Sendable, Hashable {
    public struct Variant: Sendable, Hashable {
        public let width: Int
        public let height: Int
        public let jpegPath: String
        public let webpPath: String
    }

    public let variants: [Variant]

    /// - Parameter sizes: each variant's width and height, narrowest first.
    init(sourceSHA256: String, sizes: [(width: Int, height: Int)]) {
        let stem = "/img/" + Self.fingerprint(sourceSHA256)
        variants = sizes.map { size in
            Variant(width: size.width, height: size.height, jpegPath: "\(stem)-\(size.width).jpg", webpPath: "\(stem)-\(size.width).webp")
        }
    }

    init(variants: [Variant]) {
        self.variants = variants
    }

    /// The source's hash with the recipe's: new settings give new names, never stale copies.
    static func fingerprint(_ sourceSHA256: String) -> String {
        String(RevisionDigest.sha256(Data("\(ResponsiveImages.recipe)|\(sourceSHA256)".utf8)).prefix(20))
    }

    /// What pages, cards and the search index show: the narrowest variant.
    public var small: Variant { variants[0] }
    /// What Open Graph, JSON-LD and "view larger" point at.
    public var large: Variant { variants[variants.count - 1] }

    public var jpegSourceSet: String { variants.map { "\($0.jpegPath) \($0.width)w" }.joined(separator: ", ") }
    public var webpSourceSet: String { variants.map { "\($0.webpPath) \($0.width)w" }.joined(separator: ", ") }
}
