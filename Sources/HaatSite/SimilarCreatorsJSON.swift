import Foundation
import HaatCore

/// `/creators/<slug>/similar.json`: a creator's similar creators, as the home page's
/// "For you" row reads them in the browser (from the visitor's own history, which never
/// leaves it). Public fields only, like a card.
struct SimilarCreatorsJSON {
    /// Each ranked creator as an item of a list, written once and shared by every file that names it.
    private let items: [String]
    private let plan: SitePlan

    init(plan: SitePlan, catalog: Catalog) {
        self.plan = plan
        items = plan.ranked.map { site in
            let creator = site.creator
            var fields: [(String, JSONValue)] = [
                ("slug", .string(site.slug.rawValue)), ("name", .string(creator.name)), ("path", .string(site.path)),
                ("category", .string(catalog.category(creator.primaryCategory)?.name ?? "")),
                ("city", .string(catalog.city(creator.city)?.name ?? "")),
            ]
            if let cover = site.cover { fields.append(("cover", .string(cover.small.jpegPath))) }
            if let rating = site.rating { fields.append(("rating", .string(rating.text))) }
            return JSONValue.object(fields).text
        }
    }

    static func path(of site: SiteCreator) -> String { "creators/\(site.slug)/similar.json" }

    func data(for index: Int) -> Data {
        var text = #"{"slug":"# + JSONValue.string(plan.ranked[index].slug.rawValue).text + #","similar":["#
        text += plan.similar[index].map { items[$0] }.joined(separator: ",")
        return Data((text + "]}").utf8)
    }
}
