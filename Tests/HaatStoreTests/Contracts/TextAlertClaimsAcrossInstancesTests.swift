import Foundation
import HaatCore
import HaatStore
import StoreFixtures
import Testing

/// Two instances on one PostgreSQL database, each with its text scheduler looking for
/// waiting leads at the same moment: every lead is claimed by exactly one of them, so it
/// is texted once (`LeadTextAlerts` texts only what it claimed).
struct TextAlertClaimsAcrossInstancesTests {
    @Test func twoInstancesClaimEachWaitingLeadOnce() async throws {
        let instances = try await TwoInstances.start()
        let stores = instances.stores
        let start = Date()
        let maker = try await stores[0].createAccount(email: EmailAddress("maker@example.com")!, name: "Maker", role: .creator, passwordHash: "h")
        try await stores[0].verifyPhone("+919822012345", ofAccount: maker.id, at: start)
        try await stores[0].setSMSAlertMinutes(5, ofAccount: maker.id, now: start.addingTimeInterval(-1))
        let customer = try await ContactStoreContractTests.marketplace(in: stores[0])
        for slug in ["cake-a", "cake-b", "cake-c"] {
            _ = try await stores[1].revealContact(ContactStoreContractTests.request(customer.id, slug, freeLimit: 5))
        }
        let later = start.addingTimeInterval(600)
        // Four schedulers, two on each instance, each taking two at a time until none is left.
        let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
            for index in 0..<4 {
                group.addTask {
                    var mine: [String] = []
                    while true {
                        let due = try await stores[index % 2].claimDueTexts(now: later, lease: 120, maximumAge: 86400, limit: 2)
                        if due.isEmpty { return mine }
                        mine += due.map(\.contactID)
                    }
                }
            }
            return try await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(claimed.count == 3 && Set(claimed).count == 3, "\(claimed)")
        #expect(try await stores[0].claimDueTexts(now: later, lease: 120, maximumAge: 86400, limit: 10).isEmpty, "claimed: not again")
        try await instances.stop()
    }
}
