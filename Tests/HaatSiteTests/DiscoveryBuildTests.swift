import Foundation
import HaatCore
import HaatStore
import Testing
@testable import HaatSite

/// Discovery in a real build: extracted tags on pages and tag pages, listings ranked by
/// engagement from the store, similar creators on pages and in each creator's JSON.
struct DiscoveryBuildTests {
    static let files = TestSite.config.merging([
        "content/creators/sugar-bloom/index.md": TestSite.creator(
            name: "Sugar Bloom", phone: "+91 50000 10001", services: "  - {title: Eggless birthday cakes, price_from: 800}", story: "Cakes for every party."),
        "content/creators/cocoa-lane/index.md": TestSite.creator(
            name: "Cocoa Lane", phone: "+91 50000 10002", services: "  - {title: Eggless theme cakes, price_from: 900}", story: "Cakes for every party."),
        "content/creators/nashik-crumbs/index.md": TestSite.creator(
            name: "Nashik Crumbs", city: "nashik", area: nil, phone: "+91 50000 10003",
            services: "  - {title: Eggless birthday cakes, price_from: 700}", story: "Cakes for every party."),
        "content/creators/henna-house/index.md": TestSite.creator(
            name: "Henna House", category: "mehendi", phone: "+91 50000 10004", services: "  - {title: Bridal mehndi, price_from: 3000}",
            story: "Bridal henna for every wedding."),
    ]) { $1 }

    @Test func extractedTagsGetPagesButNeverDuplicateACategory() async throws {
        let site = try TestSite(Self.files)
        try await site.approve("sugar-bloom", "cocoa-lane", "nashik-crumbs", "henna-house")
        try await site.build()
        let page = try #require(site.page("creators/sugar-bloom/index.html"))
        #expect(page.contains("href=\"/tags/eggless/\""), "eggless, from the service title, has a tag page (three creators)")
        #expect(page.contains("#birthday cake"))
        #expect(site.exists("tags/eggless/index.html"))
        #expect(!site.exists("tags/cakes/index.html") && !site.exists("tags/mehendi/index.html"))
        #expect(try #require(site.page("creators/henna-house/index.html")).contains("#bridal mehendi"))
    }

    @Test func engagementRanksListingsAndSimilarCreatorsPreferTheSameCity() async throws {
        let site = try TestSite(Self.files)
        try await site.approve("sugar-bloom", "cocoa-lane", "nashik-crumbs", "henna-house")
        try await site.build()
        var listing = try #require(site.page("c/cakes/index.html"))
        let before = try #require(listing.range(of: "Cocoa Lane")).lowerBound < (try #require(listing.range(of: "Sugar Bloom")).lowerBound)
        #expect(before, "equal profiles: by name")

        // Customers ask Sugar Bloom for its number, recently, and it answers.
        for index in 0..<6 {
            let customer = try await site.store.createAccount(email: EmailAddress("c\(index)@example.com")!, name: "C \(index)", role: .customer,
                                                              passwordHash: "x")
            for slug in ["sugar-bloom", "henna-house"] {
                _ = try await site.store.revealContact(ContactRequest(customerID: customer.id, creatorSlug: slug, service: nil, message: nil,
                                                                      callbackPhone: nil, clientAddress: "127.0.0.1", freeLimit: 5))
            }
        }
        for lead in try await site.store.leads(ownedBy: "owner@example.com", status: nil, limit: 100, after: nil).items {
            _ = try await site.store.setStatus(.responded, ofLead: lead.contactID, ownedBy: "owner@example.com", at: Date())
        }
        try await site.build()
        listing = try #require(site.page("c/cakes/index.html"))
        #expect(try #require(listing.range(of: "Sugar Bloom")).lowerBound < (try #require(listing.range(of: "Cocoa Lane")).lowerBound))

        let json = try #require(site.page("creators/sugar-bloom/similar.json"))
        let similar = try #require((try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["similar"] as? [[String: Any]])
        let slugs = similar.compactMap { $0["slug"] as? String }
        #expect(slugs.first { $0 != "henna-house" } == "cocoa-lane", "of the cake makers, the same city first: \(slugs)")
        #expect(slugs.firstIndex(of: "cocoa-lane")! < slugs.firstIndex(of: "nashik-crumbs")!)
        #expect(slugs.first == "henna-house", "co-contacted by all six customers: \(slugs)")
        #expect(!json.contains("50000"), "no private data in the JSON")
        #expect(try #require(site.page("creators/sugar-bloom/index.html")).contains("href=\"/creators/cocoa-lane/\""))
    }

    /// Lines a build logs, kept for assertions.
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func add(_ line: String) { lock.withLock { lines.append(line) } }
        var discovery: String { lock.withLock { lines.first { $0.contains("discovery:") } ?? "" } }
    }

    @Test func aRebuildRedoesDiscoveryOnlyForWhatChanged() async throws {
        let site = try TestSite(Self.files)
        try await site.approve("sugar-bloom", "cocoa-lane", "nashik-crumbs", "henna-house")
        let first = Lines()
        try await site.build(log: first.add)
        #expect(first.discovery.contains("4 profiles tagged, 4 similar lists computed"), "\(first.discovery)")
        let firstJSON = site.page("creators/cocoa-lane/similar.json")

        let same = Lines()
        let unchanged = try await site.build(log: same.add)
        #expect(same.discovery.contains("0 profiles tagged, 0 similar lists computed, 4 reused"), "\(same.discovery)")
        #expect(unchanged.written == 0 && site.page("creators/cocoa-lane/similar.json") == firstJSON)

        // One creator changes: only it is tagged again, and the lists it appears in are redone.
        try site.write(["content/creators/cocoa-lane/index.md": TestSite.creator(
            name: "Cocoa Lane", phone: "+91 50000 10002", services: "  - {title: Eggless brownies and cupcakes, price_from: 900}",
            story: "Cakes for every party.")])
        try await site.approve("cocoa-lane")
        let one = Lines()
        try await site.build(log: one.add)
        #expect(one.discovery.contains("1 profiles tagged"), "\(one.discovery)")
        let page = try #require(site.page("creators/cocoa-lane/index.html"))
        #expect(page.contains("#brownies") && page.contains("#cupcakes"))
        #expect(try #require(site.page("creators/sugar-bloom/similar.json")).contains("cocoa-lane"))
    }
}
