import Foundation
import HaatCore
import HaatStore
import StoreFixtures
import Testing

/// The admin's side of the store behaves the same on every store.
struct AdminStoreContractTests {
    @Test(arguments: StoreKind.allCases) func verifySuspendListAndAudit(_ kind: StoreKind) async throws {
        let opened = try await kind.open()
        let store = opened.store
        let customer = try await ContactStoreContractTests.marketplace(in: store)
        let other = try await store.createAccount(email: EmailAddress("ravi@example.com")!, name: "Ravi Kumar", role: .customer, passwordHash: "h")
        _ = try await store.createAccount(email: EmailAddress("maker@example.com")!, name: "Maker", role: .creator, passwordHash: "h")

        #expect(try await store.verify(Slug("cake-a")!, by: "root").verified)
        await #expect(throws: StoreError.creatorNotFound(Slug("nobody")!)) { try await store.verify(Slug("nobody")!, by: "root") }

        try await store.storeRefreshToken(hash: "t", family: "f", accountID: customer.id, expiresAt: Date().addingTimeInterval(3600))
        #expect(try await store.setAccountStatus(.suspended, ofAccount: customer.id, reason: "scraping", by: "root")?.status == .suspended)
        #expect(try await store.rotateRefreshToken(hash: "t", successorHash: "u", expiresAt: Date().addingTimeInterval(3600), now: Date()) == .invalid,
                "a suspended account's sessions end")
        #expect(try await store.setAccountStatus(.active, ofAccount: "nobody", reason: nil, by: "root") == nil)

        #expect(try await store.accounts(matching: "RAVI", status: nil, limit: 10, after: nil).items.map(\.id) == [other.id])
        #expect(try await store.accounts(matching: nil, status: .suspended, limit: 10, after: nil).items.map(\.id) == [customer.id])
        let first = try await store.accounts(matching: nil, status: nil, limit: 2, after: nil)
        let cursor = try #require(first.nextCursor)
        let rest = try await store.accounts(matching: nil, status: nil, limit: 2, after: cursor)
        #expect(first.items.count == 2 && rest.items.count == 1 && rest.nextCursor == nil)
        #expect(Set((first.items + rest.items).map(\.id)).count == 3)

        let audit = try await store.auditLog(limit: 10, after: nil).items.map(\.action)
        #expect(audit.contains("verify") && audit.contains("suspend_user") && audit.contains("approve") && !audit.contains("import"))
        try await opened.close()
    }

    @Test(arguments: StoreKind.allCases) func monitoringStatsSubscriptionsAndSignals(_ kind: StoreKind) async throws {
        let opened = try await kind.open()
        let store = opened.store
        let customer = try await ContactStoreContractTests.marketplace(in: store)
        for slug in ["cake-a", "cake-b", "cake-c", "nobody"] {
            _ = try await store.revealContact(ContactStoreContractTests.request(customer.id, slug))
        }
        let attempts = try await store.contactAttempts(ContactAttemptFilter(), limit: 3, after: nil)
        #expect(attempts.items.count == 3 && attempts.nextCursor != nil)
        #expect(try await store.contactAttempts(ContactAttemptFilter(creatorSlug: "cake-a"), limit: 10, after: nil).items.map(\.outcome) == ["revealed"])
        let activity = try #require(try await store.attemptsByAccount(since: Date().addingTimeInterval(-3600), limit: 10).first)
        #expect(activity.customer.id == customer.id && activity.attempts == 4 && activity.distinctCreators == 4)
        #expect(activity.revealed == 2 && activity.refused == 2 && activity.peakPerHour >= 1)

        let now = Date()
        let granted = try #require(try await store.grantPlan(to: customer.id, planID: "month", periodDays: 30, by: "root", now: now))
        #expect(granted.status == .active)
        #expect(try await store.grantPlan(to: "nobody", planID: "month", periodDays: 30, by: "root", now: now) == nil)
        #expect(try await store.subscriptions(status: .active, now: now, limit: 10, after: nil).items.map(\.state.id) == [granted.id])
        #expect(try await store.subscriptions(status: .expired, now: now, limit: 10, after: nil).items.isEmpty)
        let cancelled = try await store.cancelSubscription(granted.id, by: "root", now: now)
        #expect(cancelled?.state.status == .cancelled && cancelled?.user.id == customer.id)
        #expect(try await store.cancelSubscription("nothing", by: "root", now: now) == nil)

        let stats = try await store.adminStats(now: Date())
        #expect(stats.users[.customer] == 1 && stats.creators[.approved] == 3 && stats.contactsToday == 2 && stats.activeSubscriptions == 0)

        let signals = try await store.discoverySignals()
        #expect(signals.contacts.count == 2 && Set(signals.creatorSlugs) == ["cake-a", "cake-b"])
        #expect(signals.leads["cake-a"] == .init(total: 1, answered: 0))
        try await opened.close()
    }
}
