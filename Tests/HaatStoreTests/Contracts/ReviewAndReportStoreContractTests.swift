import Foundation
import HaatCore
import HaatStore
import StoreFixtures
import Testing

/// Reviews and reports behave the same on every store.
struct ReviewAndReportStoreContractTests {
    @Test(arguments: StoreKind.allCases) func reviewsFromContactToPublication(_ kind: StoreKind) async throws {
        let opened = try await kind.open()
        let store = opened.store
        let customer = try await ContactStoreContractTests.marketplace(in: store)
        let stranger = try await store.createAccount(email: EmailAddress("x@example.com")!, name: "X", role: .customer, passwordHash: "h")
        guard case .revealed(let reveal) = try await store.revealContact(ContactStoreContractTests.request(customer.id, "cake-a")) else {
            Issue.record("not revealed"); return
        }
        #expect(try await store.createReview(contactID: reveal.contactID, customerID: stranger.id, rating: 5, text: nil, now: Date()) == .contactNotFound)
        guard case .created(let review) = try await store.createReview(contactID: reveal.contactID, customerID: customer.id, rating: 4,
                                                                      text: "Lovely cake", now: Date()) else { Issue.record("no review"); return }
        #expect(review.status == .pending && review.creatorSlug == "cake-a")
        #expect(try await store.createReview(contactID: reveal.contactID, customerID: customer.id, rating: 1, text: nil, now: Date()) == .alreadyReviewed)
        #expect(try await store.reviews(status: .pending, limit: 10, after: nil).items.map(\.id) == [review.id])
        #expect(try await store.publishedReviews().isEmpty)
        #expect(try await store.decideReview(review.id, status: .approved, by: "root", now: Date())?.status == .approved)
        #expect(try await store.decideReview("nothing", status: .approved, by: "root", now: Date()) == nil)
        let published = try await store.publishedReviews()[Slug("cake-a")!]
        #expect(published?.map(\.firstName) == ["Asha"] && published?.first?.text == "Lovely cake")
        try await opened.close()
    }

    @Test(arguments: StoreKind.allCases) func reportsAndTheirResolution(_ kind: StoreKind) async throws {
        let opened = try await kind.open()
        let store = opened.store
        let customer = try await ContactStoreContractTests.marketplace(in: store)
        let maker = try await store.createAccount(email: EmailAddress("maker@example.com")!, name: "Maker", role: .creator, passwordHash: "h")
        let stranger = try await store.createAccount(email: EmailAddress("x@example.com")!, name: "X", role: .customer, passwordHash: "h")
        guard case .revealed(let reveal) = try await store.revealContact(ContactStoreContractTests.request(customer.id, "cake-a")) else {
            Issue.record("not revealed"); return
        }
        #expect(try await store.createReport(by: stranger.id, subject: .contact(reveal.contactID), reason: .abuse, details: nil, now: Date())
            == .subjectNotFound, "only its customer or its creator may report a contact")
        #expect(try await store.createReport(by: stranger.id, subject: .creator("nobody"), reason: .spam, details: nil, now: Date()) == .subjectNotFound)
        guard case .created(let profileReport) = try await store.createReport(by: stranger.id, subject: .creator("cake-b"), reason: .fakeProfile,
                                                                             details: "stock photos", now: Date()),
              case .created(let contactReport) = try await store.createReport(by: maker.id, subject: .contact(reveal.contactID), reason: .noShow,
                                                                             details: nil, now: Date()) else {
            Issue.record("reports not created"); return
        }
        #expect(try await store.reports(open: true, limit: 10, after: nil).items.count == 2)
        #expect(try await store.resolveReport(profileReport.id, action: .suspendUser, note: nil, by: "root", now: Date()) == .noUserInvolved)
        guard case .resolved(let resolved) = try await store.resolveReport(profileReport.id, action: .suspendCreator, note: "confirmed", by: "root",
                                                                           now: Date()) else { Issue.record("not resolved"); return }
        #expect(resolved.resolution?.action == .suspendCreator && !resolved.isOpen)
        #expect(try await store.creator(Slug("cake-b")!)?.status == .suspended)
        #expect(try await store.resolveReport(profileReport.id, action: .dismiss, note: nil, by: "root", now: Date()) == .alreadyResolved)
        // The creator reported its customer: the customer is the other party.
        guard case .resolved = try await store.resolveReport(contactReport.id, action: .suspendUser, note: nil, by: "root", now: Date()) else {
            Issue.record("not resolved"); return
        }
        #expect(try await store.account(id: customer.id)?.status == .suspended)
        #expect(try await store.reports(open: false, limit: 10, after: nil).items.count == 2)
        #expect(try await store.resolveReport("nothing", action: .dismiss, note: nil, by: "root", now: Date()) == .notFound)
        try await opened.close()
    }
}
