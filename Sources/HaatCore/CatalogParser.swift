import Foundation
import Yams

/// Parses the configuration files of a content folder (`site.yml`, `categories.yml`,
/// `cities.yml`, and `search-words.yml` if there is one) into a `Catalog`, reporting every
/// problem with its line.
public enum CatalogParser {
    static let siteKeys = ["title", "base_url", "api_url", "language", "free_contacts", "plans", "tagline", "description"]
    static let planKeys = ["id", "name", "amount_paise", "period_days"]
    static let categoryKeys = ["name", "description", "icon"]
    static let cityKeys = ["name", "state", "localities"]
    static let localityKeys = ["name", "lat", "lon"]

    public struct Sources: Sendable {
        public var site: (path: String, text: String)
        public var categories: (path: String, text: String)
        public var cities: (path: String, text: String)
        public var searchWords: (path: String, text: String)?

        public init(site: (path: String, text: String), categories: (path: String, text: String), cities: (path: String, text: String),
                    searchWords: (path: String, text: String)? = nil) {
            self.site = site
            self.categories = categories
            self.cities = cities
            self.searchWords = searchWords
        }
    }

    public static func parse(_ sources: Sources) -> Result<Catalog, ContentErrors> {
        let siteCollector = DiagnosticCollector(path: sources.site.path)
        let categoryCollector = DiagnosticCollector(path: sources.categories.path)
        let cityCollector = DiagnosticCollector(path: sources.cities.path)
        let site = parseSite(sources.site.text, collector: siteCollector)
        let categories = parseCategories(sources.categories.text, collector: categoryCollector)
        let cities = parseCities(sources.cities.text, collector: cityCollector)
        let wordsCollector = sources.searchWords.map { DiagnosticCollector(path: $0.path) }
        let searchWords = sources.searchWords.flatMap { source in wordsCollector.flatMap { parseSearchWords(source.text, collector: $0) } }
        let diagnostics = siteCollector.diagnostics + categoryCollector.diagnostics + cityCollector.diagnostics + (wordsCollector?.diagnostics ?? [])
        guard diagnostics.isEmpty, let site, let categories, let cities else {
            return .failure(ContentErrors(diagnostics))
        }
        return .success(Catalog(site: site, categories: categories, cities: cities, searchWords: searchWords ?? [:]))
    }

    /// `search-words.yml`: `typed: known` lines, each a word people type (another spelling,
    /// a Devanagari word) and the lowercase word of the site's own text it means.
    static func parseSearchWords(_ text: String, collector: DiagnosticCollector) -> [String: String]? {
        guard let root = collector.compose(text) else { return collector.diagnostics.isEmpty ? [:] : nil }
        guard let mapping = root.mapping else {
            collector.report("search-words.yml must map words to words, e.g. mehndi: mehendi", at: root)
            return nil
        }
        var words: [String: String] = [:]
        for (key, value) in mapping {
            guard let typed = key.scalar?.string.precomposedStringWithCanonicalMapping.lowercased(),
                  !typed.isEmpty, typed.count <= 40, !typed.contains(where: { $0.isWhitespace }) else {
                collector.report("\"\(key.scalar?.string ?? "?")\" must be one word of at most 40 characters", at: key)
                continue
            }
            guard let known = value.scalar?.string, (1...40).contains(known.count),
                  known.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) }) else {
                collector.report("\"\(typed)\" must map to one lowercase word of a-z and 0-9, the way the site writes it", at: value)
                continue
            }
            words[typed] = known
        }
        return collector.diagnostics.isEmpty ? words : nil
    }

    static func parseSite(_ text: String, collector: DiagnosticCollector) -> SiteConfig? {
        guard let root = collector.compose(text) else {
            if collector.diagnostics.isEmpty { collector.report("site.yml is empty: it needs at least title and base_url", line: 1) }
            return nil
        }
        guard let fields = MappingReader(root, context: "site.yml", allowed: siteKeys, collector: collector) else { return nil }
        let title = fields.string("title", required: true, maxLength: 80)
        var baseURL = fields.string("base_url", required: true, maxLength: 200)
        if let url = baseURL, !(url.hasPrefix("https://") || url.hasPrefix("http://")) || URL(string: url)?.host == nil {
            collector.report("base_url must be an absolute http(s) URL such as https://haat.example", at: fields.node("base_url"))
            baseURL = nil
        }
        var apiURL = fields.string("api_url", maxLength: 200) ?? "/api/v1"
        // The pages' Content-Security-Policy names the API's origin: it must have one.
        if SecurityHeaders.apiOrigins(of: apiURL) == nil {
            collector.report("api_url must be a path of the site such as /api/v1, or an http(s) URL such as https://api.haat.example/api/v1",
                             at: fields.node("api_url"))
            apiURL = "/api/v1"
        }
        let language = fields.string("language", maxLength: 16) ?? "en"
        let freeContacts = fields.int("free_contacts", range: 0...1000) ?? 2
        var plans: [Plan] = []
        for (index, item) in (fields.list("plans") ?? []).enumerated() {
            guard let plan = MappingReader(item, context: "plans[\(index + 1)]", allowed: planKeys, collector: collector) else { continue }
            let id = plan.string("id", required: true, maxLength: 64)
            let name = plan.string("name", required: true, maxLength: 80)
            let amount = plan.int("amount_paise", required: true, range: 100...100_000_000, meaning: "a whole number of paise")
            let days = plan.int("period_days", required: true, range: 1...3660)
            guard let id, let name, let amount, let days else { continue }
            guard let slug = Slug(id) else {
                collector.report("plan id \"\(id)\" must be \(Slug.rule)", at: plan.node("id"))
                continue
            }
            if plans.contains(where: { $0.id == slug }) {
                collector.report("plan id \"\(id)\" is used twice", at: plan.node("id"))
                continue
            }
            plans.append(Plan(id: slug, name: name, amount: Money(paise: amount), periodDays: days))
        }
        guard let title, let baseURL else { return nil }
        return SiteConfig(title: title, baseURL: baseURL, apiURL: apiURL, language: language, freeContacts: freeContacts,
                          plans: plans, tagline: fields.string("tagline", maxLength: 160), description: fields.string("description", maxLength: 300))
    }

    /// The entries of a top-level `slug: {…}` mapping, in file order.
    private static func entries(_ text: String, file: String, collector: DiagnosticCollector) -> [(Slug, Node)] {
        guard let root = collector.compose(text) else {
            if collector.diagnostics.isEmpty { collector.report("\(file) is empty", line: 1) }
            return []
        }
        guard let mapping = root.mapping else {
            collector.report("\(file) must map keys to entries, e.g. pune: {name: Pune, ...}", at: root)
            return []
        }
        var result: [(Slug, Node)] = []
        for (key, value) in mapping {
            guard let text = key.scalar?.string, let slug = Slug(text) else {
                collector.report("key \"\(key.scalar?.string ?? "?")\" must be \(Slug.rule)", at: key)
                continue
            }
            result.append((slug, value))
        }
        if result.isEmpty, collector.diagnostics.isEmpty { collector.report("\(file) lists no entries", at: root) }
        return result
    }

    static func parseCategories(_ text: String, collector: DiagnosticCollector) -> [Category]? {
        var categories: [Category] = []
        for (slug, node) in entries(text, file: "categories.yml", collector: collector) {
            guard let fields = MappingReader(node, context: "category \(slug)", allowed: categoryKeys, collector: collector) else { continue }
            let name = fields.string("name", required: true, maxLength: 60)
            let description = fields.string("description", maxLength: 300) ?? ""
            let icon = fields.string("icon", maxLength: 40) ?? "tag"
            if let name { categories.append(Category(slug: slug, name: name, description: description, icon: icon)) }
        }
        return collector.diagnostics.isEmpty ? categories : nil
    }

    /// A city's localities: each a name, or `{name, lat, lon}` with where it is.
    static func parseLocalities(_ items: [Node], city: Slug, collector: DiagnosticCollector) -> ([String], [String: Coordinates]) {
        var names: [String] = []
        var coordinates: [String: Coordinates] = [:]
        for item in items {
            if let scalar = item.scalar {
                let name = MappingReader.isNull(item) ? "" : scalar.string.trimmedWhitespace
                guard !name.isEmpty, name.count <= 60 else {
                    collector.report("each locality of \(city) must be a name of 1 to 60 characters", at: item)
                    continue
                }
                names.append(name)
                continue
            }
            guard let fields = MappingReader(item, context: "a locality of \(city)", allowed: localityKeys, collector: collector),
                  let name = fields.string("name", required: true, maxLength: 60) else { continue }
            names.append(name)
            let latitude = fields.double("lat", range: -90...90), longitude = fields.double("lon", range: -180...180)
            if let latitude, let longitude {
                coordinates[name] = Coordinates(latitude: latitude, longitude: longitude)
            } else if fields.has("lat") != fields.has("lon") {
                collector.report("locality \(name) of \(city) needs both lat and lon, or neither", at: item)
            }
        }
        return (names, coordinates)
    }

    static func parseCities(_ text: String, collector: DiagnosticCollector) -> [City]? {
        var cities: [City] = []
        for (slug, node) in entries(text, file: "cities.yml", collector: collector) {
            guard let fields = MappingReader(node, context: "city \(slug)", allowed: cityKeys, collector: collector) else { continue }
            let name = fields.string("name", required: true, maxLength: 60)
            let state = fields.string("state", required: true, maxLength: 60)
            let (localities, coordinates) = parseLocalities(fields.list("localities") ?? [], city: slug, collector: collector)
            if let name, let state { cities.append(City(slug: slug, name: name, state: state, localities: localities, coordinates: coordinates)) }
        }
        return collector.diagnostics.isEmpty ? cities : nil
    }
}
