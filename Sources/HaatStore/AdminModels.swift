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

// MARK: Reviews and reports

public enum ReviewStatus: String, Sendable, CaseIterable {
    case pending, approved, rejected
}

public struct ReviewRecord: Hashable, Sendable {
    public let id: String
    public let contactID: String
    public let creatorSlug: String
    public let customer: AccountRef
    public let rating: Int
    public let text: String?
    public let status: ReviewStatus
    public let createdAt: Date

    public init(id: String, contactID: String, creatorSlug: String, customer: AccountRef, rating: Int, text: String?, status: ReviewStatus, createdAt: Date) {
        self.id = id
        self.contactID = contactID
        self.creatorSlug = creatorSlug
        self.customer = customer
        self.rating = rating
        self.text = text
        self.status = status
        self.createdAt = createdAt
    }
}

/// An approved review as the creator page shows it: the customer's first name only.
public struct PublishedReview: Hashable, Sendable, Codable {
    public let rating: Int
    public let text: String?
    public let firstName: String
    public let createdAt: Date

    public init(rating: Int, text: String?, firstName: String, createdAt: Date) {
        self.rating = rating
        self.text = text
        self.firstName = firstName
        self.createdAt = createdAt
    }
}

public enum ReviewCreation: Hashable, Sendable {
    case created(ReviewRecord)
    /// No contact of this customer has that id.
    case contactNotFound
    case alreadyReviewed
}

public enum ReportReason: String, Sendable, CaseIterable {
    case fakeProfile = "fake_profile", noShow = "no_show", spam, abuse, other
}

/// What a report names: a creator's profile, or a contact the reporter took part in.
public enum ReportSubject: Hashable, Sendable {
    case creator(String)
    case contact(String)
}

public enum ReportAction: String, Sendable, CaseIterable {
    case dismiss, suspendCreator = "suspend_creator", suspendUser = "suspend_user"

    /// The audit log's reason for a resolution with this action.
    public func auditReason(note: String?) -> String {
        rawValue + (note.map { ": \($0)" } ?? "")
    }
}

public struct ReportRecord: Hashable, Sendable {
    public struct Resolution: Hashable, Sendable {
        public let action: ReportAction
        public let note: String?
        public let at: Date

        public init(action: ReportAction, note: String?, at: Date) {
            self.action = action
            self.note = note
            self.at = at
        }
    }

    public let id: String
    public let reporter: AccountRef
    public let subject: ReportSubject
    public let reason: ReportReason
    public let details: String?
    public let resolution: Resolution?
    public let createdAt: Date

    public init(id: String, reporter: AccountRef, subject: ReportSubject, reason: ReportReason, details: String?, resolution: Resolution?,
                createdAt: Date) {
        self.id = id
        self.reporter = reporter
        self.subject = subject
        self.reason = reason
        self.details = details
        self.resolution = resolution
        self.createdAt = createdAt
    }

    public var isOpen: Bool { resolution == nil }

    /// Why a suspension made by resolving this report happened, as every store records it.
    public func suspensionReason(note: String?) -> String {
        "report \(id): \(reason.rawValue)" + (note.map { " (\($0))" } ?? "")
    }
}

public enum ReportCreation: Hashable, Sendable {
    case created(ReportRecord)
    /// No such creator, or a contact the reporter did not take part in.
    case subjectNotFound
}

public enum ReportResolutionOutcome: Hashable, Sendable {
    case resolved(ReportRecord)
    case notFound
    case alreadyResolved
    /// `suspend_user` on a report of a profile: no user is involved.
    case noUserInvolved
}

// MARK: Builds

public enum BuildStatus: String, Sendable {
    case queued, running, succeeded, failed
}

/// A rebuild requested through the admin API.
public struct BuildRecord: Hashable, Sendable {
    public let id: String
    public let status: BuildStatus
    public let pagesWritten: Int?
    public let durationMS: Int?
    public let error: String?
    public let requestedBy: String
    public let createdAt: Date

    public init(id: String, status: BuildStatus, pagesWritten: Int?, durationMS: Int?, error: String?, requestedBy: String, createdAt: Date) {
        self.id = id
        self.status = status
        self.pagesWritten = pagesWritten
        self.durationMS = durationMS
        self.error = error
        self.requestedBy = requestedBy
        self.createdAt = createdAt
    }
}
