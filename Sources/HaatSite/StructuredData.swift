import Foundation
import HaatCore
import HaatStore

/// JSON-LD for search engines: a creator page describes a `LocalBusiness`.
/// The JSON is made safe to sit inside `<script>`: `<`, `>` and `&` are written as
/// `\u003c`-style escapes, so no value can close the script element.
enum StructuredData {
    static func localBusiness(_ site: SiteCreator, catalog: Catalog) -> String {
        let creator = site.creator
        let base = catalog.site.baseURL
        let city = catalog.city(creator.city)
        var address: [String: Any] = ["@type": "PostalAddress", "addressCountry": "IN"]
        address["addressLocality"] = creator.area.map { "\($0), \(city?.name ?? "")" } ?? city?.name
        address["addressRegion"] = city?.state
        var object: [String: Any] = [
            "@context": "https://schema.org",
            "@type": "LocalBusiness",
            "@id": base + site.path,
            "name": creator.name,
            "url": base + site.path,
            "address": address,
            "areaServed": ["@type": "City", "name": city?.name ?? creator.city.rawValue],
        ]
        if !site.excerpt.isEmpty { object["description"] = site.excerpt }
        if let range = priceRange(creator) { object["priceRange"] = range }
        let images = creator.portfolio.compactMap { site.image(named: $0.image) }.map { base + ImagePath.path(for: $0) }
        if !images.isEmpty { object["image"] = images }
        if let since = creator.since { object["foundingDate"] = String(since) }
        if !creator.services.isEmpty {
            object["makesOffer"] = creator.services.map { service in
                ["@type": "Offer", "itemOffered": ["@type": "Service", "name": service.title],
                 "priceSpecification": ["@type": "PriceSpecification", "minPrice": service.priceFrom.rupees, "priceCurrency": "INR"]] as [String: Any]
            }
        }
        return scriptSafe(object)
    }

    static func priceRange(_ creator: Creator) -> String? {
        let prices = creator.services.map(\.priceFrom)
        guard let low = prices.min(), let high = prices.max() else { return nil }
        return low == high ? "from \(low.formatted)" : "\(low.formatted)–\(high.formatted)"
    }

    static func scriptSafe(_ object: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
            .replacingOccurrences(of: "<", with: "\\u003c")
            .replacingOccurrences(of: ">", with: "\\u003e")
            .replacingOccurrences(of: "&", with: "\\u0026")
    }
}
