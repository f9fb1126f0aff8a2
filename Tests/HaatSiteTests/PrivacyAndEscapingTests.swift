import Foundation
import HaatCore
import HaatSite
import Testing

/// No private contact data under site/, ever; no markup or script from content.
struct PrivacyAndEscapingTests {
    @Test func contactDetailsAndAccountNeverReachTheSite() async throws {
        let text = """
            ---
            name: Sugar Bloom
            category: cakes
            city: pune
            account: private-owner@example.com
            contact:
              phone: "+91 50000 19876"
              whatsapp: "+91 50000 17777"
              email: secret-desk@sugar.example
            services:
              - {title: Cake, price_from: 900}
            ---
            Cakes.
            """
        let site = try TestSite(TestSite.config.merging(["content/creators/sugar-bloom/index.md": text]) { $1 })
        try await site.approveAllAndBuild()
        #expect(site.exists("creators/sugar-bloom/index.html"))
        for (path, (data, _)) in site.snapshot() {
            let body = String(decoding: data, as: UTF8.self)
            let digits = body.filter(\.isNumber)
            for secret in ["5000019876", "5000017777"] { #expect(!digits.contains(secret), "\(path) leaks a phone number") }
            for secret in ["private-owner@example.com", "secret-desk@sugar.example"] { #expect(!body.contains(secret), "\(path) leaks \(secret)") }
        }
    }

    /// A profile's own number in its story is refused where it is written, with its
    /// line: such a revision is never recorded, so it can never stop the site's builds.
    @Test func aProfilesOwnNumberInItsStoryIsRefusedAtImport() async throws {
        let site = try TestSite(TestSite.config.merging([
            "content/creators/sugar-bloom/index.md": TestSite.creator(name: "Sugar Bloom", phone: "+91 50000 12121", story: "Call us: 50000-121-21!"),
        ]) { $1 })
        let errors = await #expect(throws: ContentErrors.self) { try await site.approveAllAndBuild() }
        // The creator file has 11 lines of front matter (both fences included); the story follows.
        #expect(errors?.diagnostics.map(\.description) == [
            "\(site.content.displayPath(site.content.bundle(Slug("sugar-bloom")!).index)):12: the story contains this profile's private phone number (500…21): remove it; customers get the number only through the contact button",
        ])
        #expect(try await site.store.creator(Slug("sugar-bloom")!) == nil, "nothing is recorded")
        #expect(!site.exists("index.html"), "nothing is published")
    }

    /// The build's own check stays, for what no profile's validation can see: one
    /// creator's number written into another creator's story.
    @Test func anotherCreatorsNumberInAStoryStopsTheBuild() async throws {
        let site = try TestSite(TestSite.config.merging([
            "content/creators/sugar-bloom/index.md": TestSite.creator(name: "Sugar Bloom", phone: "+91 50000 12121"),
            "content/creators/henna-house/index.md": TestSite.creator(name: "Henna House", phone: "+91 50000 10003", story: "Our friends bake: 50000-121-21!"),
        ]) { $1 })
        let error = await #expect(throws: BuildError.self) { try await site.approveAllAndBuild() }
        guard case .privateDataLeak(_, let what) = error else {
            Issue.record("expected the privacy guard to stop the build, got \(String(describing: error))")
            return
        }
        #expect(what == "a creator's phone number (500…21)")
        #expect(!site.exists("index.html"), "nothing is published")
    }

    @Test func hostileValuesAreEscapedEverywhere() async throws {
        let text = """
            ---
            name: "<script>alert('name')</script> & Co"
            category: cakes
            city: pune
            account: owner@example.com
            contact:
              phone: "+91 50000 10001"
            services:
              - title: "<img src=x onerror=alert(1)>"
                price_from: 500
                description: "\\"><b>bold</b>"
            tags: [safe]
            ---
            Hello <script>alert("story")</script> <iframe src="https://evil.example"></iframe>

            [click](javascript:alert(1)) and [mail](vbscript:msgbox) and ![x](data:text/html;base64,PHNjcmlwdD4=)
            """
        let site = try TestSite(TestSite.config.merging(["content/creators/evil/index.md": text]) { $1 })
        try await site.approveAllAndBuild()
        for path in ["creators/evil/index.html", "c/cakes/index.html", "index.html"] {
            let html = try #require(site.page(path))
            #expect(!html.contains("<script>alert"), "\(path)")
            #expect(!html.contains("<img src=x"), "\(path)")
            #expect(!html.contains("<b>bold</b>"), "\(path)")
            #expect(!html.contains("<iframe"), "\(path)")
            #expect(!html.lowercased().contains("javascript:"), "\(path)")
            #expect(!html.lowercased().contains("vbscript:"), "\(path)")
            #expect(!html.contains("data:text/html"), "\(path)")
        }
        let page = try #require(site.page("creators/evil/index.html"))
        #expect(page.contains("&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt; &amp; Co"))
        #expect(page.contains("&lt;img src=x onerror=alert(1)&gt;"))
        // JSON-LD cannot be closed from inside.
        let jsonLD = try #require(page.firstMatch(of: /<script type="application\/ld\+json">(.*?)<\/script>/))
        #expect(!jsonLD.1.contains("<"))
        #expect(jsonLD.1.contains("\\u003cscript\\u003e"))
    }
}
