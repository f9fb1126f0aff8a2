import Foundation
import HaatCore
import HaatStore

/// The content-addressed media folder: approved images stored as `<sha256>.<ext>`, so
/// an edited or replaced file in `content/` can never change what is live.
public struct MediaLibrary: Sendable {
    public let folder: URL

    public init(path: String) {
        folder = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    public func url(for image: RevisionImage) -> URL { folder.appendingPathComponent(image.mediaFileName) }

    public func contains(_ image: RevisionImage) -> Bool { FileManager.default.fileExists(atPath: url(for: image).path) }

    /// Stores `data` as `image`, after checking it really has the recorded hash.
    /// Written to a temporary name then renamed, so a crash never leaves half a file.
    public func store(_ data: Data, as image: RevisionImage) throws {
        guard RevisionDigest.sha256(data) == image.sha256 else {
            throw StoreError.conflict("image \(image.name) changed since it was imported; import the bundle again")
        }
        if contains(image) { return }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(image.sha256).\(ProcessInfo.processInfo.processIdentifier).tmp")
        try data.write(to: temporary)
        if rename(temporary.path, url(for: image).path) != 0 {
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url(for: image).path])
        }
    }
}

extension StoreLocation {
    public var media: MediaLibrary { MediaLibrary(path: mediaFolder) }
}
