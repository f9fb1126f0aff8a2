import Foundation

/// A deterministic simulated marketplace, to judge ranking and recommendations on data
/// where the truth is known. Creators have a hidden quality and a style; customers have a
/// city and a style they like, and come for occasions that need several kinds of creator
/// (a wedding: photography, mehendi, decor…). In a listing they look down the page with a
/// position bias and contact a creator with a probability that grows with its quality and
/// with how well its style suits them. A contacted creator answers the lead more often
/// when better, and some customers leave a rating that follows quality.
///
/// For the first `trainingWeeks` listings are shown in the order the site used before
/// discovery (profile completeness), so contacts there carry position bias; afterwards
/// they are shuffled for every visit, so held-out contacts measure preference, not position.
public struct SimulatedMarketplace: Sendable {
    public struct Creator: Sendable {
        public let category: Int
        public let city: Int
        /// Day the creator joined (negative: before the simulation).
        public let joinedDay: Double
        public let quality: Double
        public let style: Int
        public let completeness: Double
        public let verified: Bool
        public let document: RecommendationDocument
    }

    public struct Contact: Sendable {
        public let creator: Int
        public let customer: Int
        public let day: Double
        public let responded: Bool
        public let rating: Int?
    }

    public let creators: [Creator]
    public let contacts: [Contact]
    public let trainingDays: Double

    static let categories = ["photography", "mehendi", "decor", "cakes", "event-management", "gift-making", "photo-framing", "handcrafts"]
    static let cities = ["pune", "nashik", "indore", "mysuru", "kolhapur", "surat"]
    /// What each category's profiles talk about.
    static let categoryWords = [
        ["wedding", "photography", "candid", "portrait", "album", "shoot", "drone", "baby"],
        ["mehendi", "bridal", "henna", "arabic", "rajasthani", "cone", "festive", "design"],
        ["decoration", "flower", "balloon", "mandap", "marigold", "stage", "lighting", "backdrop"],
        ["cake", "eggless", "birthday", "cupcake", "fondant", "cookie", "brownie", "bake"],
        ["planning", "sangeet", "venue", "catering", "anchor", "coordination", "guest", "haldi"],
        ["hamper", "gift", "return", "personalised", "box", "chocolate", "corporate", "wrap"],
        ["frame", "mount", "certificate", "collage", "canvas", "glass", "moulding", "wall"],
        ["pottery", "weaving", "macrame", "quilling", "clay", "handmade", "workshop", "paint"],
    ]
    /// Styles: traditional or modern, budget or premium.
    static let styleWords = [["traditional", "classic", "heritage", "affordable", "budget", "value"],
                             ["traditional", "classic", "heritage", "luxury", "premium", "bespoke"],
                             ["modern", "contemporary", "minimal", "affordable", "budget", "value"],
                             ["modern", "contemporary", "minimal", "luxury", "premium", "bespoke"]]
    /// Occasions and the categories they need.
    static let occasions = [[0, 1, 2, 4], [3, 2, 5, 0], [2, 5, 6], [3, 5], [7, 6, 5], [0, 6]]

    public static func generate(seed: UInt64 = 2026, creatorCount: Int = 600, customerCount: Int = 4000, weeks: Int = 12,
                                trainingWeeks: Int = 8, occasionsPerWeek: Int = 900) -> SimulatedMarketplace {
        var random = SeededRandom(seed: seed)
        var creators: [Creator] = []
        for index in 0..<creatorCount {
            let category = index % categories.count
            let city = Int(random.unit() * Double(cities.count))
            let quality = random.unit()
            let style = Int(random.unit() * 4)
            let joined = random.unit() < 0.75 ? -random.unit() * 365 : random.unit() * Double(trainingWeeks * 7)
            let completeness = min(1, max(0, 0.35 + 0.3 * quality + 0.25 * random.gaussian()))
            let verified = random.unit() < 0.1 + 0.3 * quality
            var words: [String] = []
            for _ in 0..<12 { words.append(categoryWords[category][Int(random.unit() * 8)]) }
            for _ in 0..<4 { words.append(styleWords[style][Int(random.unit() * 6)]) }
            let tags = [categoryWords[category][Int(random.unit() * 8)], styleWords[style][Int(random.unit() * 3)]]
            creators.append(Creator(category: category, city: city, joinedDay: joined, quality: quality, style: style,
                                    completeness: completeness, verified: verified,
                                    document: RecommendationDocument(category: categories[category], city: cities[city], tags: tags,
                                                                     words: words)))
        }
        let customerCity = (0..<customerCount).map { _ in Int(random.unit() * Double(cities.count)) }
        let customerStyle = (0..<customerCount).map { _ in Int(random.unit() * 4) }
        var listings: [[Int]: [Int]] = [:]
        for (index, creator) in creators.enumerated() { listings[[creator.category, creator.city], default: []].append(index) }
        let shownBefore = listings.mapValues { members in members.sorted { creators[$0].completeness > creators[$1].completeness } }

        var contacts: [Contact] = []
        for week in 0..<weeks {
            for _ in 0..<occasionsPerWeek {
                let customer = Int(random.unit() * Double(customerCount))
                let occasion = occasions[Int(random.unit() * Double(occasions.count))]
                let start = Double(week * 7) + random.unit() * 7
                for (step, category) in occasion.enumerated() where random.unit() < 0.7 {
                    let day = start + Double(step) * 0.5
                    var shown = (shownBefore[[category, customerCity[customer]]] ?? []).filter { creators[$0].joinedDay <= day }
                    if week >= trainingWeeks { shown.shuffle(using: &random) }
                    var made = 0
                    for (position, index) in shown.enumerated() where made < 2 {
                        guard random.unit() < 0.9 / pow(Double(position + 1), 0.7) else { continue }
                        let creator = creators[index]
                        let likesStyle = creator.style == customerStyle[customer] ? 1.0
                            : (creator.style % 2 == customerStyle[customer] % 2 || creator.style / 2 == customerStyle[customer] / 2) ? 0.4 : 0.12
                        guard random.unit() < 0.45 * pow(creator.quality, 1.3) * likesStyle else { continue }
                        made += 1
                        let responded = random.unit() < 0.25 + 0.7 * creator.quality
                        let rating = random.unit() < 0.25
                            ? Int(min(5, max(1, (1.5 + 3.5 * creator.quality + 0.6 * random.gaussian()).rounded()))) : nil
                        contacts.append(Contact(creator: index, customer: customer, day: day, responded: responded, rating: rating))
                    }
                }
            }
        }
        return SimulatedMarketplace(creators: creators, contacts: contacts, trainingDays: Double(trainingWeeks * 7))
    }

    public var training: [Contact] { contacts.filter { $0.day < trainingDays } }
    public var heldOut: [Contact] { contacts.filter { $0.day >= trainingDays } }

    /// What the store would know at the end of training, as ranking reads it.
    public func trainingSignals() -> (signals: [CreatorSignals], log: ContactLog) {
        var signals = creators.map { CreatorSignals(completeness: $0.completeness, verified: $0.verified) }
        var log = ContactLog(creatorCount: creators.count)
        for contact in training {
            signals[contact.creator].leads += 1
            if contact.responded { signals[contact.creator].responded += 1 }
            if let rating = contact.rating { signals[contact.creator].ratings.append(rating) }
            log.events.append(.init(creator: Int32(contact.creator), customer: Int32(contact.customer), day: contact.day))
        }
        return (signals, log)
    }

    /// The listings (category, city) and their creators.
    public var listings: [[Int]] {
        var members: [[Int]: [Int]] = [:]
        for (index, creator) in creators.enumerated() { members[[creator.category, creator.city], default: []].append(index) }
        return members.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { members[$0]! }
    }
}
