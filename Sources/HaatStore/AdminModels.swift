import Foundation
import HaatCore

/// Who an admin list shows: an account's id, email and name.
public struct AccountRef: Hashable, Sendable {
    public let id: String
    public let email: String
    public let name: String

    public init(id: String, email: String, name: String) {
        self.id = id
        self.email = email
        self.name = name
    }
}

/// One contact attempt as the abuse monitor sees it.
public struct ContactAttemptRecord: Hashable, Sendable {
    public let id: Int64
    public let customer: AccountRef
    public let creatorSlug: String
    public let outcome: String
    public let charged: String?
    public let clientAddress: String
    public let createdAt: Date

    public init(id: Int64, customer: AccountRef, creatorSlug: String, outcome: String, charged: String?, clientAddress: String, createdAt: Date) {
        self.id = id
        self.customer = customer
        self.creatorSlug = creatorSlug
        self.outcome = outcome
        self.charged = charged
        self.clientAddress = clientAddress
        self.createdAt = createdAt
    }
}

/// Which attempts `GET /admin/contacts` lists.
public struct ContactAttemptFilter: Sendable {
    public var creatorSlug: String?
    public var customerID: String?
    public var since: Date?

    public init(creatorSlug: String? = nil, customerID: String? = nil, since: Date? = nil) {
        self.creatorSlug = creatorSlug
        self.customerID = customerID
        self.since = since
    }
}

/// One account's contact attempts in a window: what makes scraping visible.
public struct AccountActivity: Hashable, Sendable {
    public let customer: AccountRef
    public let attempts: Int
    public let distinctCreators: Int
    public let revealed: Int
    /// Refused for any reason: quota, rate limit, unknown creator, forbidden.
    public let refused: Int
    /// The most attempts in one clock hour of the window.
    public let peakPerHour: Int
    public let firstAt: Date
    public let lastAt: Date

    public init(customer: AccountRef, attempts: Int, distinctCreators: Int, revealed: Int, refused: Int, peakPerHour: Int, firstAt: Date, lastAt: Date) {
        self.customer = customer
        self.attempts = attempts
        self.distinctCreators = distinctCreators
        self.revealed = revealed
        self.refused = refused
        self.peakPerHour = peakPerHour
        self.firstAt = firstAt
        self.lastAt = lastAt
    }
}

/// `GET /admin/stats`.
public struct AdminStats: Hashable, Sendable {
    public let users: [Role: Int]
    public let creators: [CreatorStatus: Int]
    public let contactsToday: Int
    public let contactsLast7Days: Int
    public let contactsLast30Days: Int
    public let activeSubscriptions: Int
    public let revenuePaise: Int

    public init(users: [Role: Int], creators: [CreatorStatus: Int], contactsToday: Int, contactsLast7Days: Int, contactsLast30Days: Int, activeSubscriptions: Int, revenuePaise: Int) {
        self.users = users
        self.creators = creators
        self.contactsToday = contactsToday
        self.contactsLast7Days = contactsLast7Days
        self.contactsLast30Days = contactsLast30Days
        self.activeSubscriptions = activeSubscriptions
        self.revenuePaise = revenuePaise
    }
}

/// A subscription with its owner, for the admin.
public struct SubscriptionRecord: Hashable, Sendable {
    public let state: SubscriptionState
    public let user: AccountRef
    public let createdAt: Date

    public init(state: SubscriptionState, user: AccountRef, createdAt: Date) {
        self.state = state
        self.user = user
        self.createdAt = createdAt
    }
}

/// One line of the audit log: who did what to what, when, and why.
public struct AuditEntry: Hashable, Sendable {
    public let id: String
    public let actor: String
    public let action: String
    public let target: String
    public let reason: String?
    public let at: Date

    public init(id: String, actor: String, action: String, target: String, reason: String?, at: Date) {
        self.id = id
        self.actor = actor
        self.action = action
        self.target = target
        self.reason = reason
        self.at = at
    }
}
