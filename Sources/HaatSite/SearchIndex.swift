import Foundation
import HaatCore
import HaatStore

/// The prebuilt index behind `/search/`, sharded so one search downloads little:
///
/// - `manifest.<hash>.json`: where every shard is, plus category and city names;
/// - `terms-<prefix>.<hash>.json`: for the terms starting with a two-character prefix,
///   the ids of the creators they occur in (delta-encoded: ids ascend);
/// - `docs-<n>.<hash>.json`: what a result shows, for a chunk of creator ids.
///
/// Ids are listing rank (0 = best), so results sort by id and the first results come
/// from the first chunk. A query matches creators having every query word as a prefix of
/// some term of their name, categories, city, area, tags or services.
public struct SearchIndex: Sendable {
    public static let chunkSize = 250

    public struct File: Sendable {
        public let path: String
        public let data: Data
    }

    public let files: [File]
    public let manifestPath: String

    public init(ranked creators: [SiteCreator], catalog: Catalog) {
        let categoryIndex = Dictionary(uniqueKeysWithValues: catalog.categories.enumerated().map { ($1.slug, $0) })
        let cityIndex = Dictionary(uniqueKeysWithValues: catalog.cities.enumerated().map { ($1.slug, $0) })
        // Each creator's terms and result entry on every core; postings in rank order after.
        let perCreator = ConcurrentMap.map(creators) { site -> (terms: Set<String>, doc: String) in
            let creator = site.creator
            var text = [creator.name, creator.area ?? ""]
            text += creator.categories.compactMap { catalog.category($0)?.name }
            text.append(catalog.city(creator.city)?.name ?? "")
            text += creator.tags.map(\.slug.rawValue)
            text += creator.services.map(\.title)
            let doc = JSONValue.array([
                .string(creator.slug.rawValue), .string(creator.name),
                .int(categoryIndex[creator.primaryCategory] ?? 0), .int(cityIndex[creator.city] ?? 0),
                .string(creator.area ?? ""), .int(creator.lowestPrice?.rupees ?? 0),
                .string(site.cover?.small.jpegPath ?? ""), .int(site.verified ? 1 : 0),
            ]).text
            return (Set(text.flatMap(Self.terms)), doc)
        }
        var postings: [String: [Int]] = [:]
        for (id, entry) in perCreator.enumerated() {
            for term in entry.terms { postings[term, default: []].append(id) }
        }

        var files: [File] = []
        func publish(_ stem: String, _ value: JSONValue) -> String {
            let data = Data(value.text.utf8)
            let path = "/search/\(stem).\(RevisionDigest.sha256(data).prefix(10)).json"
            files.append(File(path: path, data: data))
            return path
        }

        // Shards are written straight to text: they hold most of the index's numbers.
        // Terms come sorted, so each shard's terms are contiguous.
        var shardPaths: [(String, JSONValue)] = []
        var shardKey = ""
        var text = ""
        func finishShard() {
            guard !text.isEmpty else { return }
            let data = Data((text + "}").utf8)
            let path = "/search/terms-\(Self.fileSafe(shardKey)).\(RevisionDigest.sha256(data).prefix(10)).json"
            files.append(File(path: path, data: data))
            shardPaths.append((shardKey, .string(path)))
        }
        for (term, ids) in postings.sorted(by: { $0.key < $1.key }) {
            let key = Self.shardKey(term)
            if key != shardKey {
                finishShard()
                shardKey = key
                text = "{"
            } else {
                text += ","
            }
            JSONValue.writeString(term, to: &text)
            text += ":["
            var previous = 0
            for (index, id) in ids.enumerated() {
                if index > 0 { text += "," }
                text += String(id - previous)
                previous = id
            }
            text += "]"
        }
        finishShard()
        let docPaths = stride(from: 0, to: perCreator.count, by: Self.chunkSize).map { start -> JSONValue in
            let chunk = perCreator[start..<min(perCreator.count, start + Self.chunkSize)].map(\.doc).joined(separator: ",")
            let data = Data("[\(chunk)]".utf8)
            let path = "/search/docs-\(start / Self.chunkSize).\(RevisionDigest.sha256(data).prefix(10)).json"
            files.append(File(path: path, data: data))
            return .string(path)
        }
        manifestPath = publish("manifest", .object([
            ("v", .int(1)),
            ("count", .int(perCreator.count)),
            ("chunk", .int(Self.chunkSize)),
            ("shards", .object(shardPaths)),
            ("docs", .array(docPaths)),
            ("categories", .array(catalog.categories.map { .array([.string($0.slug.rawValue), .string($0.name)]) })),
            ("cities", .array(catalog.cities.map { .array([.string($0.slug.rawValue), .string($0.name)]) })),
        ]))
        self.files = files
    }

    static let stopWords: Set<String> = ["and", "the", "of", "in", "for", "to", "with", "by", "at", "on", "an"]

    /// Lowercased, diacritics folded, split at anything not a letter or digit; words of
    /// one character and stop words dropped. The browser script does the same to queries.
    public static func terms(_ text: String) -> [String] {
        // Most text is ASCII: lowercase and split its bytes directly; fold the rest.
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else {
            return text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
                .split(whereSeparator: { !($0.isLetter || $0.isNumber) })
                .map(String.init)
                .filter { $0.count > 1 && !stopWords.contains($0) }
        }
        var terms: [String] = []
        var word: [UInt8] = []
        func finish() {
            if word.count > 1 {
                let term = String(decoding: word, as: UTF8.self)
                if !stopWords.contains(term) { terms.append(term) }
            }
            word.removeAll(keepingCapacity: true)
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): word.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): word.append(byte + 32)
            default: finish()
            }
        }
        finish()
        return terms
    }

    static func shardKey(_ term: String) -> String { String(term.prefix(2)) }

    static func fileSafe(_ key: String) -> String {
        if key.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) }) { return key }
        return "x" + key.utf8.map { String($0, radix: 16) }.joined()
    }
}
