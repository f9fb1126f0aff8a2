import Foundation
import HaatCore
import HaatImages
import HaatStore
import HaatContent

/// The responsive variants of approved images, made with libvips once per source image
/// and kept between builds: `<cache>/images-<recipe>/<sha256>-<width>.{jpg,webp}`, with
/// `index.txt` recording each source's variant sizes. An image already in the index is
/// never decoded again; a new recipe starts a new folder (and removes the old one).
final class ResponsiveImageCache: @unchecked Sendable {
    /// One source image a build needs, and whose it is (for error messages).
    struct Source: Sendable {
        let image: RevisionImage
        let owner: Slug
    }

    let folder: URL
    private let isTemporary: Bool
    private var sizes: [String: [(width: Int, height: Int)]] = [:]
    private var indexChanged = false

    /// Without a cache folder the variants live in a temporary folder for one build.
    init(cacheFolder: URL?) throws {
        let recipe = String(RevisionDigest.sha256(Data(ResponsiveImages.recipe.utf8)).prefix(8))
        if let cacheFolder {
            folder = cacheFolder.appendingPathComponent("images-\(recipe)", isDirectory: true)
            isTemporary = false
            for old in (try? FileManager.default.contentsOfDirectory(atPath: cacheFolder.path)) ?? []
            where old.hasPrefix("images-") && old != folder.lastPathComponent {
                try? FileManager.default.removeItem(at: cacheFolder.appendingPathComponent(old))
            }
        } else {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("haat-images-\(UUID().uuidString)", isDirectory: true)
            isTemporary = true
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        loadIndex()
    }

    /// Removes a temporary folder (a cache folder is kept for the next build).
    func finish() {
        if isTemporary { try? FileManager.default.removeItem(at: folder) }
    }

    /// The published form of every source, making the variants that are missing (in
    /// parallel, one image per core); `processed` counts the images decoded.
    func prepare(_ sources: [Source], media: MediaLibrary) throws -> (published: [String: PublishedImage], processed: Int) {
        var unique: [String: Source] = [:]
        for source in sources where unique[source.image.sha256] == nil { unique[source.image.sha256] = source }
        let missing = unique.values.filter { source in
            guard let known = sizes[source.image.sha256], let narrowest = known.first else { return true }
            return !FileManager.default.fileExists(atPath: file(source.image.sha256, width: narrowest.width, fileExtension: "jpg").path)
        }.sorted { $0.image.sha256 < $1.image.sha256 }
        if !missing.isEmpty { try ResponsiveImages.start() }
        let made = ConcurrentMap.map(missing) { source in Result { try self.make(source, media: media) } }
        for (source, result) in zip(missing, made) {
            sizes[source.image.sha256] = try result.get()
            indexChanged = true
        }
        if indexChanged { saveIndex() }
        let published = unique.keys.reduce(into: [String: PublishedImage]()) { published, sha in
            published[sha] = PublishedImage(sourceSHA256: sha, sizes: sizes[sha] ?? [])
        }
        return (published, missing.count)
    }

    /// Where a variant is kept in the cache.
    func file(_ sourceSHA256: String, width: Int, fileExtension: String) -> URL {
        folder.appendingPathComponent("\(sourceSHA256)-\(width).\(fileExtension)")
    }

    private func make(_ source: Source, media: MediaLibrary) throws -> [(width: Int, height: Int)] {
        let image = source.image
        guard let data = FileManager.default.contents(atPath: media.url(for: image).path) else {
            throw BuildError.missingMedia(slug: source.owner, image: image.name, path: media.url(for: image).path)
        }
        do {
            let variants = try ResponsiveImages.variants(of: data)
            for variant in variants {
                try variant.webp.write(to: file(image.sha256, width: variant.width, fileExtension: "webp"), options: .atomic)
                try variant.jpeg.write(to: file(image.sha256, width: variant.width, fileExtension: "jpg"), options: .atomic)
            }
            return variants.map { ($0.width, $0.height) }
        } catch let error as ImageError {
            throw BuildError.unreadableImage(slug: source.owner, image: image.name, reason: error.message)
        }
    }

    // MARK: The index: "<sha256> <width>x<height> …" per line.

    private var indexFile: URL { folder.appendingPathComponent("index.txt") }

    private func loadIndex() {
        guard let text = try? String(contentsOf: indexFile, encoding: .utf8) else { return }
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 2 else { continue }
            let parsed = fields.dropFirst().compactMap { field -> (width: Int, height: Int)? in
                let parts = field.split(separator: "x")
                guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]) else { return nil }
                return (width, height)
            }
            if parsed.count == fields.count - 1 { sizes[String(fields[0])] = parsed }
        }
    }

    private func saveIndex() {
        let text = sizes.keys.sorted().map { sha in
            ([sha] + (sizes[sha] ?? []).map { "\($0.width)x\($0.height)" }).joined(separator: " ")
        }.joined(separator: "\n") + "\n"
        // Losing the index costs only time (the images are made again), never correctness.
        try? Data(text.utf8).write(to: indexFile, options: .atomic)
    }
}
