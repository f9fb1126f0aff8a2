import Foundation

/// Where a subscription stands. The store keeps `active` or `cancelled`; `expired` is an
/// active one read after its period ended, so expiry needs no job to run on time.
public enum SubscriptionStatus: String, Sendable, CaseIterable, Codable {
    case active, expired, cancelled
}

/// A customer's active or last subscription.
public struct SubscriptionState: Hashable, Sendable {
    public let id: String
    public let planID: String
    public let status: SubscriptionStatus
    public let currentPeriodEnd: Date

    public init(id: String, planID: String, status: SubscriptionStatus, currentPeriodEnd: Date) {
        self.id = id
        self.planID = planID
        self.status = status
        self.currentPeriodEnd = currentPeriodEnd
    }

    /// A stored subscription as of `now`: the one place expiry is decided.
    public static func asOf(_ now: Date, id: String, planID: String, storedStatus: String, end: Date) -> SubscriptionState {
        let stored = SubscriptionStatus(rawValue: storedStatus) ?? .cancelled
        return SubscriptionState(id: id, planID: planID, status: stored == .active && end <= now ? .expired : stored, currentPeriodEnd: end)
    }

    public var isActive: Bool { status == .active }
}

/// What buying `periodDays` of a plan does to an account's subscription: adds the period
/// to the current one while it is active (from its end, so nothing paid for is lost), or
/// starts a new one from now. A payment and an admin's grant both buy this way.
public struct SubscriptionPurchase: Hashable, Sendable {
    /// The subscription after the purchase.
    public let subscription: SubscriptionState
    /// Whether `subscription` is a new one (else the current one, extended).
    public let startsNew: Bool

    public init(planID: String, periodDays: Int, current: SubscriptionState?, now: Date, newID: @autoclosure () -> String) {
        let period = TimeInterval(periodDays) * 86_400
        if let current, current.isActive {
            subscription = SubscriptionState(id: current.id, planID: planID, status: .active,
                                             currentPeriodEnd: current.currentPeriodEnd.addingTimeInterval(period))
            startsNew = false
        } else {
            subscription = SubscriptionState(id: newID(), planID: planID, status: .active, currentPeriodEnd: now.addingTimeInterval(period))
            startsNew = true
        }
    }
}
