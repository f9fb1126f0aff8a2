import Foundation
import HaatCore
import HaatStore

/// JSON-LD for search engines: a creator page describes a `LocalBusiness`.
/// Written with `JSONValue`, which escapes `<`, `>` and `&`, so no value can close the
/// script element it sits in.
enum StructuredData {
    static func localBusiness(_ site: SiteCreator, excerpt: String, catalog: Catalog) -> String {
        let creator = site.creator
        let base = catalog.site.baseURL
        let city = catalog.city(creator.city)
        var address: [(String, JSONValue)] = [("@type", .string("PostalAddress"))]
        if let locality = creator.area.map({ "\($0), \(city?.name ?? "")" }) ?? city?.name { address.append(("addressLocality", .string(locality))) }
        if let state = city?.state { address.append(("addressRegion", .string(state))) }
        address.append(("addressCountry", .string("IN")))
        var object: [(String, JSONValue)] = [
            ("@context", .string("https://schema.org")),
            ("@type", .string("LocalBusiness")),
            ("@id", .string(base + site.path)),
            ("name", .string(creator.name)),
            ("url", .string(base + site.path)),
            ("address", .object(address)),
            ("areaServed", .object([("@type", .string("City")), ("name", .string(city?.name ?? creator.city.rawValue))])),
        ]
        if !excerpt.isEmpty { object.append(("description", .string(excerpt))) }
        if let range = priceRange(creator) { object.append(("priceRange", .string(range))) }
        let images = creator.portfolio.compactMap { site.pictures[$0.image] }.map { JSONValue.string(base + $0.large.jpegPath) }
        if !images.isEmpty { object.append(("image", .array(images))) }
        if let since = creator.since { object.append(("foundingDate", .string(String(since)))) }
        if !creator.services.isEmpty {
            object.append(("makesOffer", .array(creator.services.map { service in
                .object([
                    ("@type", .string("Offer")),
                    ("itemOffered", .object([("@type", .string("Service")), ("name", .string(service.title))])),
                    ("priceSpecification", .object([("@type", .string("PriceSpecification")), ("minPrice", .int(service.priceFrom.rupees)),
                                                    ("priceCurrency", .string("INR"))])),
                ])
            })))
        }
        if let rating = site.rating {
            object.append(("aggregateRating", .object([
                ("@type", .string("AggregateRating")), ("ratingValue", .string(rating.text)), ("reviewCount", .int(rating.count)),
                ("bestRating", .int(5)), ("worstRating", .int(1)),
            ])))
            object.append(("review", .array(site.reviews.prefix(PageRenderer.reviewsShown).map { review in
                var entry: [(String, JSONValue)] = [
                    ("@type", .string("Review")),
                    ("reviewRating", .object([("@type", .string("Rating")), ("ratingValue", .int(review.rating))])),
                    ("author", .object([("@type", .string("Person")), ("name", .string(review.firstName))])),
                ]
                if let text = review.text { entry.append(("reviewBody", .string(text))) }
                return .object(entry)
            })))
        }
        return JSONValue.object(object).text
    }

    static func priceRange(_ creator: Creator) -> String? {
        let prices = creator.services.map(\.priceFrom)
        guard let low = prices.min(), let high = prices.max() else { return nil }
        return low == high ? "from \(low.formatted)" : "\(low.formatted)–\(high.formatted)"
    }
}
