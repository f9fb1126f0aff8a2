import Foundation

/// A category of creative work, from `categories.yml`.
public struct Category: Hashable, Sendable {
    public let slug: Slug
    public let name: String
    public let description: String
    public let icon: String

    public init(slug: Slug, name: String, description: String, icon: String) {
        self.slug = slug
        self.name = name
        self.description = description
        self.icon = icon
    }
}

/// Where a place is, in degrees.
public struct Coordinates: Hashable, Sendable {
    public let latitude: Double
    public let longitude: Double

    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }

    /// Kilometres to `other` along the Earth's surface (haversine, on a 6,371 km sphere).
    public func kilometres(to other: Coordinates) -> Double {
        let radians = Double.pi / 180
        let dLatitude = (other.latitude - latitude) * radians, dLongitude = (other.longitude - longitude) * radians
        let a = pow(sin(dLatitude / 2), 2) + cos(latitude * radians) * cos(other.latitude * radians) * pow(sin(dLongitude / 2), 2)
        return 2 * 6371 * asin(min(1, sqrt(a)))
    }
}

/// A city with its localities, from `cities.yml`.
public struct City: Hashable, Sendable {
    public let slug: Slug
    public let name: String
    public let state: String
    public let localities: [String]
    /// Where localities are, for those cities.yml gives coordinates (`{name, lat, lon}`).
    public let coordinates: [String: Coordinates]

    public init(slug: Slug, name: String, state: String, localities: [String], coordinates: [String: Coordinates] = [:]) {
        self.slug = slug
        self.name = name
        self.state = state
        self.localities = localities
        self.coordinates = coordinates
    }
}

/// The configuration of a site: `site.yml`, `categories.yml` and `cities.yml` together,
/// with the optional `search-words.yml`. Categories and cities keep their file order, which
/// is the order listings show them in.
public struct Catalog: Sendable {
    public let site: SiteConfig
    public let categories: [Category]
    public let cities: [City]
    /// What people type (another spelling, Devanagari) → the word the search index knows.
    public let searchWords: [String: String]
    private let categoriesBySlug: [Slug: Category]
    private let citiesBySlug: [Slug: City]

    public init(site: SiteConfig, categories: [Category], cities: [City], searchWords: [String: String] = [:]) {
        self.site = site
        self.categories = categories
        self.cities = cities
        self.searchWords = searchWords
        categoriesBySlug = Dictionary(categories.map { ($0.slug, $0) }, uniquingKeysWith: { first, _ in first })
        citiesBySlug = Dictionary(cities.map { ($0.slug, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func category(_ slug: Slug) -> Category? { categoriesBySlug[slug] }
    public func city(_ slug: Slug) -> City? { citiesBySlug[slug] }
}
