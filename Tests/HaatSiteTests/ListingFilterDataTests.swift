import Foundation
import HaatCore
import Testing
@testable import HaatSite

/// The data behind a listing's filters and sort (filters.js reads it): every member in
/// the listing's order with its id in the search index's chunks, area, price, rating,
/// verified and languages; one file per listing and one of everyone for search.
struct ListingFilterDataTests {
    func site() async throws -> TestSite {
        let site = try TestSite(TestSite.config.merging([
            "content/cities.yml": """
                pune: {name: Pune, state: Maharashtra, localities: [{name: Kothrud, lat: 18.5074, lon: 73.8077}, Baner]}
                nashik: {name: Nashik, state: Maharashtra, localities: [Gangapur]}
                """,
            "content/creators/sugar-bloom/index.md": TestSite.creator(
                name: "Sugar Bloom", services: "  - {title: Birthday cake, price_from: 800}\n  - {title: Cupcakes, price_from: 450}",
                languages: ["Marathi", "English"]),
            "content/creators/cocoa-lane/index.md": TestSite.creator(
                name: "Cocoa Lane", area: "Baner", phone: "+91 50000 10002", languages: ["english", "Hindi"]),
            "content/creators/henna-house/index.md": TestSite.creator(
                name: "Henna House", category: "mehendi", city: "nashik", area: "Gangapur", phone: "+91 50000 10003",
                services: "  - {title: Bridal mehendi, price_from: 5000}"),
        ]) { $1 })
        try await site.approveAllAndBuild()
        return site
    }

    func json(_ site: TestSite, _ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(try #require(site.page(path)).utf8)) as! [String: Any]
    }

    /// A packed column read back: [radix, per, chars, text], each `chars` base-64url
    /// digits (least significant first) being `per` values in mixed radix.
    func unpacked(_ column: Any, count: Int) -> [Int] {
        let fields = column as! [Any]
        let radix = fields[0] as! Int, per = fields[1] as! Int, chars = fields[2] as! Int, text = Array(fields[3] as! String)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        guard radix > 1 else { return Array(repeating: 0, count: count) }
        return (0..<count).map { index in
            let group = text[(index / per) * chars..<(index / per + 1) * chars]
            let number = group.reversed().reduce(0) { $0 * 64 + alphabet.firstIndex(of: $1)! }
            return (0..<index % per).reduce(number) { value, _ in value / radix } % radix
        }
    }

    /// Each member's row in the listing's order, its id resolved through the search
    /// index's chunk and its packed columns read back; languages as bits of `languages`.
    func rows(_ site: TestSite, _ data: [String: Any]) throws -> [(slug: String, area: Int, price: Int, langs: Int, verified: Int)] {
        let manifest = try json(site, String((data["manifest"] as! String).dropFirst()))
        let chunk = try JSONSerialization.jsonObject(with: Data(try #require(site.page(String((manifest["docs"] as! [String])[0].dropFirst()))).utf8)) as! [[Any]]
        let ids = (data["ids"] as! [Int]).reduce(into: [Int]()) { $0.append(($0.last ?? 0) + $1) }
        func column(_ name: String) -> [Int] { unpacked(data[name]!, count: ids.count) }
        let sets = data["language_sets"] as! [Int]
        let area = column("area"), price = column("price"), langs = column("langs").map { sets[$0] }, verified = column("verified")
        let unit = data["price_unit"] as! Int
        return ids.indices.map { (chunk[ids[$0]][0] as! String, area[$0], price[$0] * unit, langs[$0], verified[$0]) }
    }

    /// Area key (`<segment>.<city>`) → its 1-based number and entry.
    func areas(_ data: [String: Any]) -> [String: (number: Int, entry: [Any])] {
        let cities = data["cities"] as! [[String]]
        return Dictionary(uniqueKeysWithValues: (data["areas"] as! [[Any]]).enumerated().map { index, entry in
            ("\(entry[1] as! String).\(cities[entry[2] as! Int][0])", (index + 1, entry))
        })
    }

    @Test func aListingsFileHoldsItsMembersInOrderWithWhatTheyAreFilteredBy() async throws {
        let site = try await site()
        let data = try json(site, "c/cakes/filters.json")
        #expect(data["count"] as? Int == 2)
        let members = try rows(site, data)
        #expect(Set(members.map(\.slug)) == ["sugar-bloom", "cocoa-lane"])
        // An area is its locality's name and URL segment in a city; cities.yml's coordinates come × 10⁴.
        #expect(data["cities"] as? [[String]] == [["pune", "Pune"]])
        let labels = areas(data)
        #expect(labels["kothrud.pune"]?.1[0] as? String == "Kothrud" && labels["kothrud.pune"]?.1.count == 5)
        #expect(labels["kothrud.pune"]?.1[3] as? Int == 185074 && labels["kothrud.pune"]?.1[4] as? Int == 738077)
        #expect(labels["baner.pune"]?.1[0] as? String == "Baner" && labels["baner.pune"]?.1.count == 3)
        #expect(data["price_unit"] as? Int == 50)                // 450 and 800: written as 9 and 16
        let sugar = try #require(members.first { $0.slug == "sugar-bloom" })
        let cocoa = try #require(members.first { $0.slug == "cocoa-lane" })
        #expect(sugar.area == labels["kothrud.pune"]?.0 && cocoa.area == labels["baner.pune"]?.0)
        #expect(sugar.price == 450 && cocoa.price == 800)   // the lowest "from" price
        // Languages once each, whatever their case in the profiles; a member's are bits.
        let languages = (data["languages"] as! [[String]]).map { $0[1] }
        #expect(languages.sorted() == ["english", "hindi", "marathi"])
        func bits(_ keys: [String]) -> Int { keys.reduce(0) { $0 | 1 << languages.firstIndex(of: $1)! } }
        #expect(sugar.langs == bits(["marathi", "english"]) && cocoa.langs == bits(["english", "hindi"]))
        // The page names its file; a listing of one creator has nothing to filter.
        #expect(site.page("c/cakes/index.html")!.contains(#"data-listing-filters="/c/cakes/filters.json""#))
        #expect(!site.page("c/mehendi/index.html")!.contains("data-listing-filters") && !site.exists("c/mehendi/filters.json"))
    }

    @Test func packedColumnsReadBackExactlyWhateverTheirRange() throws {
        for (radix, count) in [(1, 5), (2, 13), (7, 10_000), (321, 1_001), (381, 3), (51, 64), (10_000_001, 9)] {
            var generator = SystemRandomNumberGenerator()
            let values = (0..<count).map { $0 == 0 ? radix - 1 : Int.random(in: 0..<radix, using: &generator) }
            let column = ListingFilterData.packed(values)
            #expect(unpacked(try JSONSerialization.jsonObject(with: Data(column.text.utf8)), count: count) == values, "radix \(radix)")
        }
        // A group's number stays under 2⁵³, and fills its digits better than one value a group would.
        let area = ListingFilterData.grouping(radix: 321)
        #expect(area.per == 5 && area.chars == 7)
        #expect(ListingFilterData.grouping(radix: 2).per == 6 && ListingFilterData.grouping(radix: 2).chars == 1)
        let price = ListingFilterData.grouping(radix: 10_000_001)
        #expect(pow(10_000_001.0, Double(price.per)) <= pow(2, 53))
    }

    @Test func searchHasEveryCreatorWithTheCityOfEachArea() async throws {
        let site = try await site()
        let data = try json(site, "search/filters.json")
        let members = try rows(site, data)
        #expect(members.count == 3 && Set(members.map(\.slug)).count == 3)
        #expect(Set(areas(data).keys) == ["baner.pune", "gangapur.nashik", "kothrud.pune"])
        #expect(Set((data["cities"] as! [[String]]).map { $0[1] }) == ["Pune", "Nashik"])
        #expect(members.allSatisfy { $0.verified == 0 })
        #expect(site.page("search/index.html")!.contains(#"data-search-filters="/search/filters.json""#))
    }
}
