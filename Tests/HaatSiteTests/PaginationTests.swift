import Foundation
import Testing
@testable import HaatSite

/// Listings hold 24 creators a page; page n lives at `<listing>/page/<n>/` with
/// `rel=prev/next` links, and page 1 only at the listing's own address.
struct PaginationTests {
    func site(creators count: Int) async throws -> TestSite {
        var files = TestSite.config
        for index in 0..<count {
            files["content/creators/cake-\(index)/index.md"] = TestSite.creator(
                name: "Cake \(index)", phone: "+91 50000 2\(String(format: "%04d", index))")
        }
        let site = try TestSite(files)
        try await site.approveAllAndBuild()
        return site
    }

    @Test(arguments: [(24, 1), (25, 2), (48, 2), (49, 3)])
    func pageCounts(creators: Int, pages: Int) async throws {
        let site = try await site(creators: creators)
        for page in 2...max(2, pages) {
            #expect(site.exists("c/cakes/page/\(page)/index.html") == (page <= pages), "page \(page) of \(pages)")
        }
        #expect(!site.exists("c/cakes/page/1/index.html"))
        let cards = try #require(site.page("c/cakes/index.html")).ranges(of: "<li class=\"card\">").count
        #expect(cards == min(creators, 24))
    }

    @Test func lastPageHoldsTheRemainderWithRelLinks() async throws {
        let site = try await site(creators: 25)
        let first = try #require(site.page("c/cakes/index.html"))
        #expect(first.contains("<link rel=\"next\" href=\"/c/cakes/page/2/\">"))
        #expect(!first.contains("rel=\"prev\""))
        let second = try #require(site.page("c/cakes/page/2/index.html"))
        #expect(second.contains("<link rel=\"prev\" href=\"/c/cakes/\">"))
        #expect(!second.contains("<link rel=\"next\""))
        #expect(second.ranges(of: "<li class=\"card\">").count == 1)
        #expect(second.contains("page 2 of 2"))
        // The same paging applies to city and local listings.
        #expect(site.exists("in/pune/page/2/index.html"))
        #expect(site.exists("c/cakes/in/pune/page/2/index.html"))
    }

    @Test func paginationArithmetic() {
        let pages = Pagination.pages(basePath: "/c/x/", itemCount: 49)
        #expect(pages.map(\.path) == ["/c/x/", "/c/x/page/2/", "/c/x/page/3/"])
        #expect(pages[2].range(itemCount: 49) == 48..<49)
        #expect(Pagination.pages(basePath: "/c/x/", itemCount: 0).count == 1, "an empty listing still has its page")
    }
}
