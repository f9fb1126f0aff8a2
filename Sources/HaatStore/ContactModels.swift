import Foundation
import HaatCore

/// How a revealed contact was paid for (API.md's `charged`).
public enum Charge: String, Sendable, Codable {
    case free, subscription, repeated = "repeat"
}

/// Every recorded outcome of a contact attempt (API.md "Contact reveal").
public enum ContactOutcome: String, Sendable, Codable {
    case revealed, repeated = "repeat", quotaRefused = "quota_refused", rateLimited = "rate_limited", notFound = "not_found", forbidden
}

/// A customer's active or last subscription.
public struct SubscriptionState: Hashable, Sendable {
    public let id: String
    public let planID: String
    public let status: String
    public let currentPeriodEnd: Date

    public init(id: String, planID: String, status: String, currentPeriodEnd: Date) {
        self.id = id
        self.planID = planID
        self.status = status
        self.currentPeriodEnd = currentPeriodEnd
    }

    /// A stored subscription as of `now`: an active one past its end reads as expired.
    public static func asOf(_ now: Date, id: String, planID: String, storedStatus: String, end: Date) -> SubscriptionState {
        SubscriptionState(id: id, planID: planID, status: storedStatus == "active" && end <= now ? "expired" : storedStatus, currentPeriodEnd: end)
    }
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
    /// active subscription; nil when neither (402). Every store decides by this.
    public var chargeForFirstContact: Charge? {
        if freeRemaining > 0 { return .free }
        if let subscription, subscription.status == "active" { return .subscription }
        return nil
    }

    /// After a first contact charged `charge`.
    public func after(_ charge: Charge) -> QuotaState {
        QuotaState(freeLimit: freeLimit, freeUsed: freeUsed + (charge == .free ? 1 : 0), subscription: subscription)
    }
}

/// A customer asking for a creator's number.
public struct ContactRequest: Sendable {
    /// The signed-in account (from its token); the store checks it exists and is active.
    public let customerID: String
    public let creatorSlug: String
    public let service: String?
    public let message: String?
    public let callbackPhone: String?
    public let clientAddress: String
    public let freeLimit: Int
    public let now: Date

    public init(customerID: String, creatorSlug: String, service: String?, message: String?, callbackPhone: String?,
                clientAddress: String, freeLimit: Int, now: Date = Date()) {
        self.customerID = customerID
        self.creatorSlug = creatorSlug
        self.service = service
        self.message = message
        self.callbackPhone = callbackPhone
        self.clientAddress = clientAddress
        self.freeLimit = freeLimit
        self.now = now
    }
}

/// A revealed number.
public struct ContactReveal: Hashable, Sendable {
    public let contactID: String
    public let creatorSlug: String
    public let phone: String
    public let whatsapp: String?
    public let charged: Charge
    public let quota: QuotaState
    /// The lead a first contact created (already committed), for the creator's
    /// notifications; nil for a repeat.
    public let newLead: Lead?

    public init(contactID: String, creatorSlug: String, phone: String, whatsapp: String?, charged: Charge, quota: QuotaState, newLead: Lead?) {
        self.contactID = contactID
        self.creatorSlug = creatorSlug
        self.phone = phone
        self.whatsapp = whatsapp
        self.charged = charged
        self.quota = quota
        self.newLead = newLead
    }
}

/// What the store decided about a contact request (and recorded as an attempt).
public enum ContactDecision: Sendable, Equatable {
    case revealed(ContactReveal)
    case quotaRefused(QuotaState)
    case notFound
    case ownProfile
    /// The account is suspended (recorded as `forbidden`).
    case accountSuspended
    /// The token's account no longer exists (nothing recorded).
    case unknownAccount
}

/// One of a customer's contacts, for `GET /contacts`.
public struct CustomerContact: Hashable, Sendable {
    public let contactID: String
    public let creatorSlug: String
    public let creatorName: String
    public let phone: String
    public let charged: Charge
    public let createdAt: Date

    public init(contactID: String, creatorSlug: String, creatorName: String, phone: String, charged: Charge, createdAt: Date) {
        self.contactID = contactID
        self.creatorSlug = creatorSlug
        self.creatorName = creatorName
        self.phone = phone
        self.charged = charged
        self.createdAt = createdAt
    }
}

/// A page of a list, and the opaque cursor of the next one.
public struct Page<Item: Sendable>: Sendable {
    public let items: [Item]
    public let nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

/// What a reveal reads before it decides: the account, the creator's approved number, an
/// earlier contact of this creator and the quota. Each store reads it in one statement.
public enum ContactLookup: Sendable {
    case unknownAccount, accountSuspended, notFound, ownProfile
    case found(LiveContact, existingContactID: String?, quota: QuotaState)

    /// The decision this lookup leads to, by the one rule every store follows.
    public var verdict: ContactVerdict {
        switch self {
        case .unknownAccount:
            return .decided(.unknownAccount, attempt: nil)
        case .accountSuspended:
            return .decided(.accountSuspended, attempt: .init(outcome: .forbidden))
        case .notFound:
            return .decided(.notFound, attempt: .init(outcome: .notFound))
        case .ownProfile:
            return .decided(.ownProfile, attempt: .init(outcome: .forbidden))
        case .found(let live, let existing?, let quota):
            return .decided(.revealed(ContactReveal(contactID: existing, creatorSlug: live.slug, phone: live.phone, whatsapp: live.whatsapp,
                                                    charged: .repeated, quota: quota, newLead: nil)),
                            attempt: .init(outcome: .repeated, charged: .repeated))
        case .found(let live, nil, let quota):
            guard let charge = quota.chargeForFirstContact else {
                return .decided(.quotaRefused(quota), attempt: .init(outcome: .quotaRefused))
            }
            return .firstContact(live, charge: charge, quota: quota)
        }
    }
}

/// A reveal's outcome before anything is written.
public enum ContactVerdict: Sendable {
    /// Decided with no contact made: `attempt` is what to record (nil: nothing).
    case decided(ContactDecision, attempt: ContactAttempt?)
    /// A first contact to make and charge: a contact, its lead, and a `revealed` attempt.
    case firstContact(LiveContact, charge: Charge, quota: QuotaState)
}

/// A row of the contact monitoring log, as a decision writes it.
public struct ContactAttempt: Sendable {
    public let outcome: ContactOutcome
    public let charged: Charge?

    public init(outcome: ContactOutcome, charged: Charge? = nil) {
        self.outcome = outcome
        self.charged = charged
    }
}

/// A published creator as a reveal sees it.
public struct LiveContact: Sendable {
    public let slug: String
    /// The email of the creator account that owns the profile: who gets the lead.
    public let owner: String
    public let phone: String
    public let whatsapp: String?
    /// The customer's name, which the lead shows the creator.
    public let customerName: String

    public init(slug: String, owner: String, phone: String, whatsapp: String?, customerName: String) {
        self.slug = slug
        self.owner = owner
        self.phone = phone
        self.whatsapp = whatsapp
        self.customerName = customerName
    }
}

extension ContactRequest {
    /// The lead and the answer of a first contact, once its contact row `contactID` and
    /// lead number `seq` are written.
    public func firstContactReveal(contactID: String, seq: Int, live: LiveContact, charge: Charge, quota: QuotaState) -> ContactDecision {
        let lead = Lead(contactID: contactID, creatorSlug: live.slug, ownerEmail: live.owner, seq: seq, customerName: live.customerName,
                        service: service, message: message, callbackPhone: callbackPhone, status: .new, createdAt: now, firstResponseAt: nil)
        return .revealed(ContactReveal(contactID: contactID, creatorSlug: live.slug, phone: live.phone, whatsapp: live.whatsapp,
                                       charged: charge, quota: quota.after(charge), newLead: lead))
    }
}
