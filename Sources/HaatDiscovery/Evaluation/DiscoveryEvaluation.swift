import Foundation

/// `haat discover eval`: each part of discovery against a simple baseline, on held-out
/// data. Deterministic: the same figures on every run.
public enum DiscoveryEvaluation {
    // MARK: Tags

    public struct LabelledProfile: Decodable, Sendable {
        public let id: String
        public let category: String
        public let titles: [String]
        public let descriptions: [String]
        public let story: String
        public let ownTags: [String]
        public let expected: [String]
        enum CodingKeys: String, CodingKey { case id, category, titles, descriptions, story, ownTags = "own_tags", expected }
    }

    public struct TagReport: Sendable {
        public let profiles: Int
        public let extractor: Metrics.PrecisionRecall
        public let baseline: Metrics.PrecisionRecall
    }

    /// Reads the hand-labelled profiles (one JSON object a line).
    public static func labelledProfiles(_ text: String) throws -> [LabelledProfile] {
        let decoder = JSONDecoder()
        return try text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map {
            try decoder.decode(LabelledProfile.self, from: Data($0.utf8))
        }
    }

    /// The extractor (text only, the creator's own tags aside) against the baseline: the
    /// three most frequent words that are not stop words, as tags.
    public static func tags(_ profiles: [LabelledProfile], vocabulary: TagVocabulary, categories: Set<String>) -> TagReport {
        let extractor = TagExtractor(vocabulary: vocabulary)
        var predicted: [[String]] = [], baseline: [[String]] = []
        for profile in profiles {
            let source = TagSource(titles: profile.titles, descriptions: profile.descriptions, story: profile.story, ownTags: [])
            predicted.append(extractor.extract(source, excluding: categories))
            var counts: [String: Int] = [:]
            for word in TextTokens.words((profile.titles + profile.descriptions + [profile.story]).joined(separator: " "))
            where word.count > 2 && !vocabulary.stopWords.contains(word) && !categories.contains(word) {
                counts[word, default: 0] += 1
            }
            baseline.append(counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(3).map(\.key))
        }
        let expected = profiles.map(\.expected)
        return TagReport(profiles: profiles.count, extractor: Metrics.precisionRecall(predicted: predicted, expected: expected),
                         baseline: Metrics.precisionRecall(predicted: baseline, expected: expected))
    }

    // MARK: Ranking

    public struct RankingReport: Sendable {
        public let listings: Int
        public let heldOutContacts: Int
        public let model: Double
        public let mostContacts: Double
        public let newestFirst: Double
    }

    /// NDCG@10 of each ordering of every listing, gains being held-out contacts, averaged
    /// over listings that had any.
    public static func ranking(_ market: SimulatedMarketplace, model: RankingModel = RankingModel()) -> RankingReport {
        let (signals, log) = market.trainingSignals()
        let scores = model.scores(signals: signals, contacts: log, today: market.trainingDays)
        var gains = [Double](repeating: 0, count: market.creators.count)
        for contact in market.heldOut { gains[contact.creator] += 1 }
        let contacts = signals.map { Double($0.leads) }
        let newness = market.creators.map(\.joinedDay)
        var totals = (model: 0.0, most: 0.0, newest: 0.0), counted = 0
        for members in market.listings where members.contains(where: { gains[$0] > 0 }) {
            func ndcg(by key: [Double]) -> Double {
                let ordered = members.sorted { key[$0] != key[$1] ? key[$0] > key[$1] : $0 < $1 }
                return Metrics.ndcg(rankedGains: ordered.map { gains[$0] }, k: 10)
            }
            totals.model += ndcg(by: scores)
            totals.most += ndcg(by: contacts)
            totals.newest += ndcg(by: newness)
            counted += 1
        }
        let n = Double(max(1, counted))
        return RankingReport(listings: counted, heldOutContacts: market.heldOut.count, model: totals.model / n, mostContacts: totals.most / n,
                             newestFirst: totals.newest / n)
    }

    // MARK: Recommendations

    public struct RecommendationReport: Sendable {
        public let pairs: Int
        public let recommender: Double
        public let popularBaseline: Double
    }

    /// Hit rate@5: for each customer's held-out contacts, from the first to each later one,
    /// whether the later creator is among the first's five recommendations (made from the
    /// training period only). Baseline: the five most contacted creators of the first's
    /// category and city.
    public static func recommendations(_ market: SimulatedMarketplace, recommender: Recommender) -> RecommendationReport {
        let (signals, log) = market.trainingSignals()
        let quality = RankingModel().scores(signals: signals, contacts: log, today: market.trainingDays)
        let similar = recommender.similar(market.creators.map(\.document), contacts: log, quality: quality, count: 5)
        var popular: [[Int]: [Int]] = [:]
        for members in market.listings {
            let creator = market.creators[members[0]]
            popular[[creator.category, creator.city]] = members.sorted { signals[$0].leads != signals[$1].leads ? signals[$0].leads > signals[$1].leads : $0 < $1 }
        }
        var byCustomer: [Int: [Int]] = [:]
        for contact in market.heldOut.sorted(by: { $0.day < $1.day }) where !(byCustomer[contact.customer]?.contains(contact.creator) ?? false) {
            byCustomer[contact.customer, default: []].append(contact.creator)
        }
        var pairs = 0, hits = 0, baselineHits = 0
        for (_, creators) in byCustomer where creators.count >= 2 {
            let first = creators[0], anchor = market.creators[first]
            let baseline = (popular[[anchor.category, anchor.city]] ?? []).filter { $0 != first }.prefix(5)
            for later in creators.dropFirst() {
                pairs += 1
                if similar[first].prefix(5).contains(later) { hits += 1 }
                if baseline.contains(later) { baselineHits += 1 }
            }
        }
        let n = Double(max(1, pairs))
        return RecommendationReport(pairs: pairs, recommender: Double(hits) / n, popularBaseline: Double(baselineHits) / n)
    }
}
