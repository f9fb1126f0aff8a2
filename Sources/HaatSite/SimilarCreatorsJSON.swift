import Foundation
import HaatCore

/// `/creators/<slug>/similar.json`: a creator's similar creators, as the home page's
/// "For you" row reads them in the browser (from the visitor's own history, which never
/// leaves it). Public fields only, like a card.
enum SimilarCreatorsJSON {
    static func path(of site: SiteCreator) -> String { "creators/\(site.slug)/similar.json" }

    static func data(for index: Int, plan: SitePlan, catalog: Catalog) -> Data {
        let items = plan.similar[index].map { other -> JSONValue in
            let site = plan.ranked[other], creator = site.creator
            var fields: [(String, JSONValue)] = [
                ("slug", .string(site.slug.rawValue)), ("name", .string(creator.name)), ("path", .string(site.path)),
                ("category", .string(catalog.category(creator.primaryCategory)?.name ?? "")),
                ("city", .string(catalog.city(creator.city)?.name ?? "")),
            ]
            if let cover = site.coverImage { fields.append(("cover", .string(ImagePath.path(for: cover)))) }
            if let rating = site.rating { fields.append(("rating", .string(rating.text))) }
            return .object(fields)
        }
        return Data(JSONValue.object([("slug", .string(plan.ranked[index].slug.rawValue)), ("similar", .array(items))]).text.utf8)
    }
}
