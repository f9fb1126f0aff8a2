import Foundation
import HaatCore
import HaatDiscovery
import HaatStore

/// Discovery in the build: tags extracted and merged into each live creator's own,
/// listings ranked by the engagement score, and similar creators from content and
/// co-contacts. HaatDiscovery works on plain values; this file translates.
struct SiteDiscovery: Sendable {
    let vocabulary: TagVocabulary
    /// How many similar creators each creator gets (its page shows four, its JSON all).
    static let similarCount = 8

    init() throws {
        vocabulary = try TagVocabulary.bundled()
    }

    /// The vocabulary's part in every page's fingerprint: new phrases may mean new tags.
    var fingerprint: String { RevisionDigest.sha256(Data(vocabulary.tags.joined(separator: ",").utf8) + Data("\(vocabulary.phrases.count)".utf8)) }

    /// Merges extracted tags into every creator's own; a tag named like a category is
    /// dropped. Returns each creator's words, for `similar` to reuse.
    func tag(_ creators: inout [SiteCreator], catalog: Catalog) -> [[String]] {
        let extractor = TagExtractor(vocabulary: vocabulary)
        let categories = Set(catalog.categories.map(\.slug.rawValue))
        let results = ConcurrentMap.map(creators) { site -> (tags: [String], words: [String]) in
            let creator = site.creator
            let source = TagSource(titles: creator.services.map(\.title), descriptions: creator.services.compactMap(\.description),
                                   story: creator.story, ownTags: creator.tags.map(\.slug.rawValue))
            // Similarity reads the services and the story's opening (about 130 words): what a
            // creator leads with says what they do; the rest mostly adds noise, and time.
            let words = Array((source.titleWords + source.descriptionWords).joined()) + source.storyWords.prefix(130)
            return (extractor.tags(for: source, excluding: categories), words)
        }
        for index in creators.indices { creators[index].creator.tags = results[index].tags.compactMap(Tag.init) }
        return results.map(\.words)
    }

    /// Scores every creator (0–100, two decimals so the order is stable) and returns them best first.
    func rank(_ creators: [SiteCreator], signals: DiscoverySignals, now: Date) -> [SiteCreator] {
        let index = Dictionary(uniqueKeysWithValues: creators.enumerated().map { ($0.element.slug.rawValue, Int32($0.offset)) })
        let log = contactLog(signals, index: index, creatorCount: creators.count)
        let inputs = creators.map { site -> CreatorSignals in
            let leads = signals.leads[site.slug.rawValue]
            return CreatorSignals(leads: leads?.total ?? 0, responded: leads?.answered ?? 0, ratings: site.reviews.map(\.rating),
                                  // Completeness without its verification points (out of 90): verified is a signal of its own.
                                  completeness: ListingScore.completeness(of: site.creator, storyWords: site.storyWords, verified: false) / 90,
                                  verified: site.verified)
        }
        // Decay counted from the start of today (UTC): rebuilds within a day rank alike, so
        // an unchanged site is not rewritten for a few minutes of decay.
        let scores = RankingModel().scores(signals: inputs, contacts: log, today: (now.timeIntervalSince1970 / 86_400).rounded(.down))
        var scored = creators
        for position in scored.indices { scored[position].score = (scores[position] * 10_000).rounded() / 100 }
        return ListingScore.ranked(scored)
    }

    /// Similar creators of each ranked creator, as indices into `ranked`.
    /// `words`: each creator's words from `tag`, by slug.
    func similar(_ ranked: [SiteCreator], words: [Slug: [String]], signals: DiscoverySignals, catalog: Catalog) -> [[Int]] {
        let index = Dictionary(uniqueKeysWithValues: ranked.enumerated().map { ($0.element.slug.rawValue, Int32($0.offset)) })
        let documents = ranked.map { site in
            RecommendationDocument(category: site.creator.primaryCategory.rawValue, city: site.creator.city.rawValue,
                                   tags: site.creator.tags.map(\.slug.rawValue), words: words[site.slug] ?? [])
        }
        return Recommender(stopWords: vocabulary.stopWords).similar(documents, contacts: contactLog(signals, index: index, creatorCount: ranked.count),
                                                                    quality: ranked.map { $0.score / 100 }, count: Self.similarCount)
    }

    /// The store's contacts of live creators, numbered as `index` says.
    private func contactLog(_ signals: DiscoverySignals, index: [String: Int32], creatorCount: Int) -> ContactLog {
        let numbers = signals.creatorSlugs.map { index[$0] ?? -1 }
        var log = ContactLog(creatorCount: creatorCount)
        log.events.reserveCapacity(signals.contacts.count)
        for contact in signals.contacts {
            let creator = numbers[Int(contact.creator)]
            if creator >= 0 { log.events.append(.init(creator: creator, customer: contact.customer, day: contact.day)) }
        }
        return log
    }
}
