import Foundation
import HaatCore

/// A listing of creators: a category, a city, a category in a city, a tag, an area (a
/// city's locality), or a category in an area.
struct Listing: Sendable {
    enum Kind: String, Sendable { case category, city, local, tag, area, localArea = "local-area" }
    let kind: Kind
    let basePath: String
    let heading: String
    let intro: String
    /// Indices into the ranked creators, best first.
    let members: [Int]
    let breadcrumbs: [Link]
    let relatedHeading: String?
    let related: [Link]
    /// The areas with pages within this listing (a city's, a category in a city's), or
    /// beside it (an area's neighbours).
    var areasHeading: String? = nil
    var areas: [Link] = []
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
    /// An area (a locality of a city), alone or with a category, likewise.
    static let minimumCreatorsPerArea = 2

    /// The URL segment of a locality: "Koregaon Park" → "koregaon-park"; nil for a name
    /// that makes none, or "page", which a listing's own pages use.
    static func areaSegment(_ name: String) -> String? {
        let words = name.lowercased().folding(options: .diacriticInsensitive, locale: nil)
            .split(whereSeparator: { !($0.isASCII && ($0.isLetter || $0.isNumber)) })
        let segment = words.joined(separator: "-")
        guard let slug = Slug(segment), slug.rawValue != "page" else { return nil }
        return slug.rawValue
    }

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
        // "city/area" and "category/city/area", by the area's URL segment.
        var byArea: [String: [Int]] = [:]
        var byLocalArea: [String: [Int]] = [:]
        for (index, site) in ranked.enumerated() {
            let area = site.creator.area.flatMap(Self.areaSegment)
            for category in site.creator.categories {
                byCategory[category, default: []].append(index)
                byLocal["\(category)/\(site.creator.city)", default: []].append(index)
                if let area { byLocalArea["\(category)/\(site.creator.city)/\(area)", default: []].append(index) }
            }
            byCity[site.creator.city, default: []].append(index)
            if let area { byArea["\(site.creator.city)/\(area)", default: []].append(index) }
            for tag in site.creator.tags { byTag[tag, default: []].append(index) }
        }
        /// A city's localities with at least `minimumCreatorsPerArea` creators in `counts`
        /// (under `prefix`), in cities.yml's order: each's URL segment, its members, and a
        /// link under `basePath`.
        func areasWithPages(of city: City, counts: [String: [Int]], prefix: String, basePath: String) -> [(segment: String, members: [Int], link: Link)] {
            city.localities.compactMap { name in
                guard let segment = Self.areaSegment(name), let members = counts[prefix + segment],
                      members.count >= Self.minimumCreatorsPerArea else { return nil }
                return (segment, members, Link(name: name, path: basePath + segment + "/", count: members.count))
            }
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
            let areas = areasWithPages(of: city, counts: byArea, prefix: "\(city.slug)/", basePath: "/in/\(city.slug)/")
            let areaLinks = areas.map(\.link)
            listings.append(Listing(kind: .city, basePath: "/in/\(city.slug)/", heading: "Creators in \(city.name)",
                                    intro: "Local creative teams in \(city.name), \(city.state).", members: members,
                                    breadcrumbs: [home], relatedHeading: "What \(city.name) creators make", related: categories,
                                    areasHeading: "Areas of \(city.name)", areas: areaLinks))
            for (segment, areaMembers, area) in areas {
                let areaCategories = catalog.categories.compactMap { category -> Link? in
                    guard let count = byLocalArea["\(category.slug)/\(city.slug)/\(segment)"]?.count,
                          count >= Self.minimumCreatorsPerArea else { return nil }
                    return Link(name: category.name, path: "/c/\(category.slug)/in/\(city.slug)/\(segment)/", count: count)
                }
                listings.append(Listing(kind: .area, basePath: area.path, heading: "Creators in \(area.name), \(city.name)",
                                        intro: "Local creative teams in \(area.name), \(city.name).", members: areaMembers,
                                        breadcrumbs: [home, Link(name: city.name, path: "/in/\(city.slug)/")],
                                        relatedHeading: "What \(area.name) creators make", related: areaCategories,
                                        areasHeading: "Nearby in \(city.name)", areas: Self.neighbours(of: area, among: areaLinks, in: city)))
            }
        }
        for category in catalog.categories {
            for city in catalog.cities {
                guard let members = byLocal["\(category.slug)/\(city.slug)"] else { continue }
                let localPath = "/c/\(category.slug)/in/\(city.slug)/"
                let areas = areasWithPages(of: city, counts: byLocalArea, prefix: "\(category.slug)/\(city.slug)/", basePath: localPath)
                let areaLinks = areas.map(\.link)
                listings.append(Listing(kind: .local, basePath: localPath,
                                        heading: "\(category.name) in \(city.name)",
                                        intro: "\(category.description) — from teams in \(city.name).", members: members,
                                        breadcrumbs: [home, Link(name: category.name, path: "/c/\(category.slug)/"), Link(name: city.name, path: "/in/\(city.slug)/")],
                                        relatedHeading: nil, related: [], areasHeading: "\(category.name) by area of \(city.name)", areas: areaLinks))
                for (_, areaMembers, area) in areas {
                    listings.append(Listing(kind: .localArea, basePath: area.path, heading: "\(category.name) in \(area.name), \(city.name)",
                                            intro: "\(category.description) — from teams in \(area.name), \(city.name).",
                                            members: areaMembers,
                                            breadcrumbs: [home, Link(name: category.name, path: "/c/\(category.slug)/"),
                                                          Link(name: city.name, path: localPath)],
                                            relatedHeading: nil, related: [],
                                            areasHeading: "\(category.name) nearby in \(city.name)",
                                            areas: Self.neighbours(of: area, among: areaLinks, in: city)))
                }
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

    /// The other areas, nearest first where cities.yml says where both are (the rest
    /// after, in its order).
    static func neighbours(of area: Link, among areas: [Link], in city: City) -> [Link] {
        let others = areas.filter { $0.path != area.path }
        guard let here = city.coordinates[area.name] else { return others }
        let placed = others.compactMap { other in city.coordinates[other.name].map { (other, here.kilometres(to: $0)) } }
        return placed.sorted { $0.1 < $1.1 }.map(\.0) + others.filter { city.coordinates[$0.name] == nil }
    }

    /// Where a page is written, relative to the site folder.
    static func outputPath(forURLPath path: String) -> String {
        path == "/" ? "index.html" : String(path.dropFirst()) + "index.html"
    }

    /// Tag pages that exist, so creator pages link only to those.
    var tagPages: Set<String> { Set(listings.filter { $0.kind == .tag }.map(\.basePath)) }
}
