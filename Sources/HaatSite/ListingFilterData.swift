import Foundation
import HaatCore

/// What a listing's filters and sort work on in the browser (`filters.js`): one small JSON
/// per listing, `<listing>/filters.json`, and one of every creator for the search page,
/// `/search/filters.json`. For each member, in the listing's order (the build's rank), its
/// id (its rank, which is also its place in the search index's result chunks, where the
/// cards come from) and what a visitor can narrow or sort by.
///
///     {"v": 3, "manifest": search manifest path, "count": members,
///      "cities": [[slug, name]], "areas": [[locality, segment, city] or [locality, segment, city, lat × 10⁴, lon × 10⁴]],
///      "languages": [[label, key]], "language_sets": [bits of languages], "price_unit": rupees,
///      "ids": ascending, delta-encoded,
///      "area": 1-based into areas, "price": lowest "from" price in price units (0: none),
///      "rating": average × 10 (0: none), "reviews", "verified": 0 or 1, "langs": into language_sets}
///
/// The per-member columns after `ids` are packed (`packed(_:)`): numbers in mixed radix,
/// written in base 64. That costs each value the bits of its column's range, and gzip
/// keeps it there: a 10,000-member file is 27 KB gzipped, against 33 KB as base-32
/// digits of one width and about 38 KB as lists of decimals. Prices
/// are written in the largest unit that divides them all (prices are round numbers).
/// An area's key (in the URL) is `<segment>.<city slug>` ("baner.pune"). A creator without
/// a locality is in its city's area with an empty name and segment: every member has a
/// city, for the city filter, at no cost of a column.
///
/// The path carries no hash: a listing page names it, and the page need not change when
/// only its members' ranks or ratings do (the file names the manifest its ids belong to).
struct ListingFilterData: Sendable {
    static let searchPath = "/search/filters.json"
    /// A listing gets filters (and its file) once it has this many creators to order.
    static let minimumMembers = 2

    /// Whether `listing` has filters, and so a file.
    static func filters(_ listing: Listing) -> Bool { listing.members.count >= minimumMembers }

    static func path(of listing: Listing) -> String { listing.basePath + "filters.json" }

    /// What one creator contributes to every file it is in.
    private struct Facets: Sendable {
        var city: Slug
        /// The locality's URL segment and name, empty for a creator without one.
        var area: (segment: String, name: String, coordinates: Coordinates?)
        var price: Int
        var rating: Int
        var reviews: Int
        var verified: Bool
        /// Lowercased, with the spelling the profile gives.
        var languages: [(key: String, label: String)]
    }

    private let facets: [Facets]
    private let catalog: Catalog
    private let manifest: String

    init(ranked: [SiteCreator], catalog: Catalog, manifest: String) {
        self.manifest = manifest
        self.catalog = catalog
        facets = ranked.map { site in
            let creator = site.creator
            let area = creator.area.flatMap { name in
                SitePlan.areaSegment(name).map { (segment: $0, name: name, coordinates: catalog.city(creator.city)?.coordinates[name]) }
            } ?? (segment: "", name: "", coordinates: nil)
            var seen: Set<String> = []
            let languages = creator.languages.compactMap { label -> (key: String, label: String)? in
                let key = label.lowercased()
                return seen.insert(key).inserted ? (key, label) : nil
            }
            return Facets(city: creator.city, area: area, price: creator.lowestPrice?.rupees ?? 0,
                          rating: site.ratingTenths, reviews: site.reviews.count,
                          verified: site.verified, languages: languages)
        }
    }

    /// The file of a listing with these members (indices into the ranking, best first).
    func data(members: [Int]) -> Data {
        var cityIndex: [Slug: Int] = [:]
        var cities: [JSONValue] = []
        var areaIndex: [String: Int] = [:]
        var areas: [JSONValue] = []
        var languageIndex: [String: Int] = [:]
        var languages: [JSONValue] = []
        var languageSetIndex: [Int: Int] = [:]
        var languageSets: [JSONValue] = []
        var ids: [Int] = [], area: [Int] = [], price: [Int] = [], rating: [Int] = [], reviews: [Int] = [], verified: [Int] = [], langs: [Int] = []
        var previous = 0
        for member in members {
            let entry = facets[member]
            ids.append(member - previous)
            previous = member
            let place = entry.area, key = "\(place.segment).\(entry.city)"
            if areaIndex[key] == nil {
                areaIndex[key] = areas.count + 1
                if cityIndex[entry.city] == nil {
                    cityIndex[entry.city] = cities.count
                    cities.append(.array([.string(entry.city.rawValue), .string(catalog.city(entry.city)?.name ?? entry.city.rawValue)]))
                }
                var fields: [JSONValue] = [.string(place.name), .string(place.segment), .int(cityIndex[entry.city]!)]
                if let at = place.coordinates {
                    fields += [.int(Int((at.latitude * 10_000).rounded())), .int(Int((at.longitude * 10_000).rounded()))]
                }
                areas.append(.array(fields))
            }
            area.append(areaIndex[key]!)
            var bits = 0
            for language in entry.languages {
                if languageIndex[language.key] == nil {
                    // 31 languages in one listing is beyond any real town; more are not offered.
                    guard languages.count < 31 else { continue }
                    languageIndex[language.key] = languages.count
                    languages.append(.array([.string(language.label), .string(language.key)]))
                }
                bits |= 1 << languageIndex[language.key]!
            }
            if languageSetIndex[bits] == nil {
                languageSetIndex[bits] = languageSets.count
                languageSets.append(.int(bits))
            }
            langs.append(languageSetIndex[bits]!)
            price.append(entry.price)
            rating.append(entry.rating)
            reviews.append(entry.reviews)
            verified.append(entry.verified ? 1 : 0)
        }
        let unit = max(1, price.reduce(0, Self.greatestCommonDivisor))
        let value = JSONValue.object([
            ("v", .int(3)), ("manifest", .string(manifest)), ("count", .int(members.count)),
            ("cities", .array(cities)), ("areas", .array(areas)), ("languages", .array(languages)),
            ("language_sets", .array(languageSets)), ("price_unit", .int(unit)),
            ("ids", .array(ids.map(JSONValue.int))), ("area", Self.packed(area)), ("price", Self.packed(price.map { $0 / unit })),
            ("rating", Self.packed(rating)), ("reviews", Self.packed(reviews)), ("verified", Self.packed(verified)), ("langs", Self.packed(langs)),
        ])
        return Data(value.text.utf8)
    }

    /// Non-negative values as `[radix, per, chars, text]`: `radix` is one more than the
    /// largest; each `per` values (the last group padded with zeros) are one number,
    /// v₀ + v₁·radix + v₂·radix² + …, written as `chars` base-64url digits, least
    /// significant first. `per` is the group whose number best fills its digits, kept
    /// under 2⁵³ so that JavaScript reads it exactly. Digits of one width per value
    /// (base 32) cost a 320-value column 10 bits a value after gzip; this, its 8.3.
    static func packed(_ values: [Int]) -> JSONValue {
        let radix = UInt64((values.max() ?? 0) + 1)
        precondition(radix <= largestExact, "a filter value beyond 2⁵³")
        let (per, chars) = grouping(radix: radix)
        var text = ""
        text.reserveCapacity(chars * (values.count + per - 1) / per)
        var start = values.startIndex
        while start < values.endIndex && radix > 1 {
            let group = values[start..<min(start + per, values.endIndex)]
            var number = group.reversed().reduce(UInt64(0)) { $0 * radix + UInt64($1) }
            for _ in 0..<chars {
                text.append(base64URL[Int(number % 64)])
                number /= 64
            }
            start += per
        }
        return .array([.int(Int(radix)), .int(per), .int(chars), .string(text)])
    }

    private static let largestExact: UInt64 = 1 << 53
    private static let base64URL = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    /// How many values of `radix` make a group, and its digits: the group whose bits
    /// fill its base-64 digits best (fewer values on a tie), its number under 2⁵³.
    static func grouping(radix: UInt64) -> (per: Int, chars: Int) {
        guard radix > 1 else { return (1, 0) }
        var best = (per: 1, chars: 1, fill: 0.0)
        var span: UInt64 = radix, per = 1
        while true {
            var chars = 1, capacity: UInt64 = 64
            while capacity < span { chars += 1; capacity = capacity.multipliedReportingOverflow(by: 64).overflow ? .max : capacity * 64 }
            let fill = Double(per) * log2(Double(radix)) / Double(6 * chars)
            if fill > best.fill + 1e-9 { best = (per, chars, fill) }
            let next = span.multipliedReportingOverflow(by: radix)
            if next.overflow || next.partialValue > largestExact { break }
            span = next.partialValue
            per += 1
        }
        return (best.per, best.chars)
    }

    static func greatestCommonDivisor(_ a: Int, _ b: Int) -> Int { b == 0 ? a : greatestCommonDivisor(b, a % b) }

    /// The file of every listing with filters, and the search page's, made on every core.
    static func files(plan: SitePlan, catalog: Catalog, manifest: String) -> [SearchIndex.File] {
        let data = ListingFilterData(ranked: plan.ranked, catalog: catalog, manifest: manifest)
        let listings = ConcurrentMap.map(plan.listings.filter(filters)) { SearchIndex.File(path: path(of: $0), data: data.data(members: $0.members)) }
        return listings + [SearchIndex.File(path: searchPath, data: data.data(members: Array(plan.ranked.indices)))]
    }
}
