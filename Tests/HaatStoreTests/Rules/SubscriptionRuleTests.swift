import Foundation
import HaatStore
import Testing

/// Expiry and what a purchase buys, with no database.
struct SubscriptionRuleTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let day: TimeInterval = 86_400

    @Test(arguments: [
        ("active", 1, SubscriptionStatus.active),
        ("active", 0, .expired),
        ("active", -1, .expired),
        ("cancelled", 1, .cancelled),
        ("cancelled", -1, .cancelled),
        ("garbled", 1, .cancelled),
    ] as [(String, Double, SubscriptionStatus)])
    func storedStatusReadAsOfNow(_ stored: String, _ daysLeft: Double, _ expected: SubscriptionStatus) {
        let state = SubscriptionState.asOf(Self.now, id: "s", planID: "month", storedStatus: stored, end: Self.now.addingTimeInterval(daysLeft * Self.day))
        #expect(state.status == expected)
        #expect(state.isActive == (expected == .active))
    }

    @Test(arguments: [
        // (current status, days left on it, expected startsNew, expected days from now to the new end)
        (SubscriptionStatus?.none, 0.0, true, 30.0),
        (.active, 5, false, 35),
        (.expired, -3, true, 30),
        (.cancelled, 10, true, 30),
    ] as [(SubscriptionStatus?, Double, Bool, Double)])
    func aPurchaseExtendsAnActiveSubscriptionFromItsEndElseStartsNow(_ status: SubscriptionStatus?, _ daysLeft: Double, _ startsNew: Bool,
                                                                  _ daysToEnd: Double) {
        let current = status.map {
            SubscriptionState(id: "old", planID: "week", status: $0, currentPeriodEnd: Self.now.addingTimeInterval(daysLeft * Self.day))
        }
        let purchase = SubscriptionPurchase(planID: "month", periodDays: 30, current: current, now: Self.now, newID: "new")
        #expect(purchase.startsNew == startsNew)
        #expect(purchase.subscription.id == (startsNew ? "new" : "old"))
        #expect(purchase.subscription.planID == "month")
        #expect(purchase.subscription.status == .active)
        #expect(purchase.subscription.currentPeriodEnd == Self.now.addingTimeInterval(daysToEnd * Self.day))
    }
}
