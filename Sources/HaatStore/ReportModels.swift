import Foundation

/// Why a report was made, of a creator's profile or of a contact.
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
    /// For a contact's report, who took part in it: the admin sees whom it concerns.
    public let contact: ReportedContact?

    public init(id: String, reporter: AccountRef, subject: ReportSubject, reason: ReportReason, details: String?, resolution: Resolution?,
                createdAt: Date, contact: ReportedContact? = nil) {
        self.id = id
        self.reporter = reporter
        self.subject = subject
        self.reason = reason
        self.details = details
        self.resolution = resolution
        self.createdAt = createdAt
        self.contact = contact
    }

    public var isOpen: Bool { resolution == nil }

    /// Why a suspension made by resolving this report happened, as every store records it.
    public func suspensionReason(note: String?) -> String {
        "report \(id): \(reason.rawValue)" + (note.map { " (\($0))" } ?? "")
    }
}

/// The contact a report names: its creator and its customer.
public struct ReportedContact: Hashable, Sendable {
    public let creatorSlug: String
    public let customer: AccountRef

    public init(creatorSlug: String, customer: AccountRef) {
        self.creatorSlug = creatorSlug
        self.customer = customer
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
