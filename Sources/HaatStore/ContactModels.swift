import Foundation
import HaatCore

/// Every recorded outcome of a contact attempt (API.md "Contact reveal").
public enum ContactOutcome: String, Sendable, Codable {
    case revealed, repeated = "repeat", quotaRefused = "quota_refused", rateLimited = "rate_limited", notFound = "not_found", forbidden
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
    /// Phone verification is on: a first contact needs a verified number, and the free
    /// contacts belong to the number (every account that verified it shares them).
    public let perVerifiedNumber: Bool
    /// The customer's contact limit, for a store that counts it with the reveal itself (one
    /// several instances share, `SharedRateLimits`); nil when the caller counted it.
    public let sharedLimit: StoreRateLimit?
    public let now: Date

    public init(customerID: String, creatorSlug: String, service: String?, message: String?, callbackPhone: String?,
                clientAddress: String, freeLimit: Int, perVerifiedNumber: Bool = false, sharedLimit: StoreRateLimit? = nil, now: Date = Date()) {
        self.customerID = customerID
        self.creatorSlug = creatorSlug
        self.service = service
        self.message = message
        self.callbackPhone = callbackPhone
        self.clientAddress = clientAddress
        self.freeLimit = freeLimit
        self.perVerifiedNumber = perVerifiedNumber
        self.sharedLimit = sharedLimit
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
    /// A first contact by an account without a verified number, with verification on
    /// (recorded as `forbidden`).
    case phoneUnverified
    /// `sharedLimit` was full: try again in this many seconds (recorded as `rate_limited`).
    case rateLimited(retryAfter: Int)
}

/// One of a customer's contacts, for `GET /contacts`: enough for the account page to call
/// or message the creator again and to rate them.
public struct CustomerContact: Hashable, Sendable {
    public let contactID: String
    public let creatorSlug: String
    public let creatorName: String
    public let phone: String
    /// The creator's WhatsApp number, when their live profile gives one.
    public let whatsapp: String?
    /// What the customer said they needed, when they said.
    public let service: String?
    public let charged: Charge
    public let createdAt: Date
    /// The customer's review of this contact, once written (one per contact).
    public let review: ContactReview?

    public init(contactID: String, creatorSlug: String, creatorName: String, phone: String, whatsapp: String? = nil, service: String? = nil,
                charged: Charge, createdAt: Date, review: ContactReview? = nil) {
        self.contactID = contactID
        self.creatorSlug = creatorSlug
        self.creatorName = creatorName
        self.phone = phone
        self.whatsapp = whatsapp
        self.service = service
        self.charged = charged
        self.createdAt = createdAt
        self.review = review
    }
}

/// Where the customer's own review of a contact stands.
public struct ContactReview: Hashable, Sendable {
    public let reviewID: String
    public let rating: Int
    public let status: ReviewStatus

    public init(reviewID: String, rating: Int, status: ReviewStatus) {
        self.reviewID = reviewID
        self.rating = rating
        self.status = status
    }
}
