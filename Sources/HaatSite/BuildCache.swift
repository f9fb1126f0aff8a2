import Foundation
#if canImport(Glibc)
import Glibc
#endif
import HaatCore
import HaatStore

/// What a build remembers for the next one, in a cache folder outside the site:
///
/// - `creators-v2.bin`: every live revision's parsed profile, by creator and content
///   hash, so an unchanged creator is never parsed again (valid for one catalog
///   fingerprint);
/// - `manifest-<output>.tsv`: every file the last build produced, with the fingerprint
///   of the inputs of each page, so an unchanged page is not even rendered.
///
/// Losing the folder only costs time: everything in it is rebuilt from the store.
struct BuildCache: Sendable {
    let folder: URL
    let output: URL

    // MARK: - Parsed creators

    struct Model: Sendable {
        let creator: Creator
        let images: [RevisionImage]
        let storyWords: Int
    }

    private var modelsFile: URL { folder.appendingPathComponent("creators-v2.bin") }

    /// The parsed-profile cache as read: models by revision (slug and hash: two creators'
    /// byte-identical bundles share a hash), and how many records the file holds
    /// (superseded ones included), to know when to compact it.
    struct LoadedModels: Sendable {
        var models: [RevisionKey: Model] = [:]
        var records = 0
    }

    /// Models parsed under `catalogFingerprint`, by revision; empty when the file is
    /// missing, unreadable or from another catalog. The file is append-only: later
    /// records win.
    func loadModels(catalogFingerprint: String) -> LoadedModels {
        guard let data = FileManager.default.contents(atPath: modelsFile.path) else { return LoadedModels() }
        var reader = BinaryReader([UInt8](data))
        var loaded = LoadedModels()
        do {
            guard try reader.string() == "haat-creators-v2", try reader.string() == catalogFingerprint else { return LoadedModels() }
            while !reader.isAtEnd {
                let sha = try reader.string()
                let model = try Self.readModel(&reader)
                loaded.models[RevisionKey(slug: model.creator.slug, sha256: sha)] = model
                loaded.records += 1
            }
            return loaded
        } catch {
            return LoadedModels()
        }
    }

    /// Appends `added` to the cache, or rewrites it with only `live` when it has grown
    /// to hold mostly superseded records (or belongs to another catalog).
    func saveModels(live: [RevisionKey: Model], added: [RevisionKey: Model], loaded: LoadedModels, catalogFingerprint: String) throws {
        var writer = BinaryWriter()
        let rewrite = loaded.records == 0 || loaded.records + added.count > 2 * live.count + 64
        if rewrite {
            writer.string("haat-creators-v2")
            writer.string(catalogFingerprint)
        }
        // Each record is the hash, then the model, which holds the slug.
        for (key, model) in (rewrite ? live : added).sorted(by: { ($0.key.slug, $0.key.sha256) < ($1.key.slug, $1.key.sha256) }) {
            writer.string(key.sha256)
            Self.write(model, to: &writer)
        }
        if rewrite {
            try writeAtomically(Data(writer.bytes), to: modelsFile)
        } else if !added.isEmpty {
            // Appending whole records: a torn write leaves a tail that fails to decode,
            // and an undecodable cache is simply rebuilt.
            let descriptor = open(modelsFile.path, O_WRONLY | O_APPEND | O_CLOEXEC)
            guard descriptor >= 0 else { throw AtomicSiteWriter.posixError(modelsFile.path) }
            defer { close(descriptor) }
            let written = writer.bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            guard written == writer.bytes.count else { throw AtomicSiteWriter.posixError(modelsFile.path) }
        }
    }

    private static func write(_ model: Model, to writer: inout BinaryWriter) {
        let creator = model.creator
        writer.string(creator.slug.rawValue)
        writer.string(creator.name)
        writer.strings(creator.categories.map(\.rawValue))
        writer.string(creator.city.rawValue)
        writer.optionalString(creator.area)
        writer.int(creator.since ?? -1)
        writer.strings(creator.languages)
        writer.string(creator.account.value)
        writer.string(creator.contact.phone.e164)
        writer.optionalString(creator.contact.whatsapp?.e164)
        writer.optionalString(creator.contact.email?.value)
        writer.int(creator.services.count)
        for service in creator.services {
            writer.string(service.title)
            writer.int(service.priceFrom.paise)
            writer.optionalString(service.description)
        }
        writer.int(creator.portfolio.count)
        for item in creator.portfolio {
            writer.string(item.image)
            writer.optionalString(item.caption)
        }
        writer.strings(creator.tags.map(\.slug.rawValue))
        writer.string(creator.story)
        writer.int(model.storyWords)
        writer.int(model.images.count)
        for image in model.images {
            writer.string(image.name)
            writer.string(image.sha256)
            writer.int(image.bytes)
            writer.int(image.width)
            writer.int(image.height)
            writer.string(image.format.rawValue)
        }
    }

    private static func readModel(_ reader: inout BinaryReader) throws -> Model {
        func slug(_ text: String) throws -> Slug {
            guard let slug = Slug(text) else { throw BinaryReader.Corrupt() }
            return slug
        }
        // Values were validated when the revision was parsed; the cache stores them normalised.
        func phone(_ text: String) -> Phone { Phone(e164: text) }
        func email(_ text: String) -> EmailAddress { EmailAddress(normalized: text) }
        let creatorSlug = try slug(reader.string())
        let name = try reader.string()
        let categories = try reader.strings().map(slug)
        let city = try slug(reader.string())
        let area = try reader.optionalString()
        let since = try reader.int()
        let languages = try reader.strings()
        let account = try email(reader.string())
        let contact = ContactDetails(phone: phone(try reader.string()), whatsapp: try reader.optionalString().map(phone),
                                     email: try reader.optionalString().map(email))
        let services = try (0..<reader.int()).map { _ in
            Service(title: try reader.string(), priceFrom: Money(paise: try reader.int()), description: try reader.optionalString())
        }
        let portfolio = try (0..<reader.int()).map { _ in PortfolioItem(image: try reader.string(), caption: try reader.optionalString()) }
        let tags = try reader.strings().map { Tag(slug: try slug($0)) }
        let story = try reader.string()
        let creator = Creator(slug: creatorSlug, name: name, categories: categories, city: city, area: area,
                              since: since < 0 ? nil : since, languages: languages, account: account, contact: contact,
                              services: services, portfolio: portfolio, tags: tags, story: story)
        let storyWords = try reader.int()
        let images = try (0..<reader.int()).map { _ in
            let name = try reader.string(), sha = try reader.string(), bytes = try reader.int()
            let width = try reader.int(), height = try reader.int()
            guard let format = ImageInfo.Format(rawValue: try reader.string()) else { throw BinaryReader.Corrupt() }
            return RevisionImage(name: name, sha256: sha, bytes: bytes, info: ImageInfo(format: format, width: width, height: height))
        }
        return Model(creator: creator, images: images, storyWords: storyWords)
    }

    // MARK: - Manifest of the last build

    struct ManifestEntry: Sendable, Equatable {
        /// The fingerprint of a page's inputs; empty for files named by their content.
        let fingerprint: String
        let size: Int
        let modified: Int
    }

    private var manifestFile: URL {
        folder.appendingPathComponent("manifest-\(RevisionDigest.sha256(Data(output.path.utf8)).prefix(12)).tsv")
    }

    /// The files of the last build, by path under the output folder; nil when unknown.
    func loadManifest() -> [String: ManifestEntry]? {
        guard let data = FileManager.default.contents(atPath: manifestFile.path) else { return nil }
        let bytes = [UInt8](data)
        var lines = bytes.split(separator: UInt8(ascii: "\n"))[...]
        guard let header = lines.popFirst(), String(decoding: header, as: UTF8.self) == "haat-manifest-v1" else { return nil }
        var entries: [String: ManifestEntry] = [:]
        entries.reserveCapacity(lines.count)
        for line in lines {
            let fields = line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false)
            guard fields.count == 4, let size = Int(String(decoding: fields[2], as: UTF8.self)),
                  let modified = Int(String(decoding: fields[3], as: UTF8.self)) else { return nil }
            entries[String(decoding: fields[0], as: UTF8.self)] = ManifestEntry(fingerprint: String(decoding: fields[1], as: UTF8.self), size: size, modified: modified)
        }
        return entries
    }

    func saveManifest(_ entries: [String: ManifestEntry]) throws {
        var text = "haat-manifest-v1\n"
        for (path, entry) in entries.sorted(by: { $0.key < $1.key }) {
            text += "\(path)\t\(entry.fingerprint)\t\(entry.size)\t\(entry.modified)\n"
        }
        try writeAtomically(Data(text.utf8), to: manifestFile)
    }

    func removeManifest() {
        try? FileManager.default.removeItem(at: manifestFile)
    }

    private func writeAtomically(_ data: Data, to url: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = url.appendingPathExtension("tmp-\(ProcessInfo.processInfo.processIdentifier)")
        try AtomicSiteWriter.writeFile(data, to: temporary.path)
        guard rename(temporary.path, url.path) == 0 else { throw AtomicSiteWriter.posixError(url.path) }
    }
}

/// `(size, mtime in ns)` of a file, or nil when it does not exist.
func fileStamp(_ path: String) -> (size: Int, modified: Int)? {
    var status = stat()
    guard stat(path, &status) == 0 else { return nil }
    return (Int(status.st_size), Int(status.st_mtim.tv_sec) * 1_000_000_000 + Int(status.st_mtim.tv_nsec))
}
