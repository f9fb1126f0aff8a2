import Foundation

/// The two sides of a reported contact: its customer, and the account of the creator
/// whose lead it is (nil when no account has the profile's email).
public struct ContactParties: Hashable, Sendable {
    public let customerID: String
    public let creatorSlug: String
    public let creatorAccountID: String?

    public init(customerID: String, creatorSlug: String, creatorAccountID: String?) {
        self.customerID = customerID
        self.creatorSlug = creatorSlug
        self.creatorAccountID = creatorAccountID
    }
}

/// What resolving an open report with an action does, before anything is written.
public enum ReportResolution: Hashable, Sendable {
    /// Resolve it, suspending nobody.
    case dismiss
    /// Resolve it and suspend this creator's profile, with `reason` on record.
    case suspendCreator(slug: String, reason: String)
    /// Resolve it and suspend this account (its sessions end), with `reason` on record.
    case suspendUser(accountID: String, reason: String)
    /// Leave it open and answer this.
    case refuse(ReportResolutionOutcome)

    /// `parties` are the reported contact's (nil when the report names a profile, or the
    /// contact is gone). Suspending a user suspends the other party: the creator's account
    /// when the contact's customer reported, else the customer.
    public init(_ report: ReportRecord, action: ReportAction, note: String?, parties: ContactParties?) {
        guard report.isOpen else { self = .refuse(.alreadyResolved); return }
        let reason = report.suspensionReason(note: note)
        switch (action, report.subject) {
        case (.dismiss, _):
            self = .dismiss
        case (.suspendCreator, .creator(let slug)):
            self = .suspendCreator(slug: slug, reason: reason)
        case (.suspendCreator, .contact):
            // A contact whose row is gone leaves nobody to suspend; the report is resolved.
            self = parties.map { .suspendCreator(slug: $0.creatorSlug, reason: reason) } ?? .dismiss
        case (.suspendUser, .creator):
            self = .refuse(.noUserInvolved)
        case (.suspendUser, .contact):
            guard let parties else { self = .refuse(.notFound); return }
            let other = report.reporter.id == parties.customerID ? parties.creatorAccountID : parties.customerID
            self = other.map { .suspendUser(accountID: $0, reason: reason) } ?? .refuse(.noUserInvolved)
        }
    }
}
