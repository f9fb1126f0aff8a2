import Foundation
import HaatContent
import HaatCore

/// What `POST /admin/creators/{slug}/approve` and `POST /admin/rebuild` work on: the same
/// folders as `haat approve` and `haat build` (`--content`, the theme, the store's media
/// and cache folders); the output is `siteFolder`.
public struct Publishing: Sendable {
    public var content: ContentFolder
    public var themeFolder: URL
    public var media: MediaLibrary
    public var cacheFolder: URL?

    public init(content: ContentFolder, themeFolder: URL, media: MediaLibrary, cacheFolder: URL?) {
        self.content = content
        self.themeFolder = themeFolder
        self.media = media
        self.cacheFolder = cacheFolder
    }
}
