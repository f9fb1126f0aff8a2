import Foundation
import HaatCore

/// Haat's persistence, behind one protocol so SQLite (one machine) and PostgreSQL
/// (scale-out) are interchangeable. No database library's types appear here.
public protocol HaatStore: Sendable {
    /// Records a revision as the creator's current one, unless it already is.
    /// A new creator starts `pending`; an edit of an approved creator leaves the
    /// approved revision live until an admin approves the edit.
    func recordRevision(_ revision: NewRevision) async throws -> RecordOutcome
    /// `recordRevision` for many bundles in one transaction (an import of a whole tree).
    func recordRevisions(_ revisions: [NewRevision]) async throws -> [RecordOutcome]

    func creator(_ slug: Slug) async throws -> CreatorRecord?
    /// Creators in slug order; `pending` means "has a revision awaiting review".
    func creators(status: CreatorStatus?) async throws -> [CreatorRecord]
    func revision(of slug: Slug, sha256: String) async throws -> StoredRevision?

    /// Marks the creator's current revision approved, provided it still is `sha256`
    /// (else `StoreError.conflict`): it goes live on the next build. The caller has
    /// already copied its images into the media folder (see `Approver`).
    func approveRevision(of slug: Slug, sha256: String, by actor: String) async throws -> CreatorRecord
    /// Rejects the current revision; an approved creator stays live with its last approval.
    func rejectCurrentRevision(of slug: Slug, reason: String, by actor: String) async throws -> CreatorRecord
    func suspend(_ slug: Slug, reason: String, by actor: String) async throws -> CreatorRecord
    func reinstate(_ slug: Slug, by actor: String) async throws -> CreatorRecord

    /// Every approved, not suspended creator's last approved revision, in slug order.
    func liveRevisions() async throws -> [LiveRevision]
}
