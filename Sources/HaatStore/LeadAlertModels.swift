import Foundation

/// A browser's Web Push subscription, as a creator's dashboard makes it
/// (`PushSubscription.toJSON()`), kept for the account that owns the leads.
public struct PushSubscriptionRecord: Sendable, Equatable {
    public var id: String
    /// The creator account's email, lowercased, as leads are kept (`leads.account`).
    public var ownerEmail: String
    public var endpoint: String
    /// The browser's P-256 public key and auth secret, base64url, as it sent them.
    public var p256dh: String
    public var auth: String
    /// What the device is, for the creator's list ("Chrome on Android").
    public var device: String
    public var createdAt: Date

    public init(id: String, ownerEmail: String, endpoint: String, p256dh: String, auth: String, device: String, createdAt: Date) {
        self.id = id
        self.ownerEmail = ownerEmail
        self.endpoint = endpoint
        self.p256dh = p256dh
        self.auth = auth
        self.device = device
        self.createdAt = createdAt
    }
}

/// Which subscriptions a look at the push queue takes in.
public enum PushDeliveryScope: Sendable, Equatable {
    /// One creator's, as a lead of theirs is made.
    case owner(String)
    /// Those whose last delivery failed and is to be tried again: few, and found without
    /// looking at every subscription's leads, so they can be looked at every few seconds.
    case retries
    /// Every subscription: leads of other instances or of wake-ups lost, work a stopped
    /// instance left claimed. It looks at each subscription's leads, so it runs seldom.
    case all
}

/// A subscription claimed for delivery and the leads it has yet to be sent, oldest first.
public struct PushDue: Sendable {
    public var subscription: PushSubscriptionRecord
    public var leads: [Lead]
    /// Failed tries in a row so far, and since when the subscription has been failing.
    public var attempts: Int
    public var failingSince: Date?

    public init(subscription: PushSubscriptionRecord, leads: [Lead], attempts: Int, failingSince: Date?) {
        self.subscription = subscription
        self.leads = leads
        self.attempts = attempts
        self.failingSince = failingSince
    }
}

/// What became of a claimed subscription's delivery; every report ends the claim.
public enum PushDeliveryReport: Sendable, Equatable {
    /// Every lead up to `seq` was sent or given up on; the next ones go at once.
    case done(through: Int)
    /// Leads up to `seq` (if any) were sent, the next failed: try again at `retryAt`.
    case retry(through: Int?, retryAt: Date, attempts: Int, failingSince: Date)
    /// The push service says the browser is gone: the subscription is deleted.
    case gone
}

/// A lead whose creator asked to be texted when it waits unopened, claimed for its SMS.
public struct DueText: Sendable, Equatable {
    public var contactID: String
    /// The creator's account (its email) and verified number (E.164).
    public var ownerEmail: String
    public var phone: String
    public var creatorSlug: String
    public var customerName: String
    public var service: String?

    public init(contactID: String, ownerEmail: String, phone: String, creatorSlug: String, customerName: String, service: String?) {
        self.contactID = contactID
        self.ownerEmail = ownerEmail
        self.phone = phone
        self.creatorSlug = creatorSlug
        self.customerName = customerName
        self.service = service
    }
}
