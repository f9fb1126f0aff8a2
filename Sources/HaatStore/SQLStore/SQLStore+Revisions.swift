import Foundation
import HaatCore

/// Creators, their revisions and moderation, for both stores: what imports record, what
/// admins decide, what builds read. SQLite keeps its own batch paths (`recordRevisions`,
/// `approveRevisions`: thousands of creators in one write) and both keep their own
/// batched read of revisions.
extension SQLStore {
    public func recordRevision(_ revision: NewRevision) async throws -> RecordOutcome {
        try await recordRevisions([revision])[0]
    }

    public func recordRevisions(_ revisions: [NewRevision]) async throws -> [RecordOutcome] {
        try await transaction { database in
            var outcomes: [RecordOutcome] = []
            for revision in revisions { outcomes.append(try await database.record(revision)) }
            return outcomes
        }
    }

    public func recordEdit(_ revision: NewRevision, replacing baseSHA256: String) async throws -> RecordOutcome {
        try await transaction { database in
            guard let current = try await database.lockedCurrentSHA256(of: revision.slug) else { throw StoreError.creatorNotFound(revision.slug) }
            guard current == baseSHA256 else {
                throw StoreError.conflict("the profile changed since it was read (now \(current.prefix(12))); reload it and make the edit again")
            }
            if current == revision.contentSHA256 { return .unchanged }
            try await database.insertRevision(revision)
            try await database.makeCurrent(revision)
            return .recorded
        }
    }

    public func currentRevisionSHA256s() async throws -> [Slug: String] {
        let pairs = try await read { database in
            try await database.rows("SELECT slug, current_sha256 FROM creators") { row in (Slug(try row[0] as String), try row[1] as String) }
        }
        return pairs.reduce(into: [:]) { result, pair in if let slug = pair.0 { result[slug] = pair.1 } }
    }

    public func creator(_ slug: Slug) async throws -> CreatorRecord? {
        try await read { database in try await database.creator(slug) }
    }

    public func creators(status: CreatorStatus?) async throws -> [CreatorRecord] {
        let condition: SQL = switch status {
        case nil: "true"
        // The moderation queue: a revision waits, and the creator is not suspended.
        case .pending?: "r.state = 'pending' AND c.status <> 'suspended'"
        case .some(let status): "c.status = \(status.rawValue)"
        }
        return try await read { database in
            try await database.rows(CreatorRecord.select + " WHERE \(sql: condition) ORDER BY c.slug", CreatorRecord.init(row:))
        }
    }

    public func approvedContactPhone(of slug: Slug) async throws -> String? {
        try await read { database in
            try await database.value("""
                SELECT r.phone FROM creators c JOIN revisions r ON r.slug = c.slug AND r.sha256 = c.approved_sha256 WHERE c.slug = \(slug.rawValue)
                """, as: String.self)
        }
    }

    public func creators(ownedBy email: String) async throws -> [CreatorRecord] {
        try await read { database in
            try await database.rows(CreatorRecord.select + " WHERE c.account = \(email.lowercased()) ORDER BY c.slug", CreatorRecord.init(row:))
        }
    }

    public func approveRevision(of slug: Slug, sha256: String, by actor: String) async throws -> CreatorRecord {
        try await approveRevisions([RevisionKey(slug: slug, sha256: sha256)], by: actor)[0]
    }

    public func approveRevisions(_ keys: [RevisionKey], by actor: String) async throws -> [CreatorRecord] {
        try await transaction { database in
            var records: [CreatorRecord] = []
            for key in keys {
                records.append(try await database.moderate(key.slug) { creator in
                    guard creator.currentSHA256 == key.sha256 else {
                        throw StoreError.conflict("\(key.slug) changed while it was being approved; review the new revision")
                    }
                    let now = Date()
                    try await database.execute("""
                        UPDATE revisions SET state = 'approved', decided_at = \(now), decided_by = \(actor), reason = NULL
                        WHERE slug = \(key.slug.rawValue) AND sha256 = \(key.sha256)
                        """)
                    try await database.execute("""
                        UPDATE creators SET approved_sha256 = current_sha256, approved_at = \(now), updated_at = \(now),
                            status = CASE WHEN status = 'suspended' THEN 'suspended' ELSE 'approved' END
                        WHERE slug = \(key.slug.rawValue)
                        """)
                    try await database.logModeration(key.slug, action: "approve", sha256: key.sha256, actor: actor, reason: nil)
                })
            }
            return records
        }
    }

    public func rejectCurrentRevision(of slug: Slug, reason: String, by actor: String) async throws -> CreatorRecord {
        try await transaction { database in
            try await database.moderate(slug) { creator in
                guard creator.approvedSHA256 != creator.currentSHA256 else {
                    throw StoreError.conflict("the current revision of \(slug) is already approved; suspend the creator instead")
                }
                let now = Date()
                try await database.execute("""
                    UPDATE revisions SET state = 'rejected', decided_at = \(now), decided_by = \(actor), reason = \(reason)
                    WHERE slug = \(slug.rawValue) AND sha256 = \(creator.currentSHA256)
                    """)
                if creator.status == .pending {
                    try await database.execute("UPDATE creators SET status = 'rejected', status_reason = \(reason), updated_at = \(now) WHERE slug = \(slug.rawValue)")
                }
                try await database.logModeration(slug, action: "reject", sha256: creator.currentSHA256, actor: actor, reason: reason)
            }
        }
    }

    public func suspend(_ slug: Slug, reason: String, by actor: String) async throws -> CreatorRecord {
        try await transaction { database in
            try await database.moderate(slug) { creator in
                try await database.execute("UPDATE creators SET status = 'suspended', status_reason = \(reason), updated_at = \(Date()) WHERE slug = \(slug.rawValue)")
                try await database.logModeration(slug, action: "suspend", sha256: creator.currentSHA256, actor: actor, reason: reason)
            }
        }
    }

    public func reinstate(_ slug: Slug, by actor: String) async throws -> CreatorRecord {
        try await transaction { database in
            try await database.moderate(slug) { creator in
                guard creator.status == .suspended else { return }
                // Back to where moderation left it: live if it ever was approved.
                let status: CreatorStatus = creator.approvedSHA256 != nil ? .approved : (creator.currentState == .rejected ? .rejected : .pending)
                try await database.execute("UPDATE creators SET status = \(status.rawValue), status_reason = NULL, updated_at = \(Date()) WHERE slug = \(slug.rawValue)")
                try await database.logModeration(slug, action: "reinstate", sha256: creator.currentSHA256, actor: actor, reason: nil)
            }
        }
    }

    public func verify(_ slug: Slug, by actor: String) async throws -> CreatorRecord {
        try await transaction { database in
            try await database.moderate(slug) { _ in
                try await database.execute("UPDATE creators SET verified = TRUE, updated_at = \(Date()) WHERE slug = \(slug.rawValue)")
                try await database.logModeration(slug, action: "verify", sha256: nil, actor: actor, reason: nil)
            }
        }
    }

    public func confirmOwner(of slug: Slug, by actor: String, now: Date) async throws -> OwnerConfirmation {
        try await transaction { database in
            var delivered: [Lead] = []
            let creator = try await database.moderate(slug) { creator in
                guard !creator.ownerConfirmed else { return }
                try await database.execute("""
                    INSERT INTO owner_confirmations (slug, email, confirmed_by, confirmed_at)
                    VALUES (\(slug.rawValue), \(creator.account), \(actor), \(now)) ON CONFLICT DO NOTHING
                    """)
                try await database.logModeration(slug, action: "confirm-owner", sha256: nil, actor: actor, reason: creator.account)
                delivered = try await deliverWaitingLeads(of: slug, to: creator.account, in: database)
            }
            return OwnerConfirmation(creator: creator, deliveredLeads: delivered)
        }
    }

    public func liveRevisionHeads() async throws -> [LiveRevisionHead] {
        try await read { database in
            try await database.rows("""
                SELECT c.slug, c.approved_sha256, c.verified, c.approved_at, r.created_at
                FROM creators c JOIN revisions r ON r.slug = c.slug AND r.sha256 = c.approved_sha256
                WHERE c.status = 'approved'
                ORDER BY c.slug
                """) { row in
                guard let slug = Slug(try row[0] as String) else { throw StoreError.conflict("corrupt creator row") }
                let approvedAt: Date? = try row[3]
                return LiveRevisionHead(key: RevisionKey(slug: slug, sha256: try row[1]), verified: try row[2], approvedAt: try approvedAt ?? row[4])
            }
        }
    }
}

extension RevisionStore {
    public func revision(of slug: Slug, sha256: String) async throws -> StoredRevision? {
        try await revisions([RevisionKey(slug: slug, sha256: sha256)]).first
    }
}

extension SQLExecutor {
    fileprivate func creator(_ slug: Slug) async throws -> CreatorRecord? {
        try await row(CreatorRecord.select + " WHERE c.slug = \(slug.rawValue)", CreatorRecord.init(row:))
    }

    /// Runs a moderation step on an existing creator, its row held, and returns the creator
    /// as it then is.
    fileprivate func moderate(_ slug: Slug, _ change: (CreatorRecord) async throws -> Void) async throws -> CreatorRecord {
        // Only to hold the row: SQLite's single writer already holds everything.
        if dialect.locksRows { _ = try await lockedCurrentSHA256(of: slug) }
        guard let creator = try await creator(slug) else { throw StoreError.creatorNotFound(slug) }
        try await change(creator)
        return try await self.creator(slug)!
    }

    /// The creator's current revision, its row held until the transaction ends.
    fileprivate func lockedCurrentSHA256(of slug: Slug) async throws -> String? {
        try await value("SELECT current_sha256 FROM creators WHERE slug = \(slug.rawValue)\(sql: dialect.forUpdate)", as: String.self)
    }

    /// Records one revision. Two instances importing the same bundle at once queue on the
    /// creator's row (or, for a new creator, on its insertion), and the second finds the
    /// revision already current.
    fileprivate func record(_ revision: NewRevision) async throws -> RecordOutcome {
        var current = try await lockedCurrentSHA256(of: revision.slug)
        if current == nil {
            let now = Date()
            let created = try await exists("""
                INSERT INTO creators (slug, name, account, status, current_sha256, approved_sha256, verified, created_at, updated_at)
                VALUES (\(revision.slug.rawValue), \(revision.name), \(revision.account.value), 'pending', \(revision.contentSHA256), NULL, FALSE,
                        \(now), \(now))
                ON CONFLICT (slug) DO NOTHING RETURNING slug
                """)
            if created {
                try await insertRevision(revision)
                return .recorded
            }
            current = try await lockedCurrentSHA256(of: revision.slug)
        }
        if current == revision.contentSHA256 { return .unchanged }
        try await insertRevision(revision)
        try await makeCurrent(revision)
        return .recorded
    }

    /// The revision's text and images (kept if this content was recorded before: an edit
    /// undone keeps its decision history), and the import in the moderation log.
    fileprivate func insertRevision(_ revision: NewRevision) async throws {
        let slug = revision.slug.rawValue
        let inserted = try await exists("""
            INSERT INTO revisions (slug, sha256, text, state, source, created_at, phone, whatsapp)
            VALUES (\(slug), \(revision.contentSHA256), \(revision.text), 'pending', \(revision.source), \(Date()),
                    \(revision.contact?.phone.e164), \(revision.contact?.whatsapp?.e164))
            ON CONFLICT (slug, sha256) DO NOTHING RETURNING sha256
            """)
        if inserted {
            for (position, image) in revision.images.enumerated() {
                try await execute("""
                    INSERT INTO revision_images (slug, revision_sha256, position, name, sha256, bytes, width, height, format)
                    VALUES (\(slug), \(revision.contentSHA256), \(position), \(image.name), \(image.sha256), \(image.bytes),
                            \(image.width), \(image.height), \(image.format.rawValue))
                    """)
            }
        }
        try await logModeration(revision.slug, action: "import", sha256: revision.contentSHA256, actor: revision.source, reason: nil)
    }

    /// Makes an existing creator's current revision `revision`; a rejected creator with a
    /// new revision is back in the queue.
    fileprivate func makeCurrent(_ revision: NewRevision) async throws {
        try await execute("""
            UPDATE creators SET name = \(revision.name), account = \(revision.account.value), current_sha256 = \(revision.contentSHA256),
                updated_at = \(Date()), status = CASE WHEN status = 'rejected' THEN 'pending' ELSE status END
            WHERE slug = \(revision.slug.rawValue)
            """)
    }
}

extension CreatorRecord {
    /// The columns `init(row:)` reads, in its order.
    public static let select: SQL = """
        SELECT c.slug, c.name, c.account, c.status, c.current_sha256, c.approved_sha256, c.verified, c.status_reason,
               r.state, \(sql: ProfileOwnership.creatorColumns)
        FROM creators c JOIN revisions r ON r.slug = c.slug AND r.sha256 = c.current_sha256
        """

    public init(row: any SQLRow) throws {
        guard let slug = Slug(try row[0] as String), let status = CreatorStatus(rawValue: try row[3]), let state = RevisionState(rawValue: try row[8]) else {
            throw StoreError.conflict("corrupt creator row")
        }
        self.init(slug: slug, name: try row[1], account: try row[2], status: status, currentSHA256: try row[4], approvedSHA256: try row[5],
                  currentState: state, verified: try row[6], statusReason: try row[7], ownerHasAccount: try row[9], ownerConfirmed: try row[10])
    }
}
