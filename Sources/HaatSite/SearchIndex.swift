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
        var postings: [String: [Int]] = [:]
        var docs: [JSONValue] = []
        for (id, site) in creators.enumerated() {
            let creator = site.creator
            var text = [creator.name, creator.area ?? ""]
            text += creator.categories.compactMap { catalog.category($0)?.name }
            text.append(catalog.city(creator.city)?.name ?? "")
            text += creator.tags.map(\.label)
            text += creator.services.map(\.title)
            for term in Set(text.flatMap(Self.terms)) { postings[term, default: []].append(id) }
            docs.append(.array([
                .string(creator.slug.rawValue), .string(creator.name),
                .int(categoryIndex[creator.primaryCategory] ?? 0), .int(cityIndex[creator.city] ?? 0),
                .string(creator.area ?? ""), .int(creator.lowestPrice?.rupees ?? 0),
                .string(site.coverImage.map(ImagePath.path) ?? ""), .int(site.verified ? 1 : 0),
            ]))
        }

        var files: [File] = []
        func publish(_ stem: String, _ value: JSONValue) -> String {
            let data = Data(value.text.utf8)
            let path = "/search/\(stem).\(RevisionDigest.sha256(data).prefix(10)).json"
            files.append(File(path: path, data: data))
            return path
        }

        var shards: [String: [(String, JSONValue)]] = [:]
        for (term, ids) in postings.sorted(by: { $0.key < $1.key }) {
            var previous = 0
            let deltas = ids.map { id -> JSONValue in defer { previous = id }; return .int(id - previous) }
            shards[Self.shardKey(term), default: []].append((term, .array(deltas)))
        }
        var shardPaths: [(String, JSONValue)] = []
        for (key, terms) in shards.sorted(by: { $0.key < $1.key }) {
            shardPaths.append((key, .string(publish("terms-\(Self.fileSafe(key))", .object(terms)))))
        }
        let docPaths = stride(from: 0, to: docs.count, by: Self.chunkSize).map { start in
            JSONValue.string(publish("docs-\(start / Self.chunkSize)", .array(Array(docs[start..<min(docs.count, start + Self.chunkSize)]))))
        }
        manifestPath = publish("manifest", .object([
            ("v", .int(1)),
            ("count", .int(docs.count)),
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
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .split(whereSeparator: { !($0.isLetter || $0.isNumber) })
            .map(String.init)
            .filter { $0.count > 1 && !stopWords.contains($0) }
    }

    static func shardKey(_ term: String) -> String { String(term.prefix(2)) }

    static func fileSafe(_ key: String) -> String {
        if key.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) }) { return key }
        return "x" + key.utf8.map { String($0, radix: 16) }.joined()
    }
}
