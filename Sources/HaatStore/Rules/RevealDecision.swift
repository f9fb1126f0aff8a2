import Foundation

/// The columns a reveal's lookup reads, as both stores' lookups return them (nil: the
/// account does not exist). `ContactLookup(_:)` turns them into a lookup by the one rule.
public struct RevealFacts: Sendable {
    public let accountEmail: String
    public let accountStatus: String
    public let customerName: String
    /// The approved creator's slug, owner and published numbers, when the slug names one.
    public let slug: String?
    public let owner: String?
    public let phone: String?
    public let whatsapp: String?
    /// An earlier contact of this customer with this creator.
    public let existingContactID: String?
    public let freeUsed: Int
    public let subscription: SubscriptionState?
    /// The account has a verified number.
    public let phoneVerified: Bool

    public init(accountEmail: String, accountStatus: String, customerName: String, slug: String?, owner: String?, phone: String?,
                whatsapp: String?, existingContactID: String?, freeUsed: Int, subscription: SubscriptionState?, phoneVerified: Bool = false) {
        self.accountEmail = accountEmail
        self.accountStatus = accountStatus
        self.customerName = customerName
        self.slug = slug
        self.owner = owner
        self.phone = phone
        self.whatsapp = whatsapp
        self.existingContactID = existingContactID
        self.freeUsed = freeUsed
        self.subscription = subscription
        self.phoneVerified = phoneVerified
    }
}

/// What a reveal reads before it decides: the account, the creator's approved number, an
/// earlier contact of this creator and the quota. Each store reads it in one statement.
public enum ContactLookup: Sendable {
    case unknownAccount, accountSuspended, notFound, ownProfile
    /// A first contact without a verified number, when one is required (repeats are not).
    case phoneUnverified
    case found(LiveContact, existingContactID: String?, quota: QuotaState)

    /// What `facts` say of a request with `freeLimit` free contacts; `requiresVerifiedPhone`:
    /// a first contact needs a verified number.
    public init(_ facts: RevealFacts?, freeLimit: Int, requiresVerifiedPhone: Bool = false) {
        guard let facts else { self = .unknownAccount; return }
        guard facts.accountStatus == AccountStatus.active.rawValue else { self = .accountSuspended; return }
        guard let slug = facts.slug, let owner = facts.owner, let phone = facts.phone else { self = .notFound; return }
        guard owner != facts.accountEmail else { self = .ownProfile; return }
        guard facts.existingContactID != nil || facts.phoneVerified || !requiresVerifiedPhone else { self = .phoneUnverified; return }
        self = .found(LiveContact(slug: slug, owner: owner, phone: phone, whatsapp: facts.whatsapp, customerName: facts.customerName),
                      existingContactID: facts.existingContactID,
                      quota: QuotaState(freeLimit: freeLimit, freeUsed: facts.freeUsed, subscription: facts.subscription))
    }

    /// Whether this lookup is a repeat: a contact made before, answered again free.
    public var isRepeat: Bool {
        if case .found(_, _?, _) = self { return true }
        return false
    }

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
        case .phoneUnverified:
            return .decided(.phoneUnverified, attempt: .init(outcome: .forbidden))
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
