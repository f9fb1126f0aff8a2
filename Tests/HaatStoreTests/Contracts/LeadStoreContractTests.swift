import Foundation
import HaatCore
import HaatStore
import StoreFixtures
import Testing

/// Leads, acknowledgements and tickets behave the same on every store.
struct LeadStoreContractTests {
    @Test(arguments: StoreKind.allCases) func leadsPageFilterAckAndAnswer(_ kind: StoreKind) async throws {
        let opened = try await kind.open()
        let store = opened.store
        let customer = try await ContactStoreContractTests.marketplace(in: store)
        var contactIDs: [String] = []
        for slug in ["cake-a", "cake-b", "cake-c"] {
            guard case .revealed(let reveal) = try await store.revealContact(ContactStoreContractTests.request(customer.id, slug, freeLimit: 5)) else {
                Issue.record("not revealed"); return
            }
            contactIDs.append(reveal.contactID)
        }
        let owner = "maker@example.com"
        let first = try await store.leads(ownedBy: owner, status: nil, limit: 2, after: nil)
        #expect(first.items.map(\.seq) == [3, 2] && first.items.first?.customerName == "Asha" && first.items.first?.service == "A cake")
        let cursor = try #require(first.nextCursor)
        let rest = try await store.leads(ownedBy: owner, status: nil, limit: 2, after: cursor)
        #expect(rest.items.map(\.seq) == [1] && rest.nextCursor == nil)
        #expect(try await store.leads(ownedBy: "other@example.com", status: nil, limit: 10, after: nil).items.isEmpty)

        let answered = try #require(try await store.setStatus(.responded, ofLead: contactIDs[0], ownedBy: owner, at: Date()))
        #expect(answered.status == .responded && answered.firstResponseAt != nil)
        #expect(try await store.setStatus(.won, ofLead: contactIDs[0], ownedBy: "other@example.com", at: Date()) == nil, "another's lead is unknown")
        #expect(try await store.leads(ownedBy: owner, status: .responded, limit: 10, after: nil).items.map(\.contactID) == [contactIDs[0]])
        #expect(try await store.leads(ownedBy: owner, since: Date().addingTimeInterval(-60)).map(\.seq) == [1, 2, 3])

        #expect(try await store.unacknowledgedLeads(ownedBy: owner, after: 0, limit: 10).map(\.seq) == [1, 2, 3])
        try await store.acknowledgeLeads(ownedBy: owner, upTo: 2)
        #expect(try await store.unacknowledgedLeads(ownedBy: owner, after: 0, limit: 10).map(\.seq) == [3])
        try await store.acknowledgeLeads(ownedBy: owner, upTo: 1)
        #expect(try await store.unacknowledgedLeads(ownedBy: owner, after: 0, limit: 10).map(\.seq) == [3], "a lower mark changes nothing")
        try await store.acknowledgeLeads(ownedBy: owner, upTo: 99)
        #expect(try await store.unacknowledgedLeads(ownedBy: owner, after: 0, limit: 10).isEmpty)
        // An acknowledgement from the future never hides a lead made after it.
        try await publishCreator("cake-d", owner: owner, number: 10009, in: store)
        _ = try await store.revealContact(ContactStoreContractTests.request(customer.id, "cake-d", freeLimit: 5))
        #expect(try await store.unacknowledgedLeads(ownedBy: owner, after: 0, limit: 10).map(\.seq) == [4])
        try await opened.close()
    }

    /// A lead is numbered after the owner's last lead, however that one was numbered (by
    /// an instance of an older version, during an upgrade: simulated by renumbering).
    @Test(arguments: StoreKind.allCases) func aLeadIsNumberedAfterTheLastWhoeverNumberedIt(_ kind: StoreKind) async throws {
        let opened = try await kind.open()
        let store = opened.store
        let customer = try await ContactStoreContractTests.marketplace(in: store)
        guard case .revealed(let first) = try await store.revealContact(ContactStoreContractTests.request(customer.id, "cake-a", freeLimit: 5)) else {
            Issue.record("not revealed"); return
        }
        #expect(first.newLead?.seq == 1)
        try await opened.execute("UPDATE leads SET seq = 5", [])
        guard case .revealed(let second) = try await store.revealContact(ContactStoreContractTests.request(customer.id, "cake-b", freeLimit: 5)) else {
            Issue.record("not revealed"); return
        }
        #expect(second.newLead?.seq == 6)
        try await opened.close()
    }

    @Test(arguments: StoreKind.allCases) func ticketsWorkOnceBeforeTheyExpire(_ kind: StoreKind) async throws {
        let opened = try await kind.open()
        let store = opened.store
        let account = try await store.createAccount(email: EmailAddress("maker@example.com")!, name: "Maker", role: .creator, passwordHash: "h")
        let now = Date()
        try await store.storeNotificationTicket(hash: "live", accountID: account.id, expiresAt: now.addingTimeInterval(60))
        try await store.storeNotificationTicket(hash: "stale", accountID: account.id, expiresAt: now.addingTimeInterval(-1))
        #expect(try await store.redeemNotificationTicket(hash: "live", now: now) == account.id)
        #expect(try await store.redeemNotificationTicket(hash: "live", now: now) == nil, "used")
        #expect(try await store.redeemNotificationTicket(hash: "stale", now: now) == nil, "expired")
        #expect(try await store.redeemNotificationTicket(hash: "unknown", now: now) == nil)
        try await opened.close()
    }
}
