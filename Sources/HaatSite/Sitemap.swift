import Foundation

/// `sitemap.xml`: every indexable page with its absolute URL and the date its content
/// last changed (so an unchanged site produces the same bytes).
struct Sitemap {
    struct Entry {
        let path: String
        let lastModified: Date?
    }

    /// Every page of `plan` a search engine should index: the home page, search, each
    /// creator, and every page of every listing, each dated by its newest approval.
    static func entries(_ plan: SitePlan) -> [Entry] {
        var entries = [Entry(path: "/", lastModified: plan.ranked.map(\.approvedAt).max()), Entry(path: "/search/", lastModified: nil)]
        entries += plan.ranked.map { Entry(path: $0.path, lastModified: $0.approvedAt) }
        for listing in plan.listings {
            let lastModified = listing.members.map { plan.ranked[$0].approvedAt }.max()
            for page in Pagination.pages(basePath: listing.basePath, itemCount: listing.members.count) {
                entries.append(Entry(path: page.path, lastModified: lastModified))
            }
        }
        return entries
    }

    static func xml(baseURL: String, entries: [Entry]) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for entry in entries.sorted(by: { $0.path < $1.path }) {
            xml += "<url><loc>\(HTML.escape(baseURL + entry.path))</loc>"
            if let date = entry.lastModified { xml += "<lastmod>\(formatter.string(from: date))</lastmod>" }
            xml += "</url>\n"
        }
        return xml + "</urlset>\n"
    }
}
