import Foundation
import HaatDiscovery

/// What discovery computed last build, so the next one redoes only what changed: each
/// live revision's tags and content vector (by content hash), the content model's terms
/// and document frequencies, and every creator's similar creators with the engagement
/// they were computed from. A cache file that is missing, stale or unreadable is simply
/// ignored, and discovery runs in full.
struct DiscoveryCache {
    struct Entry {
        let contentSHA256: String
        let tags: [String]
        let vector: [ContentModel.TermWeight]
    }

    /// What every entry depends on: the vocabulary and the catalog.
    var fingerprint = ""
    /// The engagement the similar lists were computed from (day, contacts, leads, reviews).
    var engagementKey = ""
    var terms: [String] = []
    var documentFrequency: [Int] = []
    var documentCount = 0
    var entries: [String: Entry] = [:]
    var similar: [String: [String]] = [:]

    static let fileName = "discovery.bin"
    private static let magic = "haat-discovery-1"

    static func load(from folder: URL, fingerprint: String) -> DiscoveryCache? {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(fileName).path) else { return nil }
        var reader = BinaryReader([UInt8](data))
        do {
            guard try reader.string() == magic, try reader.string() == fingerprint else { return nil }
            var cache = DiscoveryCache(fingerprint: fingerprint)
            cache.engagementKey = try reader.string()
            cache.terms = try reader.strings()
            cache.documentFrequency = try (0..<reader.int()).map { _ in try reader.int() }
            cache.documentCount = try reader.int()
            for _ in 0..<(try reader.int()) {
                let slug = try reader.string(), sha = try reader.string(), tags = try reader.strings()
                let vector = try (0..<reader.int()).map { _ in ContentModel.TermWeight(term: Int32(try reader.int()), weight: try reader.double()) }
                cache.entries[slug] = Entry(contentSHA256: sha, tags: tags, vector: vector)
            }
            for _ in 0..<(try reader.int()) {
                let slug = try reader.string()
                cache.similar[slug] = try reader.strings()
            }
            return cache
        } catch {
            return nil
        }
    }

    func save(to folder: URL) throws {
        var writer = BinaryWriter()
        writer.string(Self.magic)
        writer.string(fingerprint)
        writer.string(engagementKey)
        writer.strings(terms)
        writer.int(documentFrequency.count)
        for frequency in documentFrequency { writer.int(frequency) }
        writer.int(documentCount)
        writer.int(entries.count)
        for (slug, entry) in entries.sorted(by: { $0.key < $1.key }) {
            writer.string(slug)
            writer.string(entry.contentSHA256)
            writer.strings(entry.tags)
            writer.int(entry.vector.count)
            for weight in entry.vector {
                writer.int(Int(weight.term))
                writer.double(weight.weight)
            }
        }
        writer.int(similar.count)
        for (slug, list) in similar.sorted(by: { $0.key < $1.key }) {
            writer.string(slug)
            writer.strings(list)
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(writer.bytes).write(to: folder.appendingPathComponent(Self.fileName), options: .atomic)
    }
}
