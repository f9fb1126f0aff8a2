import Foundation
import Testing
@testable import HaatCore

/// The pages' policy, rendered once for `haat serve`, the site's `_headers` and the
/// nginx block of docs/deploying.md: strict everywhere, Checkout's origins only where Checkout opens, the API's
/// origin only when it is another one.
struct SecurityHeadersTests {
    let sameOrigin = SecurityHeaders(apiURL: "/api/v1", checkout: .razorpay)

    @Test func aStandardPageAllowsNothingButItsOwnFiles() {
        let csp = sameOrigin.contentSecurityPolicy(for: .standard)
        #expect(csp == "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
                + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
        #expect(!csp.contains("razorpay") && !csp.contains("unsafe"))
        let permissions = sameOrigin.permissionsPolicy(for: .standard)
        for feature in ["camera=()", "microphone=()", "geolocation=(self)", "payment=()", "usb=()"] {
            #expect(permissions.contains(feature), "\(feature) in \(permissions)")
        }
    }

    @Test func aCheckoutPageAddsRazorpaysOriginsAndNothingElse() {
        let csp = sameOrigin.contentSecurityPolicy(for: .checkout)
        #expect(csp.contains("script-src 'self' https://checkout.razorpay.com https://cdn.razorpay.com;"))
        #expect(csp.contains("frame-src https://api.razorpay.com;"))
        #expect(csp.contains("connect-src 'self' https://api.razorpay.com https://lumberjack.razorpay.com https://lumberjack-metrics.razorpay.com;"))
        #expect(csp.contains("img-src 'self' data: https://cdn.razorpay.com;"))
        #expect(csp.contains("style-src 'self';") && csp.hasSuffix("frame-ancestors 'none'") && !csp.contains("unsafe"))
        #expect(sameOrigin.permissionsPolicy(for: .checkout).contains("payment=(\"https://api.razorpay.com\")"))
        // Without payments set up no page opens Checkout: every page is standard.
        let unpaid = SecurityHeaders(apiURL: "/api/v1", checkout: nil)
        #expect(unpaid.contentSecurityPolicy(for: .checkout) == unpaid.contentSecurityPolicy(for: .standard))
    }

    @Test func checkoutIsRazorpaysOrTheTestStandInsByItsScript() {
        #expect(SecurityHeaders.Checkout(scriptURL: "https://checkout.razorpay.com/v1/checkout.js") == .razorpay)
        let fake = SecurityHeaders.Checkout(scriptURL: "http://127.0.0.1:41234/v1/checkout.js")
        #expect(fake == SecurityHeaders.Checkout(scripts: ["http://127.0.0.1:41234"], connections: ["http://127.0.0.1:41234"]))
        #expect(SecurityHeaders.Checkout(scriptURL: "javascript:alert(1)") == nil)
    }

    @Test func onlyCreatorPagesAndTheAccountPageOpenCheckout() {
        for path in ["/creators/sugar-bloom/", "/creators/sugar-bloom/index.html", "/account/", "/account"] {
            #expect(SecurityHeaders.page(forPath: path) == .checkout, "\(path)")
        }
        for path in ["/", "/index.html", "/c/cakes/", "/search/", "/dashboard/", "/admin/", "/creatorsx/", "/404.html", "/assets/app.1.js"] {
            #expect(SecurityHeaders.page(forPath: path) == .standard, "\(path)")
        }
    }

    @Test func anAPIOnAnotherOriginIsAllowedWithItsWebSocket() {
        #expect(SecurityHeaders.apiOrigins(of: "/api/v1") == [])
        #expect(SecurityHeaders.apiOrigins(of: "https://API.haat.example/api/v1") == ["https://api.haat.example", "wss://api.haat.example"])
        #expect(SecurityHeaders.apiOrigins(of: "http://localhost:8081/api/v1") == ["http://localhost:8081", "ws://localhost:8081"])
        for refused in ["//evil.example/api", "/\\evil.example", "/api v1", "api/v1", "javascript:alert(1)", "ftp://files.example/",
                        "https://user:pw@api.example/", "https://a;b.example/", "https://api.example'/"] {
            #expect(SecurityHeaders.apiOrigins(of: refused) == nil, "\(refused)")
        }
        let other = SecurityHeaders(apiURL: "https://api.haat.example/api/v1", checkout: nil)
        #expect(other.contentSecurityPolicy(for: .standard).contains("connect-src 'self' https://api.haat.example wss://api.haat.example;"))
    }

    @Test func catalogRefusesAnAPIURLThatHasNoOrigin() {
        let result = CatalogParser.parse(.init(site: ("content/site.yml", "title: Haat\nbase_url: https://haat.example\napi_url: //evil.example/api\n"),
                                               categories: ("content/categories.yml", "cakes: {name: Cakes}\n"),
                                               cities: ("content/cities.yml", "pune: {name: Pune, state: MH}\n")))
        guard case .failure(let errors) = result else {
            Issue.record("api_url //evil.example/api must be refused")
            return
        }
        #expect(errors.diagnostics.map(\.description) == [
            "content/site.yml:3: api_url must be a path of the site such as /api/v1, or an http(s) URL such as https://api.haat.example/api/v1",
        ])
    }

    /// Every URL matches exactly one rule that sets the policy: hosts merge a header that
    /// several matching rules set in different ways (Cloudflare joins them, which would
    /// make two policies that both apply).
    @Test func theHeadersFileHasOneRulePerTopLevelEntry() {
        let text = sameOrigin.headersFile(topLevel: ["404.html", "_headers", "account/", "c/", "creators/", "index.html", "sitemap.xml"])
        let rules = text.split(separator: "\n").filter { $0.hasPrefix("/") }.map(String.init)
        #expect(rules == ["/", "/404.html", "/account/*", "/c/*", "/creators/*", "/index.html", "/sitemap.xml"])
        let blocks = text.components(separatedBy: "\n\n").dropFirst()
        for block in blocks {
            let lines = block.split(separator: "\n").map(String.init)
            let page = SecurityHeaders.page(forPath: lines[0])
            #expect(Array(lines.dropFirst()) == sameOrigin.pageHeaders(for: page).map { "  \($0.name): \($0.value)" }, "\(lines[0])")
        }
        #expect(text.contains("/creators/*\n  Content-Security-Policy: \(sameOrigin.contentSecurityPolicy(for: .checkout))\n"))
        #expect(text.contains("/c/*\n  Content-Security-Policy: \(sameOrigin.contentSecurityPolicy(for: .standard))\n"))
    }

    /// The deployment guide's nginx block is what this type renders for the default
    /// site.yml: a change to the policy that leaves the guide behind fails here.
    @Test func deploymentGuidesNginxBlockShowsTheseHeaders() throws {
        let guide = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/deploying.md")
        let text = try String(contentsOf: guide, encoding: .utf8)
        let block = try #require(text.range(of: "```nginx").flatMap { start in text.range(of: "```\n", range: start.upperBound..<text.endIndex).map { text[start.lowerBound..<$0.lowerBound] } })
        for page in SecurityHeaders.Page.allCases {
            for line in sameOrigin.nginxDirectives(for: page) {
                #expect(block.contains(line), "docs/deploying.md's nginx block lacks: \(line)")
            }
        }
    }
}
