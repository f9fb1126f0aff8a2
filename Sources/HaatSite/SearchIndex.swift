import Foundation
import HaatCore
import HaatStore

/// The prebuilt index behind `/search/`, sharded so one search downloads little:
///
/// - `manifest.<hash>.json`: where every shard is; category and city names with each
///   city's localities (a query naming a place ranks creators there first); the words
///   people type for the site's own (`search-words.yml`);
/// - `terms-<prefix>.<hash>.json`: for the terms (`SearchTerms`) starting with a
///   two-character prefix, the creators they occur in, each as `id × 8 + weight`,
///   delta-encoded (ids ascend): the weight says where the term is (`Weight`);
/// - `vocabulary.<hash>.json`: every term, for a word misspelt in its first two letters;
///   fetched only when a word matches nothing in its own shard;
/// - `docs-<n>.<hash>.json`: what a result shows, for a chunk of creator ids.
///
/// Ids are listing rank (0 = best): among equally good matches the better ranked comes
/// first, and the first results come mostly from the first chunks. Chunks are small so
/// that results spread over the ranking still download little.
public struct SearchIndex: Sendable {
    public static let chunkSize = 64

    /// Where a term was found in a creator, as its postings record it (the better place
    /// when several): search.js weighs a match by it, and ranks a place's creators first
    /// by `place`. A `phrase` is two neighbouring words of a tag, a category's name or a
    /// locality written as one term ("rusticcake" for rustic-cakes), so that a query
    /// with both words side by side ranks the creator that has them together first; it
    /// lives in the first word's shard, which the query fetches anyway.
    enum Weight: Int {
        case service = 0, tag = 1, category = 2, place = 3, name = 4, phrase = 5
    }

    /// Bits of a posting below the id: `id << weightBits | weight`.
    static let weightBits = 3

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
        let perCreator = ConcurrentMap.map(creators) { site -> (terms: [String: Weight], doc: String) in
            let creator = site.creator
            var terms: [String: Weight] = [:]
            var phrases: [String] = []
            /// `text`'s terms at `weight` (each keeps its best place); with `phrases`, its
            /// neighbouring terms joined too.
            func add(_ text: String, _ weight: Weight, phrases withPhrases: Bool = false) {
                let words = SearchTerms.terms(text)
                for term in words where (terms[term]?.rawValue ?? -1) < weight.rawValue { terms[term] = weight }
                if withPhrases { phrases += zip(words, words.dropFirst()).map { $0 + $1 } }
            }
            add(creator.name, .name)
            add(creator.area ?? "", .place, phrases: true)
            add(catalog.city(creator.city)?.name ?? "", .place)
            creator.categories.compactMap { catalog.category($0)?.name }.forEach { add($0, .category, phrases: true) }
            creator.tags.forEach { add($0.slug.rawValue, .tag, phrases: true) }
            creator.services.forEach { add($0.title, .service) }
            // A phrase never hides a word that is a term in its own right ("cakebox" in a name).
            for phrase in phrases where terms[phrase] == nil { terms[phrase] = .phrase }
            let doc = JSONValue.array([
                .string(creator.slug.rawValue), .string(creator.name),
                .int(categoryIndex[creator.primaryCategory] ?? 0), .int(cityIndex[creator.city] ?? 0),
                .string(creator.area ?? ""), .int(creator.lowestPrice?.rupees ?? 0),
                .string(site.cover?.small.jpegPath ?? ""), .int(site.verified ? 1 : 0),
                .int(site.ratingTenths), .int(site.reviews.count),
            ]).text
            return (terms, doc)
        }
        var postings: [String: [Int]] = [:]
        for (id, entry) in perCreator.enumerated() {
            for (term, weight) in entry.terms { postings[term, default: []].append(id << Self.weightBits | weight.rawValue) }
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
        let vocabulary = postings.keys.sorted()
        for term in vocabulary {
            let entries = postings[term] ?? []
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
            for (index, entry) in entries.enumerated() {
                if index > 0 { text += "," }
                text += String(entry - previous)
                previous = entry
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
        let vocabularyPath = publish("vocabulary", .array(vocabulary.map { .string($0) }))
        manifestPath = publish("manifest", .object([
            ("v", .int(2)),
            ("count", .int(perCreator.count)),
            ("chunk", .int(Self.chunkSize)),
            ("shards", .object(shardPaths)),
            ("docs", .array(docPaths)),
            ("vocabulary", .string(vocabularyPath)),
            ("categories", .array(catalog.categories.map { .array([.string($0.slug.rawValue), .string($0.name)]) })),
            ("cities", .array(catalog.cities.map { .array([.string($0.slug.rawValue), .string($0.name), .array($0.localities.map { .string($0) })]) })),
            ("words", .object(catalog.searchWords.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
        ]))
        self.files = files
    }

    static func shardKey(_ term: String) -> String { String(term.prefix(2)) }

    static func fileSafe(_ key: String) -> String {
        if key.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) }) { return key }
        return "x" + key.utf8.map { String($0, radix: 16) }.joined()
    }
}
