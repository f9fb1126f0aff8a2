import Foundation

/// A deterministic synthetic marketplace for benchmarks: N creators over 12 categories,
/// 40 cities and ~300 tags, each with 3–6 services, 6 portfolio pictures (six shared
/// image files, hard-linked into every bundle) and a ~250-word story. Written twice from
/// the same values: as a Haat content folder and as an equivalent Hugo site.
public struct SyntheticContent: Sendable {
    public let creators: Int
    public let seed: UInt64

    public init(creators: Int, seed: UInt64 = 42) {
        self.creators = creators
        self.seed = seed
    }

    static let categoryNames = ["Photo Framing", "Gift Making", "Event Management", "Cakes", "Mehendi", "Handcrafts",
                                "Decor", "Photography", "Pottery", "Calligraphy", "Tailoring", "Candles"]
    static let cityNames = ["Pune", "Nashik", "Indore", "Mysuru", "Nagpur", "Surat", "Vadodara", "Bhopal", "Jaipur", "Udaipur",
                            "Kochi", "Madurai", "Coimbatore", "Vizag", "Guntur", "Hubli", "Belagavi", "Kolhapur", "Solapur", "Aurangabad",
                            "Raipur", "Ranchi", "Patna", "Gaya", "Varanasi", "Prayagraj", "Lucknow", "Kanpur", "Agra", "Dehradun",
                            "Shimla", "Amritsar", "Ludhiana", "Jalandhar", "Ajmer", "Jodhpur", "Rajkot", "Bhavnagar", "Goa", "Mangaluru"]
    static let states = ["Maharashtra", "Madhya Pradesh", "Karnataka", "Gujarat", "Rajasthan", "Kerala", "Tamil Nadu", "Andhra Pradesh",
                         "Uttar Pradesh", "Punjab"]
    static let localityWords = ["Nagar", "Colony", "Peth", "Road", "Chowk", "Park", "Vihar", "Layout"]
    static let localityStems = ["Shivaji", "Gandhi", "Nehru", "Tilak", "Lake", "Station", "Old Town", "Market"]
    static let tagFirst = ["classic", "modern", "rustic", "eggless", "bridal", "kids", "festive", "eco", "custom", "budget",
                           "luxury", "traditional", "minimal", "vintage", "floral", "royal", "pastel", "quick", "handmade", "corporate"]
    static let tagSecond = ["cakes", "frames", "decor", "gifts", "mehendi", "photos", "events", "crafts", "pottery", "lettering",
                            "outfits", "candles", "hampers", "albums", "favours"]
    static let nameFirst = ["Sugar", "Golden", "Little", "Happy", "Saffron", "Peacock", "Lotus", "Mango", "Silver", "Rangoli",
                            "Jasmine", "Tulsi", "Monsoon", "Kesar", "Chandni", "Mitti", "Kala", "Utsav", "Sundar", "Nila"]
    static let nameSecond = ["Bloom", "Frame", "Studio", "Works", "Hands", "Story", "Craft", "Corner", "House", "Lane"]
    static let words = ("we make every piece by hand in our small workshop and deliver across the city families come back to us "
        + "for birthdays weddings housewarmings and festivals our team listens first then sketches a design that fits your budget "
        + "quality materials careful finishing honest prices and on time delivery are what our customers remember most we started "
        + "at home with one table and a lot of patience today five of us work together and still answer every call ourselves").split(separator: " ").map(String.init)
    static let serviceWords = ["Birthday", "Wedding", "Festival", "Corporate", "Baby shower", "Anniversary", "Housewarming", "Engagement"]
    static let serviceKinds = ["package", "special", "set", "session", "order", "combo"]

    /// One generated creator, in values both generators write out.
    public struct Creator: Sendable {
        public let slug: String
        public let name: String
        public let category: Int
        public let city: Int
        public let area: String
        public let since: Int
        public let tags: [String]
        public let services: [(title: String, price: Int, description: String)]
        public let story: String
        public let phone: String
    }

    public static func categorySlug(_ index: Int) -> String { slugify(categoryNames[index]) }
    public static func citySlug(_ index: Int) -> String { slugify(cityNames[index]) }
    static func slugify(_ text: String) -> String { text.lowercased().replacingOccurrences(of: " ", with: "-") }
    static func localities(_ city: Int) -> [String] { (0..<8).map { "\(localityStems[($0 + city) % 8]) \(localityWords[$0])" } }
    static func state(_ city: Int) -> String { states[city % states.count] }
    /// The languages a creator speaks, varied by its number (not drawn from the seeded
    /// stream, so every other field stays what it was).
    public static func languages(_ index: Int) -> String {
        ["Hindi, English", "Marathi, Hindi", "Gujarati, Hindi, English", "Kannada, English", "Hindi", "Marathi, Hindi, English", "Tamil, English"][index % 7]
    }

    public func generate() -> [Creator] {
        var random = SplitMix64(seed: seed)
        return (0..<creators).map { index in
            let category = Int(random.next() % 12)
            let city = Int(random.next() % 40)
            let name = "\(Self.nameFirst[index % 20]) \(Self.nameSecond[(index / 20) % 10]) \(index)"
            var tags: [String] = []
            for _ in 0..<(2 + Int(random.next() % 4)) {
                let tag = "\(Self.tagFirst[Int(random.next() % 20)])-\(Self.tagSecond[Int(random.next() % 15)])"
                if !tags.contains(tag) { tags.append(tag) }
            }
            let services = (0..<(3 + Int(random.next() % 4))).map { _ in
                (title: "\(Self.serviceWords[Int(random.next() % 8)]) \(Self.serviceKinds[Int(random.next() % 6)])",
                 price: 500 + Int(random.next() % 400) * 100,
                 description: "Includes design, materials and delivery within \(2 + random.next() % 6) days.")
            }
            var paragraphs: [String] = []
            for _ in 0..<3 {
                let sentence = (0..<83).map { _ in Self.words[Int(random.next() % UInt64(Self.words.count))] }
                paragraphs.append(sentence.joined(separator: " ").capitalizedFirst + ".")
            }
            paragraphs[1] = "Our **\(Self.serviceWords[index % 8].lowercased())** work: " + paragraphs[1]
            return Creator(slug: "creator-\(index)", name: name, category: category, city: city,
                           area: Self.localities(city)[Int(random.next() % 8)], since: 1995 + Int(random.next() % 30),
                           tags: tags, services: services, story: paragraphs.joined(separator: "\n\n"),
                           phone: "+91 50000 \(String(format: "%05d", index % 100_000))")
        }
    }
}

/// A small, fast, seedable generator so the same N always gives the same site.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
