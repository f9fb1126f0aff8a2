import Foundation
import Testing
@testable import HaatDiscovery

/// Discovery's parts on small known inputs, and each against its baseline on the
/// evaluation data (deterministic, so a regression fails here, not only in make bench).
struct DiscoveryTests {
    static let vocabulary = try! TagVocabulary.bundled()
    static var repositoryRoot: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }

    @Test func wordsAreLowercasedSplitAndSingular() {
        #expect(TextTokens.words("Pre-Wedding SHOOTS, cakes & Parties; Aaji's classes; Macramé") ==
                ["pre", "wedding", "shoot", "cake", "party", "aajis", "class", "macrame"])
        #expect(TextTokens.singular("glass") == "glass" && TextTokens.singular("boxes") == "box" && TextTokens.singular("bus") == "bus")
    }

    @Test func theLongestPhraseWinsAndOwnTagsMapToTheVocabulary() {
        #expect(Self.vocabulary.mentions(in: TextTokens.words("Bridal mehndi and Arabic henna designs")) == ["bridal-mehendi", "arabic-mehendi"])
        #expect(Self.vocabulary.mentions(in: TextTokens.words("prewedding and pre-wedding and pre wedding shoots")) == ["pre-wedding", "pre-wedding", "pre-wedding"])
        #expect(Self.vocabulary.tag(meaning: "bday-cakes") == "birthday-cake")
        #expect(Self.vocabulary.tag(meaning: "my-own-thing") == nil)
        #expect(throws: VocabularyError.self) { try TagVocabulary(text: "no separator here") }
    }

    @Test func extractionWeighsWhereAPhraseAppearsAndMergesOwnTags() {
        let extractor = TagExtractor(vocabulary: Self.vocabulary)
        let source = TagSource(titles: ["Eggless birthday cakes"], descriptions: ["Cupcakes for kids parties, made eggless."],
                               story: "We once made a wedding cake for a friend.", ownTags: ["bday-cakes", "homely"])
        let extracted = extractor.extract(source, excluding: ["cakes"])
        // A title mention (3) or a description mention (2) makes a tag; one story mention (1) does not.
        #expect(extracted.first == "eggless" && extracted.contains("birthday-cake") && extracted.contains("cupcakes"))
        #expect(!extracted.contains("wedding-cake"))
        #expect(extractor.tags(for: source, excluding: ["cakes"]).prefix(2) == ["birthday-cake", "homely"])
        #expect(!extractor.tags(for: TagSource(titles: [], descriptions: [], story: "", ownTags: ["cakes"]), excluding: ["cakes"]).contains("cakes"))
    }

    @Test func rankingDecaysContactsAndSmoothsRatingsAndResponses() {
        let model = RankingModel()
        var log = ContactLog(creatorCount: 4)
        for customer in 0..<5 { log.events.append(.init(creator: 0, customer: Int32(customer), day: 99)) }  // recent
        for customer in 0..<5 { log.events.append(.init(creator: 1, customer: Int32(customer), day: 0)) }   // 100 days ago
        let plain = CreatorSignals(leads: 5, responded: 3, completeness: 0.5)
        let scores = model.scores(signals: [plain, plain, plain, plain], contacts: log, today: 100)
        #expect(scores[0] > scores[1] && scores[1] > scores[2])
        // One perfect review counts less than ten; one answered lead less than ten of ten.
        let one = model.scores(signals: [CreatorSignals(ratings: [5]), CreatorSignals(ratings: Array(repeating: 5, count: 10)),
                                         CreatorSignals(ratings: [3, 3])], contacts: ContactLog(creatorCount: 3), today: 0)
        #expect(one[1] > one[0])
        let answered = model.scores(signals: [CreatorSignals(leads: 1, responded: 1), CreatorSignals(leads: 10, responded: 10),
                                              CreatorSignals(leads: 10, responded: 0)], contacts: ContactLog(creatorCount: 3), today: 0)
        #expect(answered[1] > answered[0] && answered[0] > answered[2])
    }

    @Test func coContactsNeedTheMinimumSupportAndTheSameCityIsPreferred() {
        let documents = [RecommendationDocument(category: "cakes", city: "pune", tags: ["eggless"], text: "eggless cakes"),
                         RecommendationDocument(category: "mehendi", city: "pune", tags: ["bridal-mehendi"], text: "bridal henna"),
                         RecommendationDocument(category: "cakes", city: "pune", tags: ["eggless"], text: "eggless cakes"),
                         RecommendationDocument(category: "cakes", city: "nashik", tags: ["eggless"], text: "eggless cakes"),
                         RecommendationDocument(category: "decor", city: "pune", tags: ["marigold"], text: "marigold decoration")]
        let recommender = Recommender(stopWords: Self.vocabulary.stopWords)
        func log(pairsOf0And4 customers: Int) -> ContactLog {
            var log = ContactLog(creatorCount: documents.count)
            for customer in 0..<customers {
                log.events.append(.init(creator: 0, customer: Int32(customer), day: 1))
                log.events.append(.init(creator: 4, customer: Int32(customer), day: 2))
            }
            return log
        }
        let twoCustomers = recommender.similar(documents, contacts: log(pairsOf0And4: 2), count: 3)
        #expect(twoCustomers[0].first == 2, "same text, same city first: \(twoCustomers[0])")
        #expect(twoCustomers[0].firstIndex(of: 2)! < twoCustomers[0].firstIndex(of: 3)!)
        #expect(!twoCustomers[0].contains(4), "a pair of two customers stays private")
        let threeCustomers = recommender.similar(documents, contacts: log(pairsOf0And4: 3), count: 3)
        #expect(threeCustomers[0].contains(4) && threeCustomers[4].contains(0))
    }

    @Test func eachPartBeatsItsBaseline() throws {
        let text = try String(contentsOf: Self.repositoryRoot.appendingPathComponent("discovery/tags-labelled.jsonl"), encoding: .utf8)
        let profiles = try DiscoveryEvaluation.labelledProfiles(text)
        #expect(profiles.count >= 60)
        let tags = DiscoveryEvaluation.tags(profiles, vocabulary: Self.vocabulary, categories: Set(profiles.map(\.category)))
        #expect(tags.extractor.f1 > tags.baseline.f1 + 0.2, "\(tags.extractor) vs \(tags.baseline)")
        let market = SimulatedMarketplace.generate()
        let ranking = DiscoveryEvaluation.ranking(market)
        #expect(ranking.model > ranking.mostContacts && ranking.model > ranking.newestFirst, "\(ranking)")
        let recommendations = DiscoveryEvaluation.recommendations(market, recommender: Recommender(stopWords: Self.vocabulary.stopWords))
        #expect(recommendations.recommender > recommendations.popularBaseline, "\(recommendations)")
        #expect(recommendations.pairs > 100)
    }
}
