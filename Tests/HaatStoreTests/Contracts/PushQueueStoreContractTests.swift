import Foundation
import HaatCore
import HaatStore
import StoreFixtures
import Testing

/// The push queue on every store: a creator's wake-up takes only its subscriptions, the
/// frequent look for retries only those whose delivery failed (once due), and the sweep
/// everything due; a claimed subscription is nobody else's until it is finished.
struct PushQueueStoreContractTests {
    @Test(arguments: StoreKind.allCases) func subscriptionsAreClaimedByScope(_ kind: StoreKind) async throws {
        let opened = try await kind.open()
        let store = opened.store
        let customer = try await ContactStoreContractTests.marketplace(in: store)  // cake-a… are maker@example.com's
        try await publishCreator("frames", owner: "framer@example.com", number: 10020, in: store)
        let start = Date()
        for (id, owner) in [("maker-phone", "maker@example.com"), ("framer-phone", "framer@example.com")] {
            _ = try await store.addPushSubscription(PushSubscriptionRecord(id: id, ownerEmail: owner, endpoint: "https://push.example/\(id)",
                                                                           p256dh: "key", auth: "secret", device: "Phone", createdAt: start),
                                                    limit: 10)
        }
        for slug in ["cake-a", "frames"] {
            _ = try await store.revealContact(ContactStoreContractTests.request(customer.id, slug, freeLimit: 5))
        }
        let now = start.addingTimeInterval(1)
        func claim(_ scope: PushDeliveryScope, at time: Date = now) async throws -> [String] {
            try await store.claimPushDeliveries(now: time, lease: 60, limit: 10, leadsEach: 5, scope: scope).map(\.subscription.id).sorted()
        }

        #expect(try await claim(.retries).isEmpty, "nothing has failed yet")
        #expect(try await claim(.owner("maker@example.com")) == ["maker-phone"])
        #expect(try await claim(.all) == ["framer-phone"], "the maker's is claimed already")
        #expect(try await claim(.all).isEmpty)

        // The framer's push service fails: the look for retries takes it again once due.
        try await store.finishPushDelivery(subscriptionID: "framer-phone",
                                           .retry(through: nil, retryAt: now.addingTimeInterval(10), attempts: 1, failingSince: now))
        #expect(try await claim(.retries, at: now.addingTimeInterval(5)).isEmpty, "not before it is due")
        #expect(try await claim(.owner("framer@example.com"), at: now.addingTimeInterval(5)).isEmpty, "a new lead does not hurry a retry")
        #expect(try await claim(.retries, at: now.addingTimeInterval(11)) == ["framer-phone"])

        // Both delivered: nothing is left, and a retry look no longer sees the framer's.
        try await store.finishPushDelivery(subscriptionID: "maker-phone", .done(through: 1))
        try await store.finishPushDelivery(subscriptionID: "framer-phone", .done(through: 1))
        #expect(try await claim(.all, at: now.addingTimeInterval(20)).isEmpty)
        _ = try await store.revealContact(ContactStoreContractTests.request(customer.id, "cake-b", freeLimit: 5))
        #expect(try await claim(.retries, at: now.addingTimeInterval(20)).isEmpty, "delivered: attempts are back to none")
        #expect(try await claim(.all, at: now.addingTimeInterval(20)) == ["maker-phone"])
        try await opened.close()
    }
}
