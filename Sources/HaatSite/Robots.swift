/// `robots.txt`: everything public may be crawled; the API and the signed-in pages not.
struct Robots {
    static func text(baseURL: String) -> String {
        """
        User-agent: *
        Disallow: /account/
        Disallow: /dashboard/
        Disallow: /admin/
        Disallow: /api/

        Sitemap: \(baseURL)/sitemap.xml

        """
    }
}
