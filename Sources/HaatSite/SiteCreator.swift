import Foundation
import HaatCore
import HaatStore

/// A live creator as the generator sees it: the parsed approved revision, its images
/// and what the build derived (rendered story, listing score).
public struct SiteCreator: Sendable {
    public let creator: Creator
    public let revision: StoredRevision
    public let verified: Bool
    public let approvedAt: Date
    public let storyHTML: String
    public let excerpt: String
    public let storyWords: Int
    public internal(set) var score: Double = 0

    init(creator: Creator, live: LiveRevision) {
        self.creator = creator
        revision = live.revision
        verified = live.verified
        approvedAt = live.approvedAt
        storyHTML = Markdown.html(creator.story)
        excerpt = Markdown.excerpt(html: storyHTML)
        storyWords = Markdown.wordCount(creator.story)
    }

    public var slug: Slug { creator.slug }
    public var path: String { "/creators/\(creator.slug)/" }

    public func image(named name: String) -> RevisionImage? {
        revision.images.first { $0.name == name }
    }

    /// The first portfolio picture, shown on cards and in Open Graph.
    public var coverImage: RevisionImage? { creator.portfolio.first.flatMap { image(named: $0.image) } }
}

/// Where a media image is published in the site: fingerprinted by its content hash,
/// so a CDN may cache it forever.
enum ImagePath {
    static func path(for image: RevisionImage) -> String {
        "/img/\(image.sha256.prefix(20)).\(image.mediaFileName.split(separator: ".").last!)"
    }
}
