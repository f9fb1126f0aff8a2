import Foundation
import HaatCore

/// A listing of creators: a category, a city, a category in a city, or a tag.
struct Listing: Sendable {
    enum Kind: String, Sendable { case category, city, local, tag }
    let kind: Kind
    let basePath: String
    let heading: String
    let intro: String
    /// Indices into the ranked creators, best first.
    let members: [Int]
    let breadcrumbs: [Link]
    let relatedHeading: String?
    let related: [Link]
}

struct Link: Sendable {
    let name: String
    let path: String
    var count: Int? = nil
}

/// One page to render.
enum PageJob: Sendable {
    case home
    case creator(Int)
    case listing(Int, Pagination)
    case search
    case account
    case dashboard
    case admin
    case notFound
}

/// Decides which pages the site has: every listing of DESIGN.md's URL table, each
/// split into pages of 24.
struct SitePlan: Sendable {
    /// A tag gets its own page only when this many creators share it.
    static let minimumCreatorsPerTag = 2

    let ranked: [SiteCreator]
    let listings: [Listing]
    let jobs: [PageJob]
    /// Creator index → indices of similar creators (discovery's recommendations), best first.
    let similar: [[Int]]
    /// How many of them a creator page shows.
    static let similarShown = 4

    init(ranked: [SiteCreator], similar: [[Int]], catalog: Catalog) {
        self.similar = similar
        self.ranked = ranked
        var byCategory: [Slug: [Int]] = [:]
        var byCity: [Slug: [Int]] = [:]
        var byLocal: [String: [Int]] = [:]
        var byTag: [Tag: [Int]] = [:]
        for (index, site) in ranked.enumerated() {
            for category in site.creator.categories {
                byCategory[category, default: []].append(index)
                byLocal["\(category)/\(site.creator.city)", default: []].append(index)
            }
            byCity[site.creator.city, default: []].append(index)
            for tag in site.creator.tags { byTag[tag, default: []].append(index) }
        }

        var listings: [Listing] = []
        let home = Link(name: "Home", path: "/")
        for category in catalog.categories {
            let members = byCategory[category.slug] ?? []
            let cities = catalog.cities.compactMap { city -> Link? in
                guard let count = byLocal["\(category.slug)/\(city.slug)"]?.count else { return nil }
                return Link(name: city.name, path: "/c/\(category.slug)/in/\(city.slug)/", count: count)
            }
            listings.append(Listing(kind: .category, basePath: "/c/\(category.slug)/", heading: category.name,
                                    intro: category.description, members: members, breadcrumbs: [home],
                                    relatedHeading: "\(category.name) by city", related: cities))
        }
        for city in catalog.cities {
            let members = byCity[city.slug] ?? []
            let categories = catalog.categories.compactMap { category -> Link? in
                guard let count = byLocal["\(category.slug)/\(city.slug)"]?.count else { return nil }
                return Link(name: category.name, path: "/c/\(category.slug)/in/\(city.slug)/", count: count)
            }
            listings.append(Listing(kind: .city, basePath: "/in/\(city.slug)/", heading: "Creators in \(city.name)",
                                    intro: "Local creative teams in \(city.name), \(city.state).", members: members,
                                    breadcrumbs: [home], relatedHeading: "What \(city.name) creators make", related: categories))
        }
        for category in catalog.categories {
            for city in catalog.cities {
                guard let members = byLocal["\(category.slug)/\(city.slug)"] else { continue }
                listings.append(Listing(kind: .local, basePath: "/c/\(category.slug)/in/\(city.slug)/",
                                        heading: "\(category.name) in \(city.name)",
                                        intro: "\(category.description) — from teams in \(city.name).", members: members,
                                        breadcrumbs: [home, Link(name: category.name, path: "/c/\(category.slug)/"), Link(name: city.name, path: "/in/\(city.slug)/")],
                                        relatedHeading: nil, related: []))
            }
        }
        let categorySlugs = Set(catalog.categories.map(\.slug))
        for (tag, members) in byTag.sorted(by: { $0.key < $1.key })
        where members.count >= Self.minimumCreatorsPerTag && !categorySlugs.contains(tag.slug) {
            listings.append(Listing(kind: .tag, basePath: "/tags/\(tag.slug)/", heading: "#\(tag.label)",
                                    intro: "Creators tagged “\(tag.label)”.", members: members,
                                    breadcrumbs: [home], relatedHeading: nil, related: []))
        }
        self.listings = listings

        var jobs: [PageJob] = [.home, .search, .account, .dashboard, .admin, .notFound]
        jobs += ranked.indices.map(PageJob.creator)
        for (index, listing) in listings.enumerated() {
            jobs += Pagination.pages(basePath: listing.basePath, itemCount: listing.members.count).map { .listing(index, $0) }
        }
        self.jobs = jobs
    }

    /// Where a page is written, relative to the site folder.
    static func outputPath(forURLPath path: String) -> String {
        path == "/" ? "index.html" : String(path.dropFirst()) + "index.html"
    }

    /// Tag pages that exist, so creator pages link only to those.
    var tagPages: Set<String> { Set(listings.filter { $0.kind == .tag }.map(\.basePath)) }
}
