import Foundation
import HaatCore
import HaatStore

/// Turns planned pages into HTML through the theme's templates. Builds plain
/// dictionaries for Mustache (which escapes every `{{value}}`); only the cmark-rendered
/// story, theme icons, script-safe JSON-LD and the theme's own pre-rendered partials go
/// out unescaped (`{{{…}}}`).
///
/// What every page shares is made once per build: the footer (`partials/footer`), and a
/// card per creator (`partials/card`) the first time a page needs it, inserted as
/// `{{{footer_html}}}` and `{{{html}}}`. That keeps a 10,000-creator build from
/// rendering the same card a dozen times.
///
/// `fingerprint(of:)` names everything a page's HTML depends on besides the theme, the
/// catalog and the generator itself; a page whose fingerprint did not change since the
/// last build need not be rendered again.
struct PageRenderer: Sendable {
    let theme: Theme
    let catalog: Catalog
    let plan: SitePlan
    let searchManifest: String
    let year: Int
    private let navCategories: [[String: String]]
    private let navCities: [[String: String]]
    private let assets: [String: String]
    private let tagPages: Set<String>
    private let footerHTML: String
    private let cards: CardMemo
    /// Each ranked creator's `cardKey`, computed once: every listing page's fingerprint
    /// names 24 of them, and reading one from `plan.ranked` copies a whole creator.
    private let cardKeys: [String]

    init(theme: Theme, catalog: Catalog, plan: SitePlan, searchManifest: String, year: Int) throws {
        self.theme = theme
        self.catalog = catalog
        self.plan = plan
        self.searchManifest = searchManifest
        self.year = year
        navCategories = catalog.categories.map { ["name": $0.name, "path": "/c/\($0.slug)/"] }
        navCities = catalog.cities.map { ["name": $0.name, "path": "/in/\($0.slug)/"] }
        assets = theme.assetContext
        tagPages = plan.tagPages
        var site: [String: Any] = ["title": catalog.site.title]
        if let tagline = catalog.site.tagline { site["tagline"] = tagline }
        footerHTML = try theme.render("partials/footer", ["site": site, "nav_categories": navCategories, "nav_cities": navCities, "year": year])
        cards = CardMemo(count: plan.ranked.count)
        cardKeys = plan.ranked.map(\.cardKey)
    }

    /// Everything page `job` shows that can change between builds with the same theme
    /// and catalog, as one string (hashed by the caller).
    func fingerprint(of job: PageJob) -> String {
        let ranked = plan.ranked
        switch job {
        case .home:
            let counts = plan.listings.filter { $0.kind == .category || $0.kind == .city }.map { "\($0.basePath)=\($0.members.count)" }
            return "home|\(ranked.count)|" + counts.joined(separator: ",") + "|" + cardKeys.prefix(12).joined(separator: ",")
        case .creator(let index):
            let site = ranked[index]
            let tags = site.creator.tags.map { tagPages.contains("/tags/\($0.slug)/") ? "1" : "0" }.joined()
            return "creator|\(cardKeys[index])|\(site.reviewsKey)|\(tags)|" + plan.similar[index].prefix(SitePlan.similarShown).map { cardKeys[$0] }.joined(separator: ",")
        case .listing(let index, let pagination):
            let listing = plan.listings[index]
            let members = listing.members[pagination.range(itemCount: listing.members.count)].map { cardKeys[$0] }
            let related = (listing.related + listing.areas).map { "\($0.path)=\($0.count ?? 0)" }.joined(separator: ",")
            return "listing|\(listing.basePath)|\(pagination.page)/\(pagination.pageCount)|\(listing.members.count)|\(related)|" + members.joined(separator: ",")
        case .search: return "search|\(searchManifest)"
        case .account: return "account"
        case .dashboard: return "dashboard"
        case .admin: return "admin"
        case .notFound: return "404"
        }
    }

    /// Where `job` is written, relative to the site folder.
    func outputPath(of job: PageJob) -> String {
        switch job {
        case .home: "index.html"
        case .creator(let index): SitePlan.outputPath(forURLPath: plan.ranked[index].path)
        case .listing(_, let pagination): SitePlan.outputPath(forURLPath: pagination.path)
        case .search: "search/index.html"
        case .account: "account/index.html"
        case .dashboard: "dashboard/index.html"
        case .admin: "admin/index.html"
        case .notFound: "404.html"
        }
    }

    /// Renders one job's HTML.
    func render(_ job: PageJob) throws -> String {
        switch job {
        case .home: return try theme.render("home", home())
        case .creator(let index): return try theme.render("creator", creatorPage(index))
        case .listing(let index, let pagination): return try theme.render("listing", listingPage(plan.listings[index], pagination))
        case .search: return try theme.render("search", searchPage())
        case .account: return try theme.render("account", shell("/account/", title: "Your account"))
        case .dashboard: return try theme.render("dashboard", dashboardPage())
        case .admin: return try theme.render("admin", shell("/admin/", title: "Admin console"))
        case .notFound: return try theme.render("404", shell("/404.html", title: "Page not found"))
        }
    }

    // MARK: - Pages

    private func home() -> [String: Any] {
        let site = catalog.site
        var context = base(path: "/", title: site.title, description: site.description ?? site.tagline ?? "Find local creative teams near you.")
        context["is_home"] = true
        context["categories"] = plan.listings.filter { $0.kind == .category }.map { listing -> [String: Any] in
            let category = catalog.categories.first { "/c/\($0.slug)/" == listing.basePath }
            return ["name": listing.heading, "path": listing.basePath, "count": listing.members.count,
                    "description": listing.intro, "icon": icon(category?.icon)]
        }
        context["cities"] = plan.listings.filter { $0.kind == .city }.map { listing -> [String: Any] in
            let city = catalog.cities.first { "/in/\($0.slug)/" == listing.basePath }
            return ["name": city?.name ?? listing.heading, "state": city?.state ?? "", "path": listing.basePath, "count": listing.members.count]
        }
        context["top"] = plan.ranked.indices.prefix(12).map(card)
        context["creator_count"] = plan.ranked.count
        context["has_creators"] = !plan.ranked.isEmpty
        return context
    }

    private func creatorPage(_ index: Int) -> [String: Any] {
        let site = plan.ranked[index]
        let creator = site.creator
        let city = catalog.city(creator.city)
        let categoryNames = creator.categories.compactMap { catalog.category($0)?.name }
        let title = "\(creator.name) — \(categoryNames.first ?? "Creator") in \(creator.area.map { "\($0), " } ?? "")\(city?.name ?? "")"
        let storyHTML = Markdown.html(creator.story)
        let excerpt = Markdown.excerpt(html: storyHTML)
        var context = base(path: site.path, title: title, description: excerpt.isEmpty ? title : excerpt)
        var page = context["page"] as! [String: Any]
        page["og_type"] = "profile"
        if let cover = site.cover { page["og_image"] = catalog.site.baseURL + cover.large.jpegPath }
        page["jsonld"] = StructuredData.localBusiness(site, excerpt: excerpt, catalog: catalog)
        context["page"] = page
        var details: [String: Any] = [
            "name": creator.name,
            "slug": creator.slug.rawValue,
            "path": site.path,
            "categories": creator.categories.compactMap { slug in catalog.category(slug).map { ["name": $0.name, "path": "/c/\(slug)/"] } },
            "city": ["name": city?.name ?? creator.city.rawValue, "state": city?.state ?? "", "path": "/in/\(creator.city)/"],
            "local_path": "/c/\(creator.primaryCategory)/in/\(creator.city)/",
            "local_name": "\(categoryNames.first ?? "") in \(city?.name ?? "")",
            "services": creator.services.map { service -> [String: Any] in
                var item: [String: Any] = ["title": service.title, "price": service.priceFrom.formatted]
                if let description = service.description { item["description"] = description }
                return item
            },
            "portfolio": creator.portfolio.enumerated().compactMap { position, item -> [String: Any]? in
                guard let picture = site.pictures[item.image] else { return nil }
                var entry = Self.imageContext(picture, alt: item.caption ?? "\(creator.name), picture \(position + 1)")
                entry["large"] = picture.large.jpegPath
                if let caption = item.caption { entry["caption"] = caption }
                if position > 0 { entry["lazy"] = true }
                return entry
            },
            "story_html": storyHTML,
            "has_story": !storyHTML.isEmpty,
            "tags": creator.tags.map { tag -> [String: Any] in
                var item: [String: Any] = ["label": tag.label]
                if tagPages.contains("/tags/\(tag.slug)/") { item["href"] = "/tags/\(tag.slug)/" }
                return item
            },
            "has_portfolio": !creator.portfolio.isEmpty,
            "has_tags": !creator.tags.isEmpty,
            "verified": site.verified,
            "contact_path": "/account/?next=\(site.path)",
            "reviews": site.reviews.prefix(Self.reviewsShown).map { review -> [String: Any] in
                var item: [String: Any] = ["rating": review.rating, "stars": Self.stars(review.rating), "name": review.firstName,
                                           "month": Self.month(review.createdAt)]
                if let text = review.text { item["text"] = text }
                return item
            },
        ]
        if let rating = site.rating {
            details["rating"] = ["value": rating.text, "count": rating.count, "plural": rating.count != 1, "stars": Self.stars(Int(Double(rating.text)!.rounded()))]
        }
        if let area = creator.area { details["area"] = area }
        if let since = creator.since { details["since"] = since }
        if !creator.languages.isEmpty { details["languages"] = creator.languages.joined(separator: ", ") }
        if let range = StructuredData.priceRange(creator) { details["price_range"] = range }
        context["creator"] = details
        context["breadcrumbs"] = [
            ["name": "Home", "path": "/"],
            ["name": categoryNames.first ?? "", "path": "/c/\(creator.primaryCategory)/"],
            ["name": city?.name ?? "", "path": "/c/\(creator.primaryCategory)/in/\(creator.city)/"],
        ]
        context["similar"] = plan.similar[index].prefix(SitePlan.similarShown).map(card)
        context["has_similar"] = !plan.similar[index].isEmpty
        return context
    }

    private func listingPage(_ listing: Listing, _ pagination: Pagination) -> [String: Any] {
        let suffix = pagination.page > 1 ? " — page \(pagination.page)" : ""
        var context = base(path: pagination.path, title: "\(listing.heading)\(suffix) · \(catalog.site.title)", description: listing.intro)
        var page = context["page"] as! [String: Any]
        if let previous = pagination.previousPath { page["prev"] = previous }
        if let next = pagination.nextPath { page["next"] = next }
        context["page"] = page
        let range = pagination.range(itemCount: listing.members.count)
        var details: [String: Any] = [
            "kind": listing.kind.rawValue,
            "heading": listing.heading,
            "intro": listing.intro,
            "count": listing.members.count,
            "plural": listing.members.count != 1,
        ]
        if ListingFilterData.filters(listing) { details["filters"] = ListingFilterData.path(of: listing) }
        context["listing"] = details
        context["items"] = listing.members[range].map(card)
        context["is_empty"] = listing.members.isEmpty
        context["breadcrumbs"] = listing.breadcrumbs.map { ["name": $0.name, "path": $0.path] }
        // Sections of links above the list: what the listing's creators make, then its areas.
        var related: [[String: Any]] = []
        for (heading, links) in [(listing.relatedHeading, listing.related), (listing.areasHeading, listing.areas)] {
            guard let heading, !links.isEmpty else { continue }
            related.append(["heading": heading, "links": links.map { ["name": $0.name, "path": $0.path, "count": $0.count ?? 0] }])
        }
        if !related.isEmpty {
            context["related"] = related
        }
        if pagination.pageCount > 1 {
            var pages: [String: Any] = [
                "page": pagination.page,
                "page_count": pagination.pageCount,
                "pages": (1...pagination.pageCount).map { number -> [String: Any] in
                    ["number": number, "path": Pagination.path(basePath: listing.basePath, page: number), "current": number == pagination.page]
                },
            ]
            if let previous = pagination.previousPath { pages["prev"] = previous }
            if let next = pagination.nextPath { pages["next"] = next }
            context["pagination"] = pages
        }
        return context
    }

    private func searchPage() -> [String: Any] {
        var context = base(path: "/search/", title: "Search · \(catalog.site.title)", description: "Search creators by name, category, city, area, tag or service.")
        context["search_manifest"] = searchManifest
        context["search_filters"] = ListingFilterData.searchPath
        context["categories"] = navCategories
        context["cities"] = navCities
        return context
    }

    /// The dashboard's profile editor offers the catalog's categories and cities.
    private func dashboardPage() -> [String: Any] {
        var context = shell("/dashboard/", title: "Creator dashboard")
        context["catalog"] = [
            "categories": catalog.categories.map { ["slug": $0.slug.rawValue, "name": $0.name] },
            "cities": catalog.cities.map { ["slug": $0.slug.rawValue, "name": $0.name] },
        ]
        return context
    }

    private func shell(_ path: String, title: String) -> [String: Any] {
        var context = base(path: path, title: "\(title) · \(catalog.site.title)", description: title)
        context["page"] = (context["page"] as! [String: Any]).merging(["noindex": true]) { $1 }
        return context
    }

    // MARK: - Pieces

    /// What every page shares: site, assets, navigation, page meta.
    private func base(path: String, title: String, description: String) -> [String: Any] {
        let site = catalog.site
        var siteContext: [String: Any] = ["title": site.title, "base_url": site.baseURL, "api_url": site.apiURL, "language": site.language]
        if let tagline = site.tagline { siteContext["tagline"] = tagline }
        return [
            "site": siteContext,
            "assets": assets,
            "page": ["title": title, "description": description, "canonical": site.baseURL + path, "path": path, "og_type": "website"] as [String: Any],
            "footer_html": footerHTML,
            "year": year,
        ]
    }

    /// A creator's card, rendered the first time any page needs it.
    private func card(_ index: Int) -> [String: Any] {
        let html = cards.html(at: index) {
            (try? theme.render("partials/card", Self.cardContext(plan.ranked[index], catalog: catalog))) ?? ""
        }
        return ["html": html]
    }

    /// What `partials/card` sees of a creator.
    private static func cardContext(_ site: SiteCreator, catalog: Catalog) -> [String: Any] {
        let creator = site.creator
        var card: [String: Any] = [
            "name": creator.name,
            "path": site.path,
            "category": catalog.category(creator.primaryCategory)?.name ?? "",
            "city": catalog.city(creator.city)?.name ?? "",
            "verified": site.verified,
            "tags": creator.tags.prefix(3).map(\.label),
        ]
        if let area = creator.area { card["area"] = area }
        if let rating = site.rating { card["rating"] = ["value": rating.text, "count": rating.count] }
        if let price = creator.lowestPrice { card["price_from"] = price.formatted }
        if let cover = site.cover { card["cover"] = imageContext(cover, alt: creator.name) }
        return card
    }

    /// The newest reviews a creator page shows.
    static let reviewsShown = 20

    /// "★★★★☆" for 4 of 5.
    static func stars(_ rating: Int) -> String {
        let full = max(0, min(5, rating))
        return String(repeating: "★", count: full) + String(repeating: "☆", count: 5 - full)
    }

    /// "November 2026": when a review was written, no closer.
    static func month(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Kolkata") ?? .gmt
        let parts = calendar.dateComponents([.year, .month], from: date)
        let names = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        return "\(names[(parts.month ?? 1) - 1]) \(parts.year ?? 0)"
    }

    /// An image's `<picture>`: the narrow variant by default, the browser choosing by
    /// `sizes` (the theme's) from both widths in WebP or JPEG.
    private static func imageContext(_ picture: PublishedImage, alt: String) -> [String: Any] {
        ["src": picture.small.jpegPath, "width": picture.small.width, "height": picture.small.height, "alt": alt,
         "srcset": picture.jpegSourceSet, "srcset_webp": picture.webpSourceSet]
    }

    private func icon(_ name: String?) -> String {
        name.flatMap { theme.icons[$0] } ?? theme.icons["tag"] ?? ""
    }
}

/// Cards rendered so far, shared by the threads rendering pages.
final class CardMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var html: [String?]

    init(count: Int) { html = Array(repeating: nil, count: count) }

    func html(at index: Int, render: () -> String) -> String {
        if let known = lock.withLock({ html[index] }) { return known }
        let rendered = render()
        lock.withLock { html[index] = rendered }
        return rendered
    }
}
