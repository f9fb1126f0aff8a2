import Foundation

/// How a revealed contact was paid for (API.md's `charged`).
public enum Charge: String, Sendable, Codable {
    case free, subscription, repeated = "repeat"
}

/// Where a customer stands with free contacts and plans.
public struct QuotaState: Hashable, Sendable {
    public let freeLimit: Int
    public let freeUsed: Int
    public let subscription: SubscriptionState?

    public init(freeLimit: Int, freeUsed: Int, subscription: SubscriptionState?) {
        self.freeLimit = freeLimit
        self.freeUsed = freeUsed
        self.subscription = subscription
    }

    public var freeRemaining: Int { max(0, freeLimit - freeUsed) }

    /// What a first contact is charged to: a free contact while any remain, else an
    /// active subscription; nil when neither (402).
    public var chargeForFirstContact: Charge? {
        if freeRemaining > 0 { return .free }
        if let subscription, subscription.isActive { return .subscription }
        return nil
    }

    /// After a first contact charged `charge`.
    public func after(_ charge: Charge) -> QuotaState {
        QuotaState(freeLimit: freeLimit, freeUsed: freeUsed + (charge == .free ? 1 : 0), subscription: subscription)
    }
}
