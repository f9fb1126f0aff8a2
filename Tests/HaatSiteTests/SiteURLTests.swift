import Foundation
import HaatCore
import Testing
@testable import HaatSite

/// Every URL of DESIGN.md's table is produced, with the content it promises.
struct SiteURLTests {
    func twoCreatorSite() async throws -> TestSite {
        let site = try TestSite(TestSite.config.merging([
            "content/creators/sugar-bloom/index.md": TestSite.creator(
                name: "Sugar Bloom", portfolio: ["cake-1.jpg", "cake-2.jpg"], tags: ["eggless", "birthday"],
                story: "We bake **eggless** cakes in Kothrud."),
            "content/creators/cocoa-lane/index.md": TestSite.creator(
                name: "Cocoa Lane", area: "Baner", phone: "+91 50000 10002", tags: ["eggless"]),
            "content/creators/henna-house/index.md": TestSite.creator(
                name: "Henna House", category: "mehendi", city: "nashik", area: "Gangapur", phone: "+91 50000 10003",
                services: "  - {title: Bridal mehendi, price_from: 5000}\n  - {title: Party mehendi, price_from: 500}"),
        ]) { $1 }, images: [
            "content/creators/sugar-bloom/cake-1.jpg": TestSite.jpeg(width: 800, height: 600, seed: 1),
            "content/creators/sugar-bloom/cake-2.jpg": TestSite.jpeg(width: 600, height: 800, seed: 2),
        ])
        try await site.approveAllAndBuild()
        return site
    }

    @Test func everyURLKindIsWritten() async throws {
        let site = try await twoCreatorSite()
        for path in ["index.html", "creators/sugar-bloom/index.html", "creators/henna-house/index.html",
                     "c/cakes/index.html", "c/mehendi/index.html", "in/pune/index.html", "in/nashik/index.html",
                     "c/cakes/in/pune/index.html", "c/mehendi/in/nashik/index.html", "tags/eggless/index.html",
                     "search/index.html", "account/index.html", "dashboard/index.html", "admin/index.html",
                     "sitemap.xml", "robots.txt", "404.html"] {
            #expect(site.exists(path), "\(path) must be written")
        }
        // A category×city page exists only where creators are; a tag needs two creators.
        #expect(!site.exists("c/mehendi/in/pune/index.html"))
        #expect(!site.exists("tags/birthday/index.html"))
    }

    @Test func creatorPageShowsServicesPortfolioAndStructuredData() async throws {
        let site = try await twoCreatorSite()
        let html = try #require(site.page("creators/henna-house/index.html"))
        #expect(html.contains("<h3>Bridal mehendi</h3><span class=\"price\">from ₹5,000</span>"))
        #expect(html.contains("<link rel=\"canonical\" href=\"https://haat.example/creators/henna-house/\">"))
        #expect(html.contains("<meta property=\"og:title\""))
        #expect(html.contains("\"@type\":\"LocalBusiness\""))
        #expect(html.contains("\"addressLocality\":\"Gangapur, Nashik\""))
        #expect(html.contains("\"addressRegion\":\"Maharashtra\""))
        #expect(html.contains("\"priceRange\":\"₹500–₹5,000\""))
        #expect(html.contains("\"url\":\"https://haat.example/creators/henna-house/\""))
        // Without JavaScript the contact button is a link to the account page.
        #expect(html.contains("href=\"/account/?next=/creators/henna-house/\" data-contact=\"henna-house\""))

        let sugar = try #require(site.page("creators/sugar-bloom/index.html"))
        let images = sugar.ranges(of: "<img ").count
        #expect(images == 2)
        // Every <img> has the size of the variant it loads by default, so nothing shifts.
        #expect(sugar.contains("width=\"480\" height=\"360\""))
        #expect(sugar.contains("width=\"480\" height=\"640\" alt=\"Sugar Bloom, picture 2\" loading=\"lazy\""))
        #expect(sugar.contains("<strong>eggless</strong>"))
        #expect(sugar.contains("<a class=\"chip\" href=\"/tags/eggless/\">#eggless</a>"))
        #expect(sugar.contains("<span class=\"chip\">#birthday</span>"), "a tag without its own page is not a link")
        // Similar creators: same category and city.
        #expect(sugar.contains("href=\"/creators/cocoa-lane/\""))
        #expect(sugar.contains("\"image\":[\"https://haat.example/img/"))
    }

    @Test func imagesArePublishedAsResponsiveVariantsNeverAsOriginals() async throws {
        let site = try await twoCreatorSite()
        let html = try #require(site.page("creators/sugar-bloom/index.html"))
        let stem = try #require(html.firstMatch(of: /src="\/img\/([0-9a-f]{20})-480\.jpg" srcset="\/img\/\1-480\.jpg 480w, \/img\/\1-800\.jpg 800w"/)).1
        #expect(html.contains("<source type=\"image/webp\" srcset=\"/img/\(stem)-480.webp 480w, /img/\(stem)-800.webp 800w\""))
        // Cards on listings use the same variants.
        #expect(try #require(site.page("c/cakes/index.html")).contains("src=\"/img/\(stem)-480.jpg\""))
        for (file, format, width, height) in [("\(stem)-480.jpg", ImageInfo.Format.jpeg, 480, 360), ("\(stem)-800.jpg", .jpeg, 800, 600),
                                              ("\(stem)-480.webp", .webp, 480, 360), ("\(stem)-800.webp", .webp, 800, 600)] {
            let data = try #require(FileManager.default.contents(atPath: site.siteFolder.appendingPathComponent("img/\(file)").path))
            #expect(ImageInfo.read(data) == ImageInfo(format: format, width: width, height: height))
        }
        // Neither original is anywhere in the site.
        let originals = [TestSite.jpeg(width: 800, height: 600, seed: 1), TestSite.jpeg(width: 600, height: 800, seed: 2)]
        let published = try FileManager.default.contentsOfDirectory(atPath: site.siteFolder.appendingPathComponent("img").path)
        #expect(published.count == 8)
        for name in published {
            #expect(!originals.contains(FileManager.default.contents(atPath: site.siteFolder.appendingPathComponent("img/\(name)").path)!))
        }
    }

    @Test func variantsAreMadeOnceAndKeptBetweenBuilds() async throws {
        let site = try await twoCreatorSite()
        try FileManager.default.removeItem(at: site.siteFolder)
        let rebuilt = try await site.build()
        #expect(rebuilt.imagesProcessed == 0)
        #expect(FileManager.default.fileExists(atPath: site.siteFolder.appendingPathComponent("img").path))
        // A new image is the only one processed.
        try site.write(TestSite.jpeg(width: 1200, height: 900, seed: 3), to: "content/creators/cocoa-lane/shop.jpg")
        try site.write(["content/creators/cocoa-lane/index.md": TestSite.creator(
            name: "Cocoa Lane", area: "Baner", phone: "+91 50000 10002", portfolio: ["shop.jpg"], tags: ["eggless"])])
        try await site.approve("cocoa-lane")
        #expect(try await site.build().imagesProcessed == 1)
        let cocoa = try #require(site.page("creators/cocoa-lane/index.html"))
        #expect(cocoa.contains("-960.jpg 960w"))
    }

    @Test func listingsLinkTheirLocalPagesAndCards() async throws {
        let site = try await twoCreatorSite()
        let cakes = try #require(site.page("c/cakes/index.html"))
        #expect(cakes.contains("<h1>Cakes &amp; Bakes</h1>"))
        #expect(cakes.contains("href=\"/c/cakes/in/pune/\">Pune <span class=\"muted\">2</span>"))
        #expect(cakes.contains("href=\"/creators/sugar-bloom/\""))
        #expect(!cakes.contains("href=\"/creators/henna-house/\""))
        let local = try #require(site.page("c/cakes/in/pune/index.html"))
        #expect(local.contains("<h1>Cakes &amp; Bakes in Pune</h1>"))
        let city = try #require(site.page("in/nashik/index.html"))
        #expect(city.contains("href=\"/creators/henna-house/\""))
        let home = try #require(site.page("index.html"))
        #expect(home.contains("href=\"/c/mehendi/\""))
        #expect(home.contains("href=\"/in/nashik/\""))
    }

    @Test func sitemapAndRobotsUseAbsoluteURLs() async throws {
        let site = try await twoCreatorSite()
        let sitemap = try #require(site.page("sitemap.xml"))
        #expect(sitemap.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"))
        #expect(sitemap.contains(#/<url><loc>https://haat\.example/creators/sugar-bloom/</loc><lastmod>\d{4}-\d{2}-\d{2}</lastmod></url>/#))
        #expect(sitemap.contains("<loc>https://haat.example/c/cakes/in/pune/</loc>"))
        #expect(!sitemap.contains("/account/"), "signed-in pages are not for search engines")
        #expect(!sitemap.contains("404"))
        let robots = try #require(site.page("robots.txt"))
        #expect(robots.contains("Sitemap: https://haat.example/sitemap.xml"))
        #expect(robots.contains("Disallow: /api/"))
    }

    @Test func shellPagesAndNotFoundAreNoindex() async throws {
        let site = try await twoCreatorSite()
        for path in ["account/index.html", "dashboard/index.html", "admin/index.html", "404.html"] {
            #expect(try #require(site.page(path)).contains("<meta name=\"robots\" content=\"noindex\">"), "\(path)")
        }
        #expect(!(try #require(site.page("index.html"))).contains("noindex"))
    }

    @Test func assetsAreFingerprinted() async throws {
        let site = try await twoCreatorSite()
        let html = try #require(site.page("index.html"))
        let css = try #require(html.firstMatch(of: /href="\/(assets\/app\.[0-9a-f]{10}\.css)"/))
        #expect(site.exists(String(css.1)))
        let js = try #require(html.firstMatch(of: /src="\/(assets\/app\.[0-9a-f]{10}\.js)"/))
        #expect(site.exists(String(js.1)))
    }

    /// An area (a city's locality) gets its pages, alone and with a category, once two
    /// creators are there: linked from the city's pages and from its neighbours, in the
    /// sitemap, with breadcrumbs back to the city.
    @Test func areasWithTwoCreatorsGetPages() async throws {
        let site = try TestSite(TestSite.config.merging([
            "content/creators/sugar-bloom/index.md": TestSite.creator(name: "Sugar Bloom"),
            "content/creators/cocoa-lane/index.md": TestSite.creator(name: "Cocoa Lane", phone: "+91 50000 10002"),
            "content/creators/henna-hands/index.md": TestSite.creator(name: "Henna Hands", category: "mehendi", phone: "+91 50000 10003"),
            "content/creators/baner-bakes/index.md": TestSite.creator(name: "Baner Bakes", area: "Baner", phone: "+91 50000 10004"),
        ]) { $1 })
        try await site.approveAllAndBuild()
        // Kothrud has three creators, two of them cakes; Baner one.
        #expect(site.exists("in/pune/kothrud/index.html") && site.exists("c/cakes/in/pune/kothrud/index.html"))
        #expect(!site.exists("in/pune/baner/index.html") && !site.exists("c/mehendi/in/pune/kothrud/index.html"))
        let area = try #require(site.page("in/pune/kothrud/index.html"))
        #expect(area.contains("<h1>Creators in Kothrud, Pune</h1>") && area.contains("3 creators"))
        #expect(area.contains(#"href="/in/pune/""#) && area.contains(#"href="/c/cakes/in/pune/kothrud/""#))
        let local = try #require(site.page("c/cakes/in/pune/kothrud/index.html"))
        #expect(local.contains("<h1>Cakes &amp; Bakes in Kothrud, Pune</h1>") && local.contains("Sugar Bloom") && !local.contains("Henna Hands"))
        #expect(try #require(site.page("in/pune/index.html")).contains(#"href="/in/pune/kothrud/""#))
        #expect(try #require(site.page("c/cakes/in/pune/index.html")).contains(#"href="/c/cakes/in/pune/kothrud/""#))
        let sitemap = try #require(site.page("sitemap.xml"))
        #expect(sitemap.contains("/in/pune/kothrud/</loc>") && sitemap.contains("/c/cakes/in/pune/kothrud/</loc>") && !sitemap.contains("/in/pune/baner/"))
        #expect(SitePlan.areaSegment("Koregaon Park") == "koregaon-park" && SitePlan.areaSegment("Page") == nil)
    }

    /// An area's neighbours come nearest first where cities.yml says where they are.
    @Test func neighboursAreNearestFirst() {
        let city = City(slug: Slug("pune")!, name: "Pune", state: "Maharashtra", localities: ["Kothrud", "Viman Nagar", "Baner", "Wakad"],
                        coordinates: ["Kothrud": Coordinates(latitude: 18.5074, longitude: 73.8077),
                                      "Viman Nagar": Coordinates(latitude: 18.5679, longitude: 73.9143),
                                      "Baner": Coordinates(latitude: 18.5590, longitude: 73.7868)])
        let links = city.localities.map { Link(name: $0, path: "/in/pune/\(SitePlan.areaSegment($0)!)/") }
        #expect(SitePlan.neighbours(of: links[0], among: links, in: city).map(\.name) == ["Baner", "Viman Nagar", "Wakad"])
        #expect(SitePlan.neighbours(of: links[3], among: links, in: city).map(\.name) == ["Kothrud", "Viman Nagar", "Baner"])
    }

    /// The built site's search index as a lookup: creators whose terms begin with a word
    /// (under five letters; whole words otherwise), each with where it was found (the
    /// posting's `id × 8 + weight`: 5 phrase, 4 name, 3 city or locality, 2 category, 1 tag,
    /// 0 service), and the first result chunk.
    func searchIndex(of site: TestSite) throws -> (search: (String) throws -> [String: Int], chunk: [[Any]]) {
        let page = try #require(site.page("search/index.html"))
        let manifestPath = try #require(page.firstMatch(of: /data-manifest="\/(search\/manifest\.[0-9a-f]{10}\.json)"/))
        let manifest = try JSONSerialization.jsonObject(with: Data(try #require(site.page(String(manifestPath.1))).utf8)) as! [String: Any]
        let shards = manifest["shards"] as! [String: String]
        let docs = manifest["docs"] as! [String]
        let chunk = try JSONSerialization.jsonObject(with: Data(try #require(site.page(String(docs[0].dropFirst()))).utf8)) as! [[Any]]
        func search(_ word: String) throws -> [String: Int] {
            guard let shardPath = shards[String(word.prefix(2))], let text = site.page(String(shardPath.dropFirst())) else { return [:] }
            let postings = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: [Int]]
            var found: [String: Int] = [:]
            for (term, deltas) in postings where term == word || (term.hasPrefix(word) && word.count < 5) {
                var value = 0
                for delta in deltas {
                    value += delta
                    let slug = chunk[value >> 3][0] as! String
                    found[slug] = max(found[slug] ?? 0, value & 7)
                }
            }
            return found
        }
        return (search, chunk)
    }

    @Test func searchIndexFindsCreatorsByEveryField() async throws {
        let site = try await twoCreatorSite()
        let (search, chunk) = try searchIndex(of: site)
        #expect(try search("sugar") == ["sugar-bloom": 4])                       // name
        #expect(try search("mehendi") == ["henna-house": 2])                     // category (and a service)
        #expect(try search("nashik") == ["henna-house": 3])                      // city
        #expect(try search("baner") == ["cocoa-lane": 3])                        // area
        #expect(try search("eggl") == ["sugar-bloom": 1, "cocoa-lane": 1])       // tag, by prefix
        #expect(try search("bridal") == ["henna-house": 1])                      // a service title, and the tag the build finds in it
        #expect(try search("bridalmehendi") == ["henna-house": 5])               // that tag's two words as one phrase
        #expect(try search("photograph") == [:] && search("zebra") == [:])
        // A result has ten fields: slug, name, category, city, area, price, picture, verified, rating × 10, reviews.
        #expect(chunk.allSatisfy { $0.count == 10 })
    }

    /// A tag's two words side by side are a phrase term ("cakebox" for cake-box), which
    /// never replaces the same term found in its own right: a creator named "Cakebox"
    /// tagged cake-box keeps its name's weight for "cakebox".
    @Test func aPhraseNeverHidesTheSameWordInTheName() async throws {
        let site = try TestSite(TestSite.config.merging([
            "content/creators/cakebox/index.md": TestSite.creator(name: "Cakebox", tags: ["cake-box"]),
            "content/creators/tin-treats/index.md": TestSite.creator(name: "Tin Treats", phone: "+91 50000 10002", tags: ["cake-box"]),
        ]) { $1 })
        try await site.approveAllAndBuild()
        let (search, _) = try searchIndex(of: site)
        #expect(try search("cakebox") == ["cakebox": 4, "tin-treats": 5])
    }
}
