import Foundation
import HaatSite

/// The theme the preview renders with, read once (a theme changes with a deploy).
actor PreviewTheme {
    let folder: URL
    private var loaded: ProfilePreview?

    init(folder: URL) {
        self.folder = folder
    }

    func preview() async throws -> ProfilePreview {
        if let loaded { return loaded }
        let preview = ProfilePreview(theme: try await Theme(folder: folder))
        loaded = preview
        return preview
    }
}
