import Foundation
import HaatCore
import HaatStore

/// A profile rendered as its creator page will look once approved, for the editor's
/// live preview: the theme's own creator template, with no listings, similar creators
/// or reviews around it. Pictures point at `imageURL(name)` (the editor swaps them
/// for what it has already loaded), since nothing of an unapproved profile is published.
public struct ProfilePreview: Sendable {
    public let theme: Theme

    public init(theme: Theme) {
        self.theme = theme
    }

    /// - Parameter images: the size of each image file in the profile's folder, by name.
    public func html(for creator: Creator, images: [String: ImageInfo], catalog: Catalog, imageURL: (String) -> String) throws -> String {
        let revisionImages = creator.portfolio.compactMap { item in
            images[item.image].map { RevisionImage(name: item.image, sha256: "", bytes: 0, info: $0) }
        }
        let model = BuildCache.Model(creator: creator, images: revisionImages, storyWords: Markdown.wordCount(creator.story))
        var site = SiteCreator(model: model, head: LiveRevisionHead(key: RevisionKey(slug: creator.slug, sha256: "preview"), verified: false, approvedAt: Date()))
        for image in revisionImages {
            let url = imageURL(image.name)
            site.pictures[image.name] = PublishedImage(variants: [.init(width: image.width, height: image.height, jpegPath: url, webpPath: url)])
        }
        let plan = SitePlan(ranked: [site], similar: [[]], catalog: catalog)
        let renderer = try PageRenderer(theme: theme, catalog: catalog, plan: plan, searchManifest: "",
                                        year: Calendar(identifier: .gregorian).component(.year, from: Date()))
        return try renderer.render(.creator(0))
    }
}
