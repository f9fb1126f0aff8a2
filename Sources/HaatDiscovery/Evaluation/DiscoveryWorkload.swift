import Foundation

/// A deterministic workload the size of a big town's marketplace, for `haat discover
/// bench`: creators with profile text, and contact events from customers who favour
/// popular creators (a power law) in their own city, several contacts each.
public struct DiscoveryWorkload: Sendable {
    public let tagSources: [TagSource]
    public let documents: [RecommendationDocument]
    public let signals: [CreatorSignals]
    public let contacts: ContactLog

    public static func generate(creators count: Int, contacts eventCount: Int, seed: UInt64 = 99) -> DiscoveryWorkload {
        var random = SeededRandom(seed: seed)
        let market = SimulatedMarketplace.generate(seed: seed, creatorCount: count, customerCount: 1, weeks: 0, trainingWeeks: 0, occasionsPerWeek: 0)
        let phrases = ["eggless birthday cake", "bridal mehndi", "pre-wedding shoot", "return gifts", "balloon decoration", "custom frames",
                       "pottery workshop", "haldi ceremony", "candid wedding photography", "gift hampers", "marigold mandap", "theme cakes"]
        var tagSources: [TagSource] = [], signals: [CreatorSignals] = []
        for creator in market.creators {
            let picks = (0..<3).map { _ in phrases[Int(random.unit() * Double(phrases.count))] }
            tagSources.append(TagSource(titles: picks, descriptions: picks.map { "Made to order: \($0), delivered across the city." },
                                        story: creator.document.words.joined(separator: " ") + " " + picks.joined(separator: ", "),
                                        ownTags: [creator.document.tags[0]]))
            signals.append(CreatorSignals(leads: 0, responded: 0, ratings: [], completeness: creator.completeness, verified: creator.verified))
        }
        var byCity: [Int: [Int]] = [:]
        for (index, creator) in market.creators.enumerated() { byCity[creator.city, default: []].append(index) }
        let customers = max(1, eventCount / 6)
        var log = ContactLog(creatorCount: count)
        log.events.reserveCapacity(eventCount)
        for event in 0..<eventCount {
            let customer = Int32((event / 6 + Int(random.unit() * 3)) % customers)
            let city = byCity[Int(customer) % SimulatedMarketplace.cities.count] ?? byCity.values.first!
            // A power law over the city's creators: a few are asked for far more often.
            let creator = city[min(city.count - 1, Int(pow(random.unit(), 2.5) * Double(city.count)))]
            let day = random.unit() * 365
            log.events.append(.init(creator: Int32(creator), customer: customer, day: day))
            signals[creator].leads += 1
            if random.unit() < 0.7 { signals[creator].responded += 1 }
            if random.unit() < 0.05 { signals[creator].ratings.append(1 + Int(random.unit() * 5)) }
        }
        return DiscoveryWorkload(tagSources: tagSources, documents: market.creators.map(\.document), signals: signals, contacts: log)
    }
}
