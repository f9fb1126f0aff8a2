import HaatCore

/// A profile's completeness, from 0 to 100: the "profile" part of the listing score
/// (`RankingModel`, docs/discovery.md).
///
/// | signal | points |
/// | --- | --- |
/// | story length, up to 150 words | 25 |
/// | portfolio pictures, up to 6 | 25 |
/// | services, up to 5 | 20 |
/// | verified by an admin | 10 |
/// | tags, up to 3 | 5 |
/// | `since`, `area`, `languages` given | 5 each |
///
/// Ties are broken by name, then slug, so the order is stable between builds.
public enum ListingScore {
    public static func completeness(of creator: Creator, storyWords: Int, verified: Bool) -> Double {
        func fraction(_ count: Int, of full: Int) -> Double { Double(min(count, full)) / Double(full) }
        var score = 25 * fraction(storyWords, of: 150)
        score += 25 * fraction(creator.portfolio.count, of: 6)
        score += 20 * fraction(creator.services.count, of: 5)
        score += verified ? 10 : 0
        score += 5 * fraction(creator.tags.count, of: 3)
        score += creator.since != nil ? 5 : 0
        score += creator.area != nil ? 5 : 0
        score += creator.languages.isEmpty ? 0 : 5
        return (score * 100).rounded() / 100
    }

    /// Best first; ties by name (case-insensitive), then slug, so the order is stable.
    static func ranked(_ creators: [SiteCreator]) -> [SiteCreator] {
        // Sort small keys, not the profiles themselves: moving big values is the cost.
        let keys = creators.map { (score: $0.score, name: $0.creator.name.lowercased(), slug: $0.slug.rawValue) }
        let order = keys.indices.sorted { a, b in
            if keys[a].score != keys[b].score { return keys[a].score > keys[b].score }
            if keys[a].name != keys[b].name { return keys[a].name < keys[b].name }
            return keys[a].slug < keys[b].slug
        }
        return order.map { creators[$0] }
    }
}
