import Foundation
import HaatCore

/// What a listing's filters and sort work on in the browser (`filters.js`): one small JSON
/// per listing, `<listing>/filters.json`, and one of every creator for the search page,
/// `/search/filters.json`. For each member, in the listing's order (the build's rank), its
/// id (its rank, which is also its place in the search index's result chunks, where the
/// cards come from) and what a visitor can narrow or sort by.
///
///     {"v": 2, "manifest": search manifest path, "count": members,
///      "cities": [[slug, name]], "areas": [[locality, segment, city] or [locality, segment, city, lat × 10⁴, lon × 10⁴]],
///      "languages": [[label, key]], "price_unit": rupees,
///      "ids": ascending, delta-encoded,
///      "area": 1-based into areas, "price": lowest "from" price in price units (0: none),
///      "rating": average × 10 (0: none), "reviews", "verified": 0 or 1, "langs": bits of languages}
///
/// The per-member columns after `ids` are packed strings: each value in base 32, all of a
/// column's the same width (its length over the count). Gzip makes them a tenth smaller than
/// decimal lists (a 9,100-member listing's data: 31.7 KB, now 28 KB gzipped). Prices
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
            langs.append(bits)
            price.append(entry.price)
            rating.append(entry.rating)
            reviews.append(entry.reviews)
            verified.append(entry.verified ? 1 : 0)
        }
        let unit = max(1, price.reduce(0, Self.greatestCommonDivisor))
        let value = JSONValue.object([
            ("v", .int(2)), ("manifest", .string(manifest)), ("count", .int(members.count)),
            ("cities", .array(cities)), ("areas", .array(areas)), ("languages", .array(languages)), ("price_unit", .int(unit)),
            ("ids", .array(ids.map(JSONValue.int))), ("area", Self.packed(area)), ("price", Self.packed(price.map { $0 / unit })),
            ("rating", Self.packed(rating)), ("reviews", Self.packed(reviews)), ("verified", Self.packed(verified)), ("langs", Self.packed(langs)),
        ])
        return Data(value.text.utf8)
    }

    /// Non-negative values as one string of base-32 digits, each as wide as the widest.
    static func packed(_ values: [Int]) -> JSONValue {
        let width = String(values.max() ?? 0, radix: 32).count
        var text = ""
        text.reserveCapacity(width * values.count)
        for value in values {
            let digits = String(value, radix: 32)
            text += String(repeating: "0", count: width - digits.count) + digits
        }
        return .string(text)
    }

    static func greatestCommonDivisor(_ a: Int, _ b: Int) -> Int { b == 0 ? a : greatestCommonDivisor(b, a % b) }

    /// The file of every listing with filters, and the search page's, made on every core.
    static func files(plan: SitePlan, catalog: Catalog, manifest: String) -> [SearchIndex.File] {
        let data = ListingFilterData(ranked: plan.ranked, catalog: catalog, manifest: manifest)
        let listings = ConcurrentMap.map(plan.listings.filter(filters)) { SearchIndex.File(path: path(of: $0), data: data.data(members: $0.members)) }
        return listings + [SearchIndex.File(path: searchPath, data: data.data(members: Array(plan.ranked.indices)))]
    }
}
