import Foundation
import HaatCore
import HaatStore

/// A live creator as the generator sees it: the parsed approved revision, its images
/// and what the build derived (the listing score).
public struct SiteCreator: Sendable {
    /// The approved revision's profile; the build merges discovered tags into its own.
    public internal(set) var creator: Creator
    public let images: [RevisionImage]
    public let contentSHA256: String
    public let verified: Bool
    public let approvedAt: Date
    public let storyWords: Int
    public internal(set) var score: Double = 0
    /// Approved reviews, newest first (their text dropped if it held private data).
    public internal(set) var reviews: [PublishedReview] = []
    /// The published variants of each portfolio image, by its file name.
    public internal(set) var pictures: [String: PublishedImage] = [:]

    init(model: BuildCache.Model, head: LiveRevisionHead) {
        creator = model.creator
        images = model.images
        contentSHA256 = head.key.sha256
        verified = head.verified
        approvedAt = head.approvedAt
        storyWords = model.storyWords
    }

    public var slug: Slug { creator.slug }
    public var path: String { "/creators/\(creator.slug)/" }

    public func image(named name: String) -> RevisionImage? {
        images.first { $0.name == name }
    }

    /// The first portfolio picture, shown on cards and in Open Graph.
    public var cover: PublishedImage? { creator.portfolio.first.flatMap { pictures[$0.image] } }

    /// The average rating of the approved reviews, if any.
    public var averageRating: Double? {
        reviews.isEmpty ? nil : Double(reviews.map(\.rating).reduce(0, +)) / Double(reviews.count)
    }

    /// The average rating × 10, rounded (45 for 4.5), or 0 without reviews: how the
    /// browser's files carry it (search results, listing filters).
    var ratingTenths: Int { averageRating.map { Int(($0 * 10).rounded()) } ?? 0 }

    /// The average rating to one decimal ("4.5") and the number of reviews, if any.
    public var rating: (text: String, count: Int)? {
        averageRating.map { (String(format: "%.1f", $0), reviews.count) }
    }

    /// What a card of this creator shows depends on exactly this (with the catalog and theme).
    /// The slug too: two creators' byte-identical bundles share a content hash, not a link.
    var cardKey: String {
        slug.rawValue + "@" + contentSHA256 + (verified ? "+v" : "") + (rating.map { "+r\($0.text)/\($0.count)" } ?? "") + "+" + creator.tags.prefix(3).map(\.description).joined(separator: ",")
    }

    /// What the reviews section of the creator page shows.
    var reviewsKey: String {
        RevisionDigest.sha256(Data(reviews.map { "\($0.rating)|\($0.firstName)|\($0.createdAt.timeIntervalSince1970)|\($0.text ?? "")" }
            .joined(separator: "\n").utf8))
    }
}
