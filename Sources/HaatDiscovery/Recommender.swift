import Foundation
import HaatCore

/// What recommendation compares of a creator.
public struct RecommendationDocument: Sendable {
    public let category: String
    public let city: String
    public let tags: [String]
    /// The words of the service titles and descriptions and the story (`TextTokens`).
    public let words: [String]

    public init(category: String, city: String, tags: [String], words: [String]) {
        self.category = category
        self.city = city
        self.tags = tags
        self.words = words
    }

    public init(category: String, city: String, tags: [String], text: String) {
        self.init(category: category, city: city, tags: tags, words: TextTokens.words(text))
    }
}

/// "Similar creators": content similarity (TF-IDF cosine over tags, category and text)
/// plus a bonus for the same city and category, blended with co-contact behaviour
/// (customers who contacted A also contacted B) and, lightly, the candidate's own ranking
/// score (of two equally similar creators, the better one first). A co-contact pair
/// counts only when at least `minimumSupport` distinct customers made it, so no single
/// customer's history shows through. Candidates: creators sharing a term (through an
/// inverted index), co-contacted ones, and every creator of the same category and city.
public struct Recommender: Sendable {
    public struct Weights: Sendable {
        /// How much co-contact adds: `coContact · pairs / √(customers of A · customers of B)`.
        public var coContact = 1.0
        public var sameCity = 0.5
        public var sameCategory = 0.2
        /// How much content similarity (cosine, 0–1) counts.
        public var content = 0.5
        /// How much the candidate's ranking score (0–1) adds.
        public var quality = 1.0
        public var minimumSupport = 3
        /// Field weights in the TF-IDF vectors.
        public var tagWeight = 3.0
        public var categoryWeight = 2.0
        public var textWeight = 1.0
        /// Each term's posting list keeps only its heaviest entries, and each creator only
        /// its heaviest terms: together they bound the work for 10,000 long profiles.
        public var postingCap = 100
        public var termsPerCreator = 30
        /// The most recent distinct creators of a customer that make pairs.
        public var perCustomerCap = 30
    }

    public var weights = Weights()
    public let stopWords: Set<String>

    public init(stopWords: Set<String>) {
        self.stopWords = stopWords
    }

    /// Up to `count` similar creators per creator, best first (indices into `documents`).
    /// `quality`: each creator's ranking score, 0–1 (empty: not used).
    public func similar(_ documents: [RecommendationDocument], contacts: ContactLog, quality: [Double] = [], count: Int) -> [[Int]] {
        similar(documents, content: contentModel(documents), contacts: contacts, quality: quality, count: count)
    }

    /// `similar` with a content model made earlier (a build reuses the last build's), and
    /// optionally for some creators only (`only`; the others' lists come back empty).
    public func similar(_ documents: [RecommendationDocument], content: ContentModel, contacts: ContactLog, quality: [Double] = [],
                        count: Int, only: [Int]? = nil) -> [[Int]] {
        let vectors = content.vectors
        let postings = invertedIndex(vectors, termCount: content.terms.count)
        let targets = only ?? Array(documents.indices)
        let coContacts = coContactNeighbours(contacts, creatorCount: documents.count, involving: only.map(Set.init))
        let localGroups = Dictionary(grouping: documents.indices) { documents[$0].category + "\u{1}" + documents[$0].city }
        let quality = quality.count == documents.count ? quality : [Double](repeating: 0, count: documents.count)
        let w = weights
        // Scores of one creator's candidates: each worker's buffer, reused from creator to creator.
        let lists = ConcurrentMap.map(targets, scratch: { Candidates(count: documents.count) }) { candidates, a in
            func add(_ b: Int, _ value: Double) {
                if candidates.scores[b] == 0 { candidates.touched.append(b) }
                candidates.scores[b] += value
            }
            for entry in vectors[a] {
                for posting in postings[Int(entry.term)] where posting.document != a {
                    add(posting.document, w.content * entry.weight * posting.weight)
                }
            }
            for (b, value) in coContacts[a] { add(b, w.coContact * value) }
            for b in localGroups[documents[a].category + "\u{1}" + documents[a].city] ?? [] where b != a { add(b, 1e-9) }
            // The best `count` candidates, kept in order as they are found: a full sort
            // of thousands of candidates per creator was most of the time.
            var best: [(Int, Double)] = []
            best.reserveCapacity(count + 1)
            for b in candidates.touched {
                var score = candidates.scores[b] + w.quality * quality[b]
                if documents[b].city == documents[a].city { score += w.sameCity }
                if documents[b].category == documents[a].category { score += w.sameCategory }
                if best.count == count, let last = best.last, !(score > last.1 || (score == last.1 && b < last.0)) { continue }
                let slot = best.firstIndex { score > $0.1 || (score == $0.1 && b < $0.0) } ?? best.count
                best.insert((b, score), at: slot)
                if best.count > count { best.removeLast() }
            }
            for b in candidates.touched { candidates.scores[b] = 0 }
            candidates.touched.removeAll(keepingCapacity: true)
            return best.map(\.0)
        }
        var result = [[Int]](repeating: [], count: documents.count)
        for (a, list) in zip(targets, lists) { result[a] = list }
        return result
    }

    /// A worker's scores of candidates, and which it touched (to reset only those).
    private struct Candidates {
        var scores: [Double]
        var touched: [Int] = []

        init(count: Int) { scores = [Double](repeating: 0, count: count) }
    }

    /// Every document's L2-normalised TF-IDF vector (its heaviest terms only).
    public func contentModel(_ documents: [RecommendationDocument]) -> ContentModel {
        let terms = ConcurrentMap.map(documents) { termCounts($0) }
        var model = ContentModel()
        // Terms numbered in a fixed order (documents, then terms by name): ties between
        // equal weights break the same way on every build, so pages do not churn.
        let counted: [[(Int, Double)]] = terms.map { counts in counts.sorted { $0.key < $1.key }.map { (model.id(of: $0.key), $0.value) } }
        model.documentFrequency = [Int](repeating: 0, count: model.terms.count)
        for counts in counted { for (term, _) in counts { model.documentFrequency[term] += 1 } }
        model.documentCount = documents.count
        model.vectors = counted.map { weigh($0, in: model) }
        return model
    }

    /// The vector of a new or changed document, weighed with `model`'s document frequencies
    /// (its new terms counted once): how a build adds a few creators to the last one's model.
    public func vector(for document: RecommendationDocument, in model: inout ContentModel) -> [ContentModel.TermWeight] {
        let counts = termCounts(document).sorted { $0.key < $1.key }.map { (model.id(of: $0.key), $0.value) }
        if model.documentFrequency.count < model.terms.count {
            model.documentFrequency += [Int](repeating: 1, count: model.terms.count - model.documentFrequency.count)
        }
        return weigh(counts, in: model)
    }

    /// Weighted term counts: tags ×3, the category ×2, each other word ×1 (stop words and
    /// words of one or two letters left out).
    func termCounts(_ document: RecommendationDocument) -> [String: Double] {
        let w = weights
        var counts: [String: Double] = [:]
        for tag in document.tags { counts["#" + tag, default: 0] += w.tagWeight }
        counts["@" + document.category, default: 0] += w.categoryWeight
        for word in document.words where word.utf8.count > 2 && !stopWords.contains(word) { counts[word, default: 0] += w.textWeight }
        return counts
    }

    /// TF-IDF of counted terms, the heaviest `termsPerCreator` kept, L2-normalised.
    private func weigh(_ counts: [(Int, Double)], in model: ContentModel) -> [ContentModel.TermWeight] {
        let total = Double(max(1, model.documentCount))
        var vector = counts.map { term, weight in
            (term, (1 + log(weight)) * log(1 + total / Double(max(1, model.documentFrequency[term]))))
        }
        let keep = weights.termsPerCreator
        if vector.count > keep {
            vector.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            vector.removeLast(vector.count - keep)
        }
        let norm = sqrt(vector.reduce(0) { $0 + $1.1 * $1.1 })
        return vector.map { ContentModel.TermWeight(term: Int32($0.0), weight: norm > 0 ? $0.1 / norm : 0) }
    }

    /// Term → the creators that have it, heaviest first, at most `postingCap`.
    func invertedIndex(_ vectors: [[ContentModel.TermWeight]], termCount: Int) -> [[(document: Int, weight: Double)]] {
        var postings = [[(document: Int, weight: Double)]](repeating: [], count: termCount)
        for (document, vector) in vectors.enumerated() {
            for entry in vector where Int(entry.term) < termCount { postings[Int(entry.term)].append((document, entry.weight)) }
        }
        let cap = weights.postingCap
        for term in postings.indices where postings[term].count > cap {
            postings[term].sort { $0.weight != $1.weight ? $0.weight > $1.weight : $0.document < $1.document }
            postings[term].removeLast(postings[term].count - cap)
        }
        return postings
    }

    /// For each creator, the creators its customers also contacted, with the pair count
    /// normalised by both creators' customer counts; pairs below the minimum support are left out.
    func coContactNeighbours(_ log: ContactLog, creatorCount: Int, involving subset: Set<Int>? = nil) -> [[(Int, Double)]] {
        var neighbours = [[(Int, Double)]](repeating: [], count: creatorCount)
        guard !log.events.isEmpty else { return neighbours }
        // Events grouped by customer with a counting sort (customers are dense numbers): O(n).
        let customerCount = Int(log.events.reduce(0) { max($0, $1.customer) }) + 1
        var starts = [Int](repeating: 0, count: customerCount + 1)
        for event in log.events where event.customer >= 0 { starts[Int(event.customer) + 1] += 1 }
        for index in 0..<customerCount { starts[index + 1] += starts[index] }
        var next = starts
        var grouped = [ContactLog.Event](repeating: log.events[0], count: starts[customerCount])
        for event in log.events where event.customer >= 0 {
            grouped[next[Int(event.customer)]] = event
            next[Int(event.customer)] += 1
        }
        var customers = [Int](repeating: 0, count: creatorCount)
        // Each pair a customer made, once, as one number (smaller creator in the high half);
        // sorted, equal numbers are the same pair made by different customers.
        var pairs: [UInt64] = []
        pairs.reserveCapacity(log.events.count * 4)
        let cap = weights.perCustomerCap
        var distinct: [Int32] = []
        for customer in 0..<customerCount where starts[customer + 1] > starts[customer] {
            var events = grouped[starts[customer]..<starts[customer + 1]]
            if events.count > cap { events.sort { $0.day > $1.day } }  // the most recent count
            distinct.removeAll(keepingCapacity: true)
            for event in events where Int(event.creator) < creatorCount && event.creator >= 0 && distinct.count < cap && !distinct.contains(event.creator) {
                distinct.append(event.creator)
            }
            for creator in distinct { customers[Int(creator)] += 1 }
            for i in distinct.indices {
                for j in distinct.indices where j > i {
                    if let subset, !subset.contains(Int(distinct[i])) && !subset.contains(Int(distinct[j])) { continue }
                    let (a, b) = distinct[i] < distinct[j] ? (distinct[i], distinct[j]) : (distinct[j], distinct[i])
                    pairs.append(UInt64(UInt32(a)) << 32 | UInt64(UInt32(b)))
                }
            }
        }
        pairs.sort()
        var index = 0
        while index < pairs.count {
            var end = index + 1
            while end < pairs.count && pairs[end] == pairs[index] { end += 1 }
            if end - index >= weights.minimumSupport {
                let a = Int(pairs[index] >> 32), b = Int(pairs[index] & 0xFFFF_FFFF)
                let value = Double(end - index) / sqrt(Double(customers[a]) * Double(customers[b]))
                neighbours[a].append((b, value))
                neighbours[b].append((a, value))
            }
            index = end
        }
        return neighbours
    }

}

/// The content side of recommendation, kept between builds: each creator's normalised
/// TF-IDF vector and the document frequencies it was weighed with.
public struct ContentModel: Sendable {
    public struct TermWeight: Sendable, Equatable {
        public let term: Int32
        public let weight: Double

        public init(term: Int32, weight: Double) {
            self.term = term
            self.weight = weight
        }
    }

    /// Term id → term.
    public var terms: [String] = []
    public var documentFrequency: [Int] = []
    public var documentCount = 0
    /// One vector per document, in the documents' order.
    public var vectors: [[TermWeight]] = []
    private var ids: [String: Int] = [:]

    public init() {}

    public init(terms: [String], documentFrequency: [Int], documentCount: Int, vectors: [[TermWeight]]) {
        self.terms = terms
        self.documentFrequency = documentFrequency
        self.documentCount = documentCount
        self.vectors = vectors
        ids = Dictionary(terms.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
    }

    /// The id of `term`, numbering it when new.
    mutating func id(of term: String) -> Int {
        if let id = ids[term] { return id }
        ids[term] = terms.count
        terms.append(term)
        return terms.count - 1
    }
}
