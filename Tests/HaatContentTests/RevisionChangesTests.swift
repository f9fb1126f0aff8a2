import Foundation
@testable import HaatContent
import HaatCore
import HaatStore
import Testing

/// The admin's diff by field: what an approval would change, by meaning, not by line.
struct RevisionChangesTests {
    static let catalog = Catalog(
        site: SiteConfig(title: "Test", baseURL: "https://haat.example"),
        categories: [Category(slug: Slug("cakes")!, name: "Cakes", description: "", icon: "cake")],
        cities: [City(slug: Slug("pune")!, name: "Pune", state: "Maharashtra", localities: ["Kothrud"])])

    static let approvedText = """
        ---
        name: Sugar Bloom
        category: cakes
        city: pune
        area: Kothrud
        account: owner@example.com
        contact:
          phone: "+91 50000 12345"
        services:
          - {title: Birthday cake, price_from: 800}
          - {title: Cupcakes, price_from: 300}
        portfolio:
          - image: cake-1.jpg
        ---
        We bake cakes.
        """

    /// The same profile as the dashboard's form writes it back: other quoting, another
    /// phone format, block style, and one new price.
    static let reformattedText = """
        ---
        name: "Sugar Bloom"
        category: "cakes"
        city: "pune"
        area: "Kothrud"
        account: "owner@example.com"
        contact:
          phone: "+915000012345"
        services:
          - title: "Birthday cake"
            price_from: 900
          - title: "Cupcakes"
            price_from: 300
        portfolio:
          - image: "cake-1.jpg"
        ---
        We bake cakes.

        """

    static func revision(_ text: String, images: [(String, String)]) -> StoredRevision {
        StoredRevision(slug: Slug("sugar-bloom")!, contentSHA256: String(text.hashValue), text: text,
                       images: images.map { RevisionImage(name: $0.0, sha256: $0.1, bytes: 10, info: ImageInfo(format: .jpeg, width: 4, height: 3)) },
                       state: .pending, createdAt: Date())
    }

    @Test func aReformattedPriceEditIsOneChangedField() {
        let changes = RevisionChanges(approved: Self.revision(Self.approvedText, images: [("cake-1.jpg", "a")]),
                                      current: Self.revision(Self.reformattedText, images: [("cake-1.jpg", "a")]), catalog: Self.catalog)
        #expect(changes.fields == [RevisionChanges.Field(key: "services", label: "Services and prices",
                                                         before: "Birthday cake: from ₹800\nCupcakes: from ₹300",
                                                         after: "Birthday cake: from ₹900\nCupcakes: from ₹300")])
        #expect(changes.pictures.isEmpty)
    }

    @Test func newAndReplacedPicturesAreNamedUnchangedOnesAreNot() {
        let changes = RevisionChanges(approved: Self.revision(Self.approvedText, images: [("cake-1.jpg", "a"), ("cake-2.jpg", "b")]),
                                      current: Self.revision(Self.approvedText, images: [("cake-1.jpg", "a"), ("cake-2.jpg", "c"), ("cake-3.jpg", "d")]),
                                      catalog: Self.catalog)
        #expect(changes.fields == [])
        #expect(changes.pictures == [.init(name: "cake-2.jpg", change: .replaced), .init(name: "cake-3.jpg", change: .added)])
    }

    @Test func aNewProfileListsEveryFieldItHasAsAdded() {
        let changes = RevisionChanges(approved: nil, current: Self.revision(Self.approvedText, images: [("cake-1.jpg", "a")]), catalog: Self.catalog)
        #expect(changes.fields?.map(\.key) == ["name", "categories", "city", "area", "contact", "services", "portfolio", "story"])
        #expect(changes.fields?.allSatisfy { $0.before == nil } == true)
        #expect(changes.pictures == [.init(name: "cake-1.jpg", change: .added)])
    }

    @Test func aTextThatNoLongerParsesLeavesTheFieldsToTheRawDiff() {
        let broken = Self.approvedText.replacingOccurrences(of: "city: pune", with: "city: atlantis")
        let changes = RevisionChanges(approved: Self.revision(broken, images: []), current: Self.revision(Self.approvedText, images: []), catalog: Self.catalog)
        #expect(changes.fields == nil)
    }
}
