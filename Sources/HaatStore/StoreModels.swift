import Foundation
import HaatCore

/// Where a creator stands with the moderators.
public enum CreatorStatus: String, Sendable, Codable, CaseIterable {
    /// Never approved; its current revision awaits review.
    case pending
    /// Has a live (approved) revision.
    case approved
    /// Never approved; its revision was rejected.
    case rejected
    /// No page and no reveals until reinstated.
    case suspended
}

/// What moderators decided about one revision.
public enum RevisionState: String, Sendable, Codable {
    case pending, approved, rejected
}

/// One image of a revision: its bundle file name and its content hash, by which the
/// approved copy is found in the media folder.
public struct RevisionImage: Hashable, Sendable, Codable {
    public let name: String
    public let sha256: String
    public let bytes: Int
    public let width: Int
    public let height: Int
    public let format: ImageInfo.Format

    public init(name: String, sha256: String, bytes: Int, info: ImageInfo) {
        self.name = name
        self.sha256 = sha256
        self.bytes = bytes
        self.width = info.width
        self.height = info.height
        self.format = info.format
    }

    /// The content-addressed file name in the media folder.
    public var mediaFileName: String { "\(sha256).\(format.fileExtension)" }
}

/// A revision about to be recorded: the exact `index.md` text and its images.
public struct NewRevision: Sendable {
    public let slug: Slug
    public let contentSHA256: String
    public let name: String
    public let account: EmailAddress
    public let text: String
    public let images: [RevisionImage]
    /// Where it came from: `content` (the folder) or `editor` (the API).
    public let source: String

    /// The revision's private contact details, kept beside it so the lead API reveals
    /// exactly the approved revision's number without parsing anything.
    public let contact: ContactDetails?

    public init(slug: Slug, contentSHA256: String, name: String, account: EmailAddress, text: String, images: [RevisionImage],
                contact: ContactDetails? = nil, source: String = "content") {
        self.slug = slug
        self.contentSHA256 = contentSHA256
        self.name = name
        self.account = account
        self.text = text
        self.images = images
        self.contact = contact
        self.source = source
    }
}

/// A creator as the moderators see it.
public struct CreatorRecord: Hashable, Sendable {
    public let slug: Slug
    public let name: String
    public let account: String
    public let status: CreatorStatus
    public let currentSHA256: String
    public let approvedSHA256: String?
    public let currentState: RevisionState
    public let verified: Bool
    public let statusReason: String?
    /// Whether an account with the `account` email exists (someone an admin could confirm).
    public let ownerHasAccount: Bool
    /// Whether that account's ownership of this profile is confirmed (`ProfileOwnership`).
    public let ownerConfirmed: Bool

    public init(slug: Slug, name: String, account: String, status: CreatorStatus, currentSHA256: String,
                approvedSHA256: String?, currentState: RevisionState, verified: Bool, statusReason: String?,
                ownerHasAccount: Bool, ownerConfirmed: Bool) {
        self.slug = slug
        self.name = name
        self.account = account
        self.status = status
        self.currentSHA256 = currentSHA256
        self.approvedSHA256 = approvedSHA256
        self.currentState = currentState
        self.verified = verified
        self.statusReason = statusReason
        self.ownerHasAccount = ownerHasAccount
        self.ownerConfirmed = ownerConfirmed
    }

    public var changedSinceApproval: Bool { approvedSHA256 != nil && approvedSHA256 != currentSHA256 }
}

/// A stored revision: the text and images exactly as they were recorded.
public struct StoredRevision: Hashable, Sendable {
    public let slug: Slug
    public let contentSHA256: String
    public let text: String
    public let images: [RevisionImage]
    public let state: RevisionState
    public let createdAt: Date

    public init(slug: Slug, contentSHA256: String, text: String, images: [RevisionImage], state: RevisionState, createdAt: Date) {
        self.slug = slug
        self.contentSHA256 = contentSHA256
        self.text = text
        self.images = images
        self.state = state
        self.createdAt = createdAt
    }
}

/// Names one revision of one creator.
public struct RevisionKey: Hashable, Sendable {
    public let slug: Slug
    public let sha256: String

    public init(slug: Slug, sha256: String) {
        self.slug = slug
        self.sha256 = sha256
    }
}

/// What goes live on the next build, without the revision's text: enough to decide what
/// a build must re-read.
public struct LiveRevisionHead: Hashable, Sendable {
    public let key: RevisionKey
    public let verified: Bool
    public let approvedAt: Date

    public init(key: RevisionKey, verified: Bool, approvedAt: Date) {
        self.key = key
        self.verified = verified
        self.approvedAt = approvedAt
    }
}

/// What goes live on the next build: an approved, not suspended creator's approved revision.
public struct LiveRevision: Hashable, Sendable {
    public let revision: StoredRevision
    public let verified: Bool
    public let approvedAt: Date

    public init(revision: StoredRevision, verified: Bool, approvedAt: Date) {
        self.revision = revision
        self.verified = verified
        self.approvedAt = approvedAt
    }
}

/// Whether recording a revision changed anything.
public enum RecordOutcome: Sendable, Equatable {
    /// The creator's current revision already had this content.
    case unchanged
    /// A new pending revision (a new creator or an edit).
    case recorded
}

/// Errors the store reports to its callers; each maps to an API error later.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    case creatorNotFound(Slug)
    case revisionNotFound(Slug, String)
    case conflict(String)
    case emailTaken

    public var description: String {
        switch self {
        case .creatorNotFound(let slug): "no creator \"\(slug)\" in the store (import its bundle first)"
        case .revisionNotFound(let slug, let sha): "creator \"\(slug)\" has no revision \(sha.prefix(12))"
        case .conflict(let message): message
        case .emailTaken: "an account with this email already exists"
        }
    }
}
