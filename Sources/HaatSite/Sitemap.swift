import Foundation

/// `sitemap.xml`: every indexable page with its absolute URL and the date its content
/// last changed (so an unchanged site produces the same bytes).
struct Sitemap {
    struct Entry {
        let path: String
        let lastModified: Date?
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
