import Foundation
import HaatCore
import HaatDiscovery
import HaatStore

/// Discovery in the build: tags extracted and merged into each live creator's own,
/// listings ranked by the engagement score, and similar creators from content and
/// co-contacts. HaatDiscovery works on plain values; this file translates, and reuses
/// what the last build computed (`DiscoveryCache`) for what did not change.
struct SiteDiscovery: Sendable {
    let vocabulary: TagVocabulary
    /// How many similar creators each creator gets (its page shows four, its JSON all).
    static let similarCount = 8
    /// Above this share of changed creators (and more than 5), the content model is made
    /// afresh: its document frequencies drift as profiles change.
    static let incrementalLimit = 0.1

    struct Result {
        let ranked: [SiteCreator]
        let similar: [[Int]]
        /// What was redone, for the progress line.
        let summary: String
    }

    init() throws {
        vocabulary = try TagVocabulary.bundled()
    }

    /// The vocabulary's part in every page's fingerprint: new phrases may mean new tags.
    var fingerprint: String { RevisionDigest.sha256(Data(vocabulary.tags.joined(separator: ",").utf8) + Data("\(vocabulary.phrases.count)".utf8)) }

    func run(_ creators: [SiteCreator], signals: DiscoverySignals, catalog: Catalog, catalogFingerprint: String, cacheFolder: URL?,
             now: Date) -> Result {
        let cacheKey = fingerprint + "|" + catalogFingerprint
        let cache = cacheFolder.flatMap { DiscoveryCache.load(from: $0, fingerprint: cacheKey) }
        var creators = creators
        let cached: [Int: DiscoveryCache.Entry] = Dictionary(uniqueKeysWithValues: creators.indices.compactMap { index in
            cache?.entries[creators[index].slug.rawValue].flatMap { $0.contentSHA256 == creators[index].contentSHA256 ? (index, $0) : nil }
        })
        let incremental = cache != nil && Double(creators.count - cached.count) <= max(5, Self.incrementalLimit * Double(creators.count))

        // Tags: from the cache, or extracted (with the words similarity needs).
        let needWords = incremental ? creators.indices.filter { cached[$0] == nil } : Array(creators.indices)
        let extracted = extract(needWords.map { creators[$0] }, catalog: catalog)
        var words: [Int: [String]] = [:]
        for (position, index) in needWords.enumerated() {
            words[index] = extracted[position].words
            creators[index].creator.tags = extracted[position].tags.compactMap(Tag.init)
        }
        for (index, entry) in cached where words[index] == nil { creators[index].creator.tags = entry.tags.compactMap(Tag.init) }

        let ranked = rank(creators, signals: signals, now: now)
        let index = Dictionary(uniqueKeysWithValues: ranked.enumerated().map { ($0.element.slug.rawValue, Int32($0.offset)) })
        let position = Dictionary(uniqueKeysWithValues: creators.indices.map { (creators[$0].slug, $0) })
        let documents = ranked.map { site in
            RecommendationDocument(category: site.creator.primaryCategory.rawValue, city: site.creator.city.rawValue,
                                   tags: site.creator.tags.map(\.slug.rawValue), words: words[position[site.slug]!] ?? [])
        }
        let recommender = Recommender(stopWords: vocabulary.stopWords)
        var model: ContentModel
        var changed: Set<Int> = []  // ranked indices with new content vectors
        if incremental, let cache {
            model = ContentModel(terms: cache.terms, documentFrequency: cache.documentFrequency, documentCount: cache.documentCount, vectors: [])
            model.vectors = documents.indices.map { index in
                if let entry = cached[position[ranked[index].slug]!] { return entry.vector }
                changed.insert(index)
                return recommender.vector(for: documents[index], in: &model)
            }
        } else {
            model = recommender.contentModel(documents)
            changed = Set(documents.indices)
        }

        // Similar creators: the last build's lists stand for creators whose content and
        // engagement did not change and whose list names no changed or departed creator.
        let engagement = engagementKey(signals, ranked: ranked, now: now)
        var similar = [[Int]](repeating: [], count: ranked.count)
        var redo = changed
        if incremental, let cache, cache.engagementKey == engagement {
            let changedSlugs = Set(changed.map { ranked[$0].slug.rawValue })
            for (rankedIndex, site) in ranked.enumerated() where !changed.contains(rankedIndex) {
                guard let list = cache.similar[site.slug.rawValue],
                      list.allSatisfy({ index[$0] != nil && !changedSlugs.contains($0) }) else {
                    redo.insert(rankedIndex)
                    continue
                }
                similar[rankedIndex] = list.map { Int(index[$0]!) }
            }
        } else {
            redo = Set(ranked.indices)
        }
        if !redo.isEmpty {
            // Numbered in ranked order (ranking's own log is in the creators' first order).
            let fresh = recommender.similar(documents, content: model, contacts: contactLog(signals, index: index, creatorCount: ranked.count),
                                            quality: ranked.map { $0.score / 100 }, count: Self.similarCount,
                                            only: redo.count == ranked.count ? nil : redo.sorted())
            for rankedIndex in redo { similar[rankedIndex] = fresh[rankedIndex] }
        }

        // Saved when something was computed (or there was nothing to reuse).
        if let cacheFolder, !needWords.isEmpty || !redo.isEmpty || cache == nil || cache?.engagementKey != engagement {
            var next = DiscoveryCache(fingerprint: cacheKey, engagementKey: engagement, terms: model.terms,
                                      documentFrequency: model.documentFrequency, documentCount: model.documentCount)
            for (rankedIndex, site) in ranked.enumerated() {
                next.entries[site.slug.rawValue] = .init(contentSHA256: site.contentSHA256, tags: site.creator.tags.map(\.slug.rawValue),
                                                         vector: model.vectors[rankedIndex])
                next.similar[site.slug.rawValue] = similar[rankedIndex].map { ranked[$0].slug.rawValue }
            }
            try? next.save(to: cacheFolder)
        }
        return Result(ranked: ranked, similar: similar,
                      summary: "\(needWords.count) profiles tagged, \(redo.count) similar lists computed, \(ranked.count - redo.count) reused")
    }

    /// Tags (own and extracted; a tag named like a category dropped) and the words
    /// similarity reads: the services and the story's opening (about 130 words), since what
    /// a creator leads with says what they do and the rest mostly adds noise, and time.
    private func extract(_ creators: [SiteCreator], catalog: Catalog) -> [(tags: [String], words: [String])] {
        let extractor = TagExtractor(vocabulary: vocabulary)
        let categories = Set(catalog.categories.map(\.slug.rawValue))
        return ConcurrentMap.map(creators) { site -> (tags: [String], words: [String]) in
            let creator = site.creator
            let source = TagSource(titles: creator.services.map(\.title), descriptions: creator.services.compactMap(\.description),
                                   story: creator.story, ownTags: creator.tags.map(\.slug.rawValue))
            let words = Array((source.titleWords + source.descriptionWords).joined()) + source.storyWords.prefix(130)
            return (extractor.tags(for: source, excluding: categories), words)
        }
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
        let scores = RankingModel().scores(signals: inputs, contacts: log, today: Self.today(now))
        var scored = creators
        for position in scored.indices { scored[position].score = (scores[position] * 10_000).rounded() / 100 }
        return ListingScore.ranked(scored)
    }

    static func today(_ now: Date) -> Double { (now.timeIntervalSince1970 / 86_400).rounded(.down) }

    /// What the similar lists depend on besides content: the day (decay), the contacts, the
    /// leads answered, the reviews, the verified badges.
    private func engagementKey(_ signals: DiscoverySignals, ranked: [SiteCreator], now: Date) -> String {
        let days = signals.contacts.reduce(0.0) { $0 + $1.day }
        let leads = signals.leads.values.reduce((0, 0)) { ($0.0 + $1.total, $0.1 + $1.answered) }
        let reviews = ranked.reduce((0, 0)) { ($0.0 + $1.reviews.count, $0.1 + $1.reviews.reduce(0) { $0 + $1.rating }) }
        return "\(Self.today(now))|\(signals.contacts.count)|\(days)|\(leads.0)|\(leads.1)|\(reviews.0)|\(reviews.1)|\(ranked.filter(\.verified).count)"
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
