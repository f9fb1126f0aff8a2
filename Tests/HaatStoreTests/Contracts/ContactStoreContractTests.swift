import Foundation
import HaatCore
import HaatStore
import StoreFixtures
import Testing
@testable import HaatPostgres

/// The contact reveal decides the same on every store, and stays exact under concurrency.
struct ContactStoreContractTests {
    /// Three creators of one maker and a customer: what the contact and lead tests start from.
    static func marketplace(in store: any HaatStore) async throws -> Account {
        for (index, slug) in ["cake-a", "cake-b", "cake-c"].enumerated() {
            try await publishCreator(slug, owner: "maker@example.com", number: 10001 + index, in: store)
        }
        return try await store.createAccount(email: EmailAddress("asha@example.com")!, name: "Asha", role: .customer, passwordHash: "h")
    }

    static func request(_ customer: String, _ slug: String, freeLimit: Int = 2, perVerifiedNumber: Bool = false) -> ContactRequest {
        ContactRequest(customerID: customer, creatorSlug: slug, service: "A cake", message: nil, callbackPhone: nil, clientAddress: "127.0.0.1",
                       freeLimit: freeLimit, perVerifiedNumber: perVerifiedNumber)
    }

    /// With phone verification on, a first contact needs a verified number, and the free
    /// contacts belong to the number: accounts that verified the same one share them, in
    /// the reveal and in `GET /me`'s quota alike. Repeats need no number.
    @Test(arguments: StoreKind.allCases) func freeContactsBelongToTheVerifiedNumber(_ kind: StoreKind) async throws {
        let opened = try await kind.open()
        let store = opened.store
        let asha = try await Self.marketplace(in: store)
        let ravi = try await store.createAccount(email: EmailAddress("ravi@example.com")!, name: "Ravi", role: .customer, passwordHash: "h")
        // Before verification: a first contact is refused and recorded as forbidden; without the rule it would reveal.
        #expect(try await store.revealContact(Self.request(asha.id, "cake-a", perVerifiedNumber: true)) == .phoneUnverified)
        if case .revealed = try await store.revealContact(Self.request(ravi.id, "cake-c")) {} else { Issue.record("per account, no number is needed") }
        try await store.verifyPhone("+919822012345", ofAccount: asha.id, at: Date())
        try await store.verifyPhone("+919822012345", ofAccount: ravi.id, at: Date())
        // Ravi's earlier free contact counts for the number now: Asha has one left of two.
        #expect(try await store.quota(of: asha.id, freeLimit: 2, perVerifiedNumber: true, now: Date()).freeUsed == 1)
        #expect(try await store.quota(of: asha.id, freeLimit: 2, perVerifiedNumber: false, now: Date()).freeUsed == 0)
        guard case .revealed(let first) = try await store.revealContact(Self.request(asha.id, "cake-a", perVerifiedNumber: true)) else {
            Issue.record("Asha's first contact"); return
        }
        #expect(first.charged == .free && first.quota.freeUsed == 2)
        #expect(try await store.revealContact(Self.request(asha.id, "cake-b", perVerifiedNumber: true)) == .quotaRefused(
            QuotaState(freeLimit: 2, freeUsed: 2, subscription: nil)))
        #expect(try await store.quota(of: ravi.id, freeLimit: 2, perVerifiedNumber: true, now: Date()).freeUsed == 2)
        if case .revealed(let again) = try await store.revealContact(Self.request(ravi.id, "cake-c", perVerifiedNumber: true)) {
            #expect(again.charged == .repeated)
        } else {
            Issue.record("a repeat is unaffected")
        }
        let outcomes = try await opened.texts("SELECT outcome FROM contact_attempts ORDER BY created_at, outcome")
        #expect(outcomes.filter { $0 == "forbidden" }.count == 1)
        try await opened.close()
    }

    /// The reveal reads the quota in its own fused statement on each store (the hot path);
    /// whatever the subscription's state, it answers what `GET /me`'s quota answers.
    @Test(arguments: StoreKind.allCases) func theRevealsQuotaIsTheAccountsQuota(_ kind: StoreKind) async throws {
        let opened = try await kind.open()
        let store = opened.store
        let customer = try await Self.marketplace(in: store)
        let now = Date()
        func expectSameQuota(_ slug: String, at time: Date, _ comment: Comment) async throws {
            let request = ContactRequest(customerID: customer.id, creatorSlug: slug, service: nil, message: nil, callbackPhone: nil,
                                         clientAddress: "127.0.0.1", freeLimit: 0, now: time)
            let account = try await store.quota(of: customer.id, freeLimit: 0, now: time)
            switch try await store.revealContact(request) {
            case .revealed(let reveal) where reveal.charged == .repeated: #expect(reveal.quota == account, comment)
            case .revealed(let reveal): #expect(reveal.quota.subscription == account.subscription, comment)
            case .quotaRefused(let quota): #expect(quota == account, comment)
            default: Issue.record("neither revealed nor refused: \(comment)")
            }
        }
        try await expectSameQuota("cake-a", at: now, "no subscription")
        let first = try #require(try await store.grantPlan(to: customer.id, planID: "week", periodDays: 7, by: "test", now: now))
        try await expectSameQuota("cake-a", at: now, "active")
        try await expectSameQuota("cake-a", at: now.addingTimeInterval(8 * 86_400), "expired (a repeat)")
        try await expectSameQuota("cake-b", at: now.addingTimeInterval(8 * 86_400), "expired (refused)")
        _ = try await store.cancelSubscription(first.id, by: "test", now: now)
        try await expectSameQuota("cake-b", at: now, "cancelled")
        _ = try await store.grantPlan(to: customer.id, planID: "month", periodDays: 30, by: "test", now: now.addingTimeInterval(1))
        try await expectSameQuota("cake-c", at: now.addingTimeInterval(2), "a new purchase after a cancelled one")
        try await opened.close()
    }

    @Test(arguments: StoreKind.allCases) func revealsRepeatsRefusalsAndLeads(_ kind: StoreKind) async throws {
        let opened = try await kind.open()
        let store = opened.store
        let customer = try await Self.marketplace(in: store)
        let maker = try await store.createAccount(email: EmailAddress("maker@example.com")!, name: "Maker", role: .creator, passwordHash: "h")

        guard case .revealed(let first) = try await store.revealContact(Self.request(customer.id, "cake-a")) else { Issue.record("not revealed"); return }
        #expect(first.charged == .free && first.phone == "+915000010001" && first.quota.freeUsed == 1)
        #expect(first.newLead?.seq == 1 && first.newLead?.ownerEmail == "maker@example.com" && first.newLead?.customerName == "Asha")
        guard case .revealed(let again) = try await store.revealContact(Self.request(customer.id, "cake-a")) else { Issue.record("not revealed"); return }
        #expect(again.charged == .repeated && again.contactID == first.contactID && again.newLead == nil && again.quota.freeUsed == 1)
        guard case .revealed(let second) = try await store.revealContact(Self.request(customer.id, "cake-b")) else { Issue.record("not revealed"); return }
        #expect(second.newLead?.seq == 2, "seq counts per owner account")
        guard case .quotaRefused(let quota) = try await store.revealContact(Self.request(customer.id, "cake-c")) else {
            Issue.record("the third creator is over the free limit"); return
        }
        #expect(quota.freeUsed == 2 && quota.freeRemaining == 0)
        #expect(try await store.revealContact(Self.request(customer.id, "nobody")) == .notFound)
        #expect(try await store.revealContact(Self.request(maker.id, "cake-a")) == .ownProfile)
        #expect(try await store.revealContact(Self.request("no-such-account", "cake-a")) == .unknownAccount)
        try await store.setStatus(.suspended, ofAccount: customer.id)
        #expect(try await store.revealContact(Self.request(customer.id, "cake-a")) == .accountSuspended)

        #expect(try await store.quota(of: customer.id, freeLimit: 2, now: Date()).freeUsed == 2)
        let page = try await store.contacts(of: customer.id, creator: nil, limit: 1, after: nil)
        #expect(page.items.map(\.creatorSlug) == ["cake-b"] && page.items.first?.phone == "+915000010002")
        let cursor = try #require(page.nextCursor)
        let rest = try await store.contacts(of: customer.id, creator: nil, limit: 1, after: cursor)
        #expect(rest.items.map(\.creatorSlug) == ["cake-a"] && rest.nextCursor == nil)
        let one = try await store.contacts(of: customer.id, creator: "cake-a", limit: 20, after: nil)
        #expect(one.items.map(\.creatorSlug) == ["cake-a"] && one.nextCursor == nil)
        #expect(try await store.contacts(of: customer.id, creator: "nobody", limit: 20, after: nil).items.isEmpty)
        try await opened.close()
    }
}

/// Forty first contacts of one customer at once (or of two customers sharing a verified
/// number), split across two instances on one database, use exactly the free limit.
struct PostgresQuotaAcrossInstancesTests {
    @Test func concurrentFirstContactsOnTwoInstancesUseExactlyTheFreeLimit() async throws {
        let instances = try await TwoInstances.start()
        let stores = instances.stores
        for index in 0..<40 {
            try await publishCreator("creator-\(index)", owner: "maker\(index % 3)@example.com", number: 20000 + index, in: stores[0])
        }
        let customer = try await stores[0].createAccount(email: EmailAddress("fast@example.com")!, name: "Fast", role: .customer, passwordHash: "h")
        let decisions = try await withThrowingTaskGroup(of: ContactDecision.self) { group in
            for index in 0..<40 {
                group.addTask { try await stores[index % 2].revealContact(ContactStoreContractTests.request(customer.id, "creator-\(index)", freeLimit: 3)) }
            }
            return try await group.reduce(into: [ContactDecision]()) { $0.append($1) }
        }
        let revealed = decisions.filter { if case .revealed = $0 { true } else { false } }
        #expect(revealed.count == 3)
        #expect(decisions.filter { if case .quotaRefused = $0 { true } else { false } }.count == 37)
        #expect(try await stores[1].quota(of: customer.id, freeLimit: 3, now: Date()).freeUsed == 3)
        try await instances.stop()
    }

    @Test func concurrentFirstContactsOfTwoAccountsSharingANumberUseExactlyTheFreeLimit() async throws {
        let instances = try await TwoInstances.start()
        let stores = instances.stores
        for index in 0..<40 {
            try await publishCreator("creator-\(index)", owner: "maker\(index % 3)@example.com", number: 20000 + index, in: stores[0])
        }
        var family: [Account] = []
        for name in ["meera", "anil"] {
            let account = try await stores[0].createAccount(email: EmailAddress("\(name)@example.com")!, name: name, role: .customer, passwordHash: "h")
            try await stores[0].verifyPhone("+919822012345", ofAccount: account.id, at: Date())
            family.append(account)
        }
        let accounts = family
        let decisions = try await withThrowingTaskGroup(of: ContactDecision.self) { group in
            for index in 0..<40 {
                group.addTask {
                    try await stores[index % 2].revealContact(ContactStoreContractTests.request(accounts[(index / 2) % 2].id, "creator-\(index)",
                                                                                                freeLimit: 3, perVerifiedNumber: true))
                }
            }
            return try await group.reduce(into: [ContactDecision]()) { $0.append($1) }
        }
        #expect(decisions.filter { if case .revealed = $0 { true } else { false } }.count == 3)
        #expect(decisions.filter { if case .quotaRefused = $0 { true } else { false } }.count == 37)
        #expect(try await stores[1].quota(of: accounts[1].id, freeLimit: 3, perVerifiedNumber: true, now: Date()).freeUsed == 3)
        try await instances.stop()
    }
}
