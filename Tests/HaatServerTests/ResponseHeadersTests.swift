import Foundation
import HTTPTypes
import HaatCore
import HaatSite
import HaatStore
import Hummingbird
import HummingbirdTesting
import StoreFixtures
import Testing
@testable import HaatServer
import HaatContent

/// Issue 17 §3 over real HTTP: every page type of a really built site carries its
/// Content-Security-Policy and the other headers (Checkout's origins only on creator pages
/// and /account/), its HTML holds no inline script, handler or style the policy would
/// refuse, and every API response is `nosniff` and `no-store` (errors too).
struct ResponseHeadersTests {
    static let apiURL = "https://api.haat.example/api/v1"
    static let csp = HTTPField.Name("Content-Security-Policy")!
    static let permissions = HTTPField.Name("Permissions-Policy")!
    static let referrer = HTTPField.Name("Referrer-Policy")!
    static let nosniff = HTTPField.Name("X-Content-Type-Options")!

    /// The default theme's site of one creator, built for real, served with Razorpay's
    /// Checkout and the API on another origin.
    static func servedSite() async throws -> TestServer {
        let server = try await TestServer(.sqlite) { configuration in
            configuration.payments = PaymentSettings(keyID: "rzp_test_headers", keySecret: "a key secret", webhookSecret: "a webhook secret")
            configuration.apiURL = apiURL
        }
        let site = try #require(TestServer.catalog["site.yml"]).replacingOccurrences(of: "api_url: /api/v1", with: "api_url: \(apiURL)")
        try server.usePublishing(["site.yml": site,
                                  "creators/cake-one/index.md": TestServer.creatorFile(name: "Cake One", account: "cakes@example.com", number: 10001)])
        try await server.importAndApprove(["cake-one"])
        let publishing = server.configuration.publishing
        _ = try await SiteBuilder(options: .init(content: publishing.content, themeFolder: publishing.themeFolder,
                                                 output: URL(fileURLWithPath: server.configuration.siteFolder), store: server.store,
                                                 media: publishing.media, cacheFolder: publishing.cacheFolder)).build()
        return server
    }

    @Test func everyPageTypeCarriesItsPolicy() async throws {
        let server = try await Self.servedSite()
        try await server.run { api in
            let home = try await server.page(api, "/").html
            let stylesheet = try #require(home.firstMatch(of: /href="(\/assets\/app\.[0-9a-f]+\.css)"/)?.1)
            let script = try #require(home.firstMatch(of: /src="(\/assets\/app\.[0-9a-f]+\.js)"/)?.1)
            let pages: [(path: String, checkout: Bool, status: HTTPResponse.Status)] = [
                ("/", false, .ok), ("/creators/cake-one/", true, .ok), ("/c/cakes/", false, .ok), ("/in/pune/", false, .ok),
                ("/c/cakes/in/pune/", false, .ok), ("/search/", false, .ok), ("/account/", true, .ok), ("/dashboard/", false, .ok),
                ("/admin/", false, .ok), ("/no-such-page/", false, .notFound), ("/creators/nobody/", true, .notFound),
                (String(stylesheet), false, .ok), (String(script), false, .ok), ("/sitemap.xml", false, .ok),
            ]
            for (path, checkout, status) in pages {
                try await api.client.execute(uri: path, method: .get) { response in
                    #expect(response.status == status, "\(path)")
                    let csp = response.headers[Self.csp] ?? ""
                    #expect(csp.hasPrefix("default-src 'self'; script-src 'self'"), "\(path): \(csp)")
                    #expect(csp.contains("style-src 'self';") && csp.contains("img-src 'self' data:"), "\(path): \(csp)")
                    #expect(csp.contains("connect-src 'self' https://api.haat.example wss://api.haat.example"), "\(path): \(csp)")
                    #expect(csp.hasSuffix("object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"), "\(path): \(csp)")
                    #expect(!csp.contains("unsafe"), "\(path): \(csp)")
                    #expect(csp.contains("https://checkout.razorpay.com") == checkout, "\(path): \(csp)")
                    #expect(csp.contains("frame-src https://api.razorpay.com") == checkout, "\(path): \(csp)")
                    let permissions = response.headers[Self.permissions] ?? ""
                    #expect(["camera=()", "microphone=()", "geolocation=(self)", "usb=()"].allSatisfy(permissions.contains), "\(path): \(permissions)")
                    #expect(permissions.contains(checkout ? "payment=(\"https://api.razorpay.com\")" : "payment=()"), "\(path): \(permissions)")
                    #expect(response.headers[Self.referrer] == "strict-origin-when-cross-origin", "\(path)")
                    #expect(response.headers[Self.nosniff] == "nosniff", "\(path)")
                    if response.headers[.contentType]?.hasPrefix("text/html") == true {
                        let problems = Self.inlineCode(in: String(buffer: response.body))
                        #expect(problems.isEmpty, "\(path) holds what its policy refuses: \(problems)")
                    }
                }
            }
            // A HEAD and a method the site does not take get them too.
            try await api.client.execute(uri: "/account/", method: .head) { response in
                #expect(response.headers[Self.csp]?.contains("https://checkout.razorpay.com") == true)
            }
            try await api.client.execute(uri: "/", method: .post) { response in
                #expect(response.status.code >= 400 && response.headers[Self.nosniff] == "nosniff" && response.headers[Self.csp] != nil)
            }
        }
        // What a CDN gets: the same headers, a rule for each top-level entry, none in the sitemap.
        let site = URL(fileURLWithPath: server.configuration.siteFolder)
        let headers = try String(contentsOf: site.appendingPathComponent("_headers"), encoding: .utf8)
        let policy = SecurityHeaders(apiURL: Self.apiURL, checkout: .razorpay)
        #expect(headers == policy.headersFile(topLevel: ["404.html", "_headers", "account/", "admin/", "assets/", "c/", "creators/", "dashboard/",
                                                         "in/", "index.html", "robots.txt", "search/", "sitemap.xml"]), "\(headers)")
        let sitemap = try String(contentsOf: site.appendingPathComponent("sitemap.xml"), encoding: .utf8)
        #expect(!sitemap.contains("_headers"))
    }

    /// What a strict CSP refuses in a page: a script element without `src` (JSON-LD is
    /// data, not script), an `on…=` handler, a `javascript:` URL, a style element or attribute.
    static func inlineCode(in html: String) -> [String] {
        var found: [String] = []
        for tag in html.matches(of: /<script\b[^>]*>/) where !tag.0.contains(" src=") && !tag.0.contains("type=\"application/ld+json\"") {
            found.append(String(tag.0))
        }
        for pattern in [/<[^>]*\son[a-z]+\s*=[^>]*>/, /<[^>]*\sstyle\s*=[^>]*>/, /<style\b[^>]*>/, /javascript:/] {
            found += html.matches(of: pattern).map { String($0.0) }
        }
        return found
    }

    @Test func theInlineCodeCheckFindsWhatItLooksFor() {
        #expect(Self.inlineCode(in: #"<script>alert(1)</script><a onclick="x()">a</a><p style="color:red">"#).count == 3)
        #expect(Self.inlineCode(in: #"<script src="/a.js" defer></script><script type="application/ld+json">{}</script>"#).isEmpty)
    }

    @Test func apiResponsesAreNosniffAndNoStore() async throws {
        let server = try await TestServer(.sqlite)
        try await server.run { api in
            let token = try #require(try await api.register("headers@example.com")["access_token"] as? String)
            let replies: [(String, TestServer.Reply)] = [
                ("GET health", try await api.send(.get, "health")),
                ("GET plans", try await api.send(.get, "plans")),
                ("GET me", try await api.send(.get, "me", token: token)),
                ("GET contacts", try await api.send(.get, "contacts", token: token)),
                ("GET me without a token", try await api.send(.get, "me")),
                ("GET admin/stats as a customer", try await api.send(.get, "admin/stats", token: token)),
                ("POST auth/login, malformed", try await api.send(.post, "auth/login", raw: "{")),
                ("POST auth/register, invalid", try await api.send(.post, "auth/register", json: ["email": "x"])),
                ("GET an unknown route", try await api.send(.get, "no-such-route")),
                ("DELETE health", try await api.send(.delete, "health")),
            ]
            for (name, reply) in replies {
                #expect(reply.headers[Self.nosniff] == "nosniff", "\(name)")
                #expect(reply.headers[.cacheControl] == "no-store", "\(name): \(reply.headers[.cacheControl] ?? "none")")
            }
            #expect(Set(replies.map(\.1.status.code)) == [200, 401, 403, 400, 422, 404, 405])
            let document = try await api.send(.get, "openapi.json")
            #expect(document.headers[Self.nosniff] == "nosniff" && document.headers[.cacheControl] == "public, max-age=300")
        }
    }
}
