import Foundation
import HaatStore
import Testing

/// What a first contact is charged to, with no database.
struct QuotaRuleTests {
    static let end = Date(timeIntervalSince1970: 1_800_000_000)

    @Test(arguments: [
        // (free limit, used, subscription, expected charge, remaining after)
        (2, 0, SubscriptionStatus?.none, Charge?.some(.free), 1),
        (2, 1, nil, .free, 0),
        (2, 2, nil, nil, 0),
        (2, 5, nil, nil, 0),
        (2, 2, .active, .subscription, 0),
        (2, 1, .active, .free, 0),
        (2, 2, .expired, nil, 0),
        (2, 2, .cancelled, nil, 0),
        (0, 0, .active, .subscription, 0),
    ] as [(Int, Int, SubscriptionStatus?, Charge?, Int)])
    func chargeForAFirstContact(_ limit: Int, _ used: Int, _ status: SubscriptionStatus?, _ expected: Charge?, _ remainingAfter: Int) {
        let subscription = status.map { SubscriptionState(id: "s", planID: "month", status: $0, currentPeriodEnd: Self.end) }
        let quota = QuotaState(freeLimit: limit, freeUsed: used, subscription: subscription)
        #expect(quota.chargeForFirstContact == expected)
        if let expected { #expect(quota.after(expected).freeRemaining == remainingAfter) }
    }
}
