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

/// A city with its localities, from `cities.yml`.
public struct City: Hashable, Sendable {
    public let slug: Slug
    public let name: String
    public let state: String
    public let localities: [String]

    public init(slug: Slug, name: String, state: String, localities: [String]) {
        self.slug = slug
        self.name = name
        self.state = state
        self.localities = localities
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
