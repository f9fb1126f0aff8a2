import Foundation
import HaatCore
import HaatStore
import PostgresNIO

/// Creators, their revisions and moderation: what imports record, what admins decide,
/// what builds read. Same meaning as `SQLiteStore`'s.
extension PostgresStore: RevisionStore {
    public func recordRevision(_ revision: NewRevision) async throws -> RecordOutcome {
        try await recordRevisions([revision])[0]
    }

    public func recordRevisions(_ revisions: [NewRevision]) async throws -> [RecordOutcome] {
        try await connectionTransaction { connection in
            var outcomes: [RecordOutcome] = []
            for revision in revisions {
                outcomes.append(try await record(revision, on: connection))
            }
            return outcomes
        }
    }

    /// Records one revision inside the caller's transaction. Two instances importing the
    /// same bundle at once queue on the creator's row (or, for a new creator, on its
    /// insertion), and the second finds the revision already current.
    private func record(_ revision: NewRevision, on connection: PostgresConnection) async throws -> RecordOutcome {
        let slug = revision.slug.rawValue
        var current = try await lockedCurrentSHA256(of: slug, on: connection)
        if current == nil {
            let now = Date()
            let created = try await Self.rowCount("""
                INSERT INTO creators (slug, name, account, status, current_sha256, approved_sha256, verified, created_at, updated_at)
                VALUES (\(slug), \(revision.name), \(revision.account.value), 'pending', \(revision.contentSHA256), NULL, false, \(now), \(now))
                ON CONFLICT (slug) DO NOTHING RETURNING slug
                """, on: connection, logger: logger)
            if created > 0 {
                try await insertRevision(revision, on: connection)
                return .recorded
            }
            current = try await lockedCurrentSHA256(of: slug, on: connection)
        }
        if current == revision.contentSHA256 { return .unchanged }
        try await insertRevision(revision, on: connection)
        try await makeCurrent(revision, on: connection)
        return .recorded
    }

    private func lockedCurrentSHA256(of slug: String, on connection: PostgresConnection) async throws -> String? {
        try await Self.rows("SELECT current_sha256 FROM creators WHERE slug = \(slug) FOR UPDATE", on: connection, logger: logger) {
            try $0.value("current_sha256", as: String.self)
        }.first
    }

    public func recordEdit(_ revision: NewRevision, replacing baseSHA256: String) async throws -> RecordOutcome {
        try await connectionTransaction { connection in
            guard let current = try await lockedCurrentSHA256(of: revision.slug.rawValue, on: connection) else {
                throw StoreError.creatorNotFound(revision.slug)
            }
            guard current == baseSHA256 else {
                throw StoreError.conflict("the profile changed since it was read (now \(current.prefix(12))); reload it and make the edit again")
            }
            if current == revision.contentSHA256 { return .unchanged }
            try await insertRevision(revision, on: connection)
            try await makeCurrent(revision, on: connection)
            return .recorded
        }
    }

    /// The revision's text and images (kept if this content was recorded before: an edit
    /// undone keeps its decision history), and the import in the moderation log.
    private func insertRevision(_ revision: NewRevision, on connection: PostgresConnection) async throws {
        let slug = revision.slug.rawValue
        let inserted = try await Self.rowCount("""
            INSERT INTO revisions (slug, sha256, text, state, source, created_at, phone, whatsapp)
            VALUES (\(slug), \(revision.contentSHA256), \(revision.text), 'pending', \(revision.source), \(Date()),
                    \(revision.contact?.phone.e164), \(revision.contact?.whatsapp?.e164))
            ON CONFLICT (slug, sha256) DO NOTHING RETURNING sha256
            """, on: connection, logger: logger)
        if inserted > 0 {
            for (position, image) in revision.images.enumerated() {
                try await connection.query("""
                    INSERT INTO revision_images (slug, revision_sha256, position, name, sha256, bytes, width, height, format)
                    VALUES (\(slug), \(revision.contentSHA256), \(position), \(image.name), \(image.sha256), \(image.bytes),
                            \(image.width), \(image.height), \(image.format.rawValue))
                    """, logger: logger)
            }
        }
        try await log(slug: revision.slug, action: "import", sha256: revision.contentSHA256, actor: revision.source, reason: nil, on: connection)
    }

    /// Makes an existing creator's current revision `revision`; a rejected creator with a
    /// new revision is back in the queue.
    private func makeCurrent(_ revision: NewRevision, on connection: PostgresConnection) async throws {
        try await connection.query("""
            UPDATE creators SET name = \(revision.name), account = \(revision.account.value), current_sha256 = \(revision.contentSHA256),
                updated_at = \(Date()), status = CASE WHEN status = 'rejected' THEN 'pending' ELSE status END
            WHERE slug = \(revision.slug.rawValue)
            """, logger: logger)
    }

    public func currentRevisionSHA256s() async throws -> [Slug: String] {
        let pairs = try await rows("SELECT slug, current_sha256 FROM creators") { row in
            (Slug(try row.value("slug", as: String.self)), try row.value("current_sha256", as: String.self))
        }
        return pairs.reduce(into: [:]) { result, pair in if let slug = pair.0 { result[slug] = pair.1 } }
    }

    public func creator(_ slug: Slug) async throws -> CreatorRecord? {
        try await rows(Self.creatorSelect(where: "c.slug = $1", slug.rawValue), Self.creatorRecord).first
    }

    public func creators(status: CreatorStatus?) async throws -> [CreatorRecord] {
        let query: PostgresQuery = switch status {
        case nil: Self.creatorSelect(where: "true")
        case .pending?: Self.creatorSelect(where: "r.state = 'pending' AND c.status <> 'suspended'")
        case .some(let status): Self.creatorSelect(where: "c.status = $1", status.rawValue)
        }
        return try await rows(query, Self.creatorRecord)
    }

    public func creators(ownedBy email: String) async throws -> [CreatorRecord] {
        try await rows(Self.creatorSelect(where: "c.account = $1", email.lowercased()), Self.creatorRecord)
    }

    public func revision(of slug: Slug, sha256: String) async throws -> StoredRevision? {
        try await revisions([RevisionKey(slug: slug, sha256: sha256)]).first
    }

    public func revisions(_ keys: [RevisionKey]) async throws -> [StoredRevision] {
        guard !keys.isEmpty else { return [] }
        let slugs = keys.map(\.slug.rawValue), shas = keys.map(\.sha256)
        var images: [RevisionKey: [RevisionImage]] = [:]
        let imageRows = try await rows("""
            SELECT i.* FROM revision_images i JOIN unnest(\(slugs)::text[], \(shas)::text[]) AS k(slug, sha256)
                ON i.slug = k.slug AND i.revision_sha256 = k.sha256
            ORDER BY i.slug, i.position
            """) { row in (try row.value("slug", as: String.self), try row.value("revision_sha256", as: String.self), try Self.revisionImage(row)) }
        for (slug, sha, image) in imageRows {
            guard let slug = Slug(slug) else { continue }
            images[RevisionKey(slug: slug, sha256: sha), default: []].append(image)
        }
        return try await rows("""
            SELECT r.* FROM revisions r JOIN unnest(\(slugs)::text[], \(shas)::text[]) AS k(slug, sha256)
                ON r.slug = k.slug AND r.sha256 = k.sha256
            ORDER BY r.slug
            """) { row in
            guard let slug = Slug(try row.value("slug", as: String.self)),
                  let state = RevisionState(rawValue: try row.value("state", as: String.self)) else {
                throw StoreError.conflict("corrupt revision row")
            }
            let sha = try row.value("sha256", as: String.self)
            return StoredRevision(slug: slug, contentSHA256: sha, text: try row.value("text"), images: images[RevisionKey(slug: slug, sha256: sha)] ?? [],
                                  state: state, createdAt: try row.value("created_at"))
        }
    }

    public func approveRevision(of slug: Slug, sha256: String, by actor: String) async throws -> CreatorRecord {
        try await approveRevisions([RevisionKey(slug: slug, sha256: sha256)], by: actor)[0]
    }

    public func approveRevisions(_ keys: [RevisionKey], by actor: String) async throws -> [CreatorRecord] {
        try await connectionTransaction { connection in
            var records: [CreatorRecord] = []
            for key in keys {
                records.append(try await moderate(key.slug, on: connection) { creator in
                    guard creator.currentSHA256 == key.sha256 else {
                        throw StoreError.conflict("\(key.slug) changed while it was being approved; review the new revision")
                    }
                    let now = Date()
                    try await connection.query("""
                        UPDATE revisions SET state = 'approved', decided_at = \(now), decided_by = \(actor), reason = NULL
                        WHERE slug = \(key.slug.rawValue) AND sha256 = \(key.sha256)
                        """, logger: logger)
                    try await connection.query("""
                        UPDATE creators SET approved_sha256 = current_sha256, approved_at = \(now), updated_at = \(now),
                            status = CASE WHEN status = 'suspended' THEN 'suspended' ELSE 'approved' END
                        WHERE slug = \(key.slug.rawValue)
                        """, logger: logger)
                    try await log(slug: key.slug, action: "approve", sha256: key.sha256, actor: actor, reason: nil, on: connection)
                })
            }
            return records
        }
    }

    public func rejectCurrentRevision(of slug: Slug, reason: String, by actor: String) async throws -> CreatorRecord {
        try await connectionTransaction { connection in
            try await moderate(slug, on: connection) { creator in
                guard creator.approvedSHA256 != creator.currentSHA256 else {
                    throw StoreError.conflict("the current revision of \(slug) is already approved; suspend the creator instead")
                }
                let now = Date()
                try await connection.query("""
                    UPDATE revisions SET state = 'rejected', decided_at = \(now), decided_by = \(actor), reason = \(reason)
                    WHERE slug = \(slug.rawValue) AND sha256 = \(creator.currentSHA256)
                    """, logger: logger)
                if creator.status == .pending {
                    try await connection.query("UPDATE creators SET status = 'rejected', status_reason = \(reason), updated_at = \(now) WHERE slug = \(slug.rawValue)",
                                               logger: logger)
                }
                try await log(slug: slug, action: "reject", sha256: creator.currentSHA256, actor: actor, reason: reason, on: connection)
            }
        }
    }

    public func suspend(_ slug: Slug, reason: String, by actor: String) async throws -> CreatorRecord {
        try await connectionTransaction { connection in
            try await moderate(slug, on: connection) { creator in
                try await connection.query("UPDATE creators SET status = 'suspended', status_reason = \(reason), updated_at = \(Date()) WHERE slug = \(slug.rawValue)",
                                           logger: logger)
                try await log(slug: slug, action: "suspend", sha256: creator.currentSHA256, actor: actor, reason: reason, on: connection)
            }
        }
    }

    public func reinstate(_ slug: Slug, by actor: String) async throws -> CreatorRecord {
        try await connectionTransaction { connection in
            try await moderate(slug, on: connection) { creator in
                guard creator.status == .suspended else { return }
                // Back to where moderation left it: live if it ever was approved.
                let status: CreatorStatus = creator.approvedSHA256 != nil ? .approved : (creator.currentState == .rejected ? .rejected : .pending)
                try await connection.query("UPDATE creators SET status = \(status.rawValue), status_reason = NULL, updated_at = \(Date()) WHERE slug = \(slug.rawValue)",
                                           logger: logger)
                try await log(slug: slug, action: "reinstate", sha256: creator.currentSHA256, actor: actor, reason: nil, on: connection)
            }
        }
    }

    public func liveRevisionHeads() async throws -> [LiveRevisionHead] {
        try await rows("""
            SELECT c.slug, c.approved_sha256, c.verified, c.approved_at, r.created_at
            FROM creators c JOIN revisions r ON r.slug = c.slug AND r.sha256 = c.approved_sha256
            WHERE c.status = 'approved'
            ORDER BY c.slug
            """) { row in
            guard let slug = Slug(try row.value("slug", as: String.self)) else { throw StoreError.conflict("corrupt creator row") }
            let approvedAt = try row.value("approved_at", as: Date?.self)
            return LiveRevisionHead(key: RevisionKey(slug: slug, sha256: try row.value("approved_sha256")), verified: try row.value("verified"),
                                    approvedAt: try approvedAt ?? row.value("created_at"))
        }
    }

    // MARK: Helpers

    /// Locks an existing creator's row, runs a moderation step, and returns the creator as it then is.
    func moderate(_ slug: Slug, on connection: PostgresConnection, _ change: (CreatorRecord) async throws -> Void) async throws -> CreatorRecord {
        _ = try await Self.rowCount("SELECT slug FROM creators WHERE slug = \(slug.rawValue) FOR UPDATE", on: connection, logger: logger)
        guard let creator = try await Self.rows(Self.creatorSelect(where: "c.slug = $1", slug.rawValue), on: connection, logger: logger,
                                                Self.creatorRecord).first else {
            throw StoreError.creatorNotFound(slug)
        }
        try await change(creator)
        return try await Self.rows(Self.creatorSelect(where: "c.slug = $1", slug.rawValue), on: connection, logger: logger, Self.creatorRecord)[0]
    }

    /// The creators matching `condition` (with `$1` bound to `argument`, if any), in slug order.
    static func creatorSelect(where condition: String, _ argument: String? = nil) -> PostgresQuery {
        var bindings = PostgresBindings()
        if let argument { bindings.append(argument) }
        return PostgresQuery(unsafeSQL: """
            SELECT c.slug, c.name, c.account, c.status, c.current_sha256, c.approved_sha256, c.verified, c.status_reason,
                   r.state AS current_state, \(ProfileOwnership.creatorColumns)
            FROM creators c JOIN revisions r ON r.slug = c.slug AND r.sha256 = c.current_sha256
            WHERE \(condition) ORDER BY c.slug
            """, binds: bindings)
    }

    static func creatorRecord(_ row: PostgresRandomAccessRow) throws -> CreatorRecord {
        guard let slug = Slug(try row.value("slug", as: String.self)), let status = CreatorStatus(rawValue: try row.value("status")),
              let state = RevisionState(rawValue: try row.value("current_state")) else {
            throw StoreError.conflict("corrupt creator row")
        }
        return CreatorRecord(slug: slug, name: try row.value("name"), account: try row.value("account"), status: status,
                             currentSHA256: try row.value("current_sha256"), approvedSHA256: try row.value("approved_sha256"),
                             currentState: state, verified: try row.value("verified"), statusReason: try row.value("status_reason"),
                             ownerHasAccount: try row.value("owner_has_account"), ownerConfirmed: try row.value("owner_confirmed"))
    }

    static func revisionImage(_ row: PostgresRandomAccessRow) throws -> RevisionImage {
        guard let format = ImageInfo.Format(rawValue: try row.value("format")) else { throw StoreError.conflict("corrupt image row") }
        return RevisionImage(name: try row.value("name"), sha256: try row.value("sha256"), bytes: try row.value("bytes"),
                             info: ImageInfo(format: format, width: try row.value("width"), height: try row.value("height")))
    }

    func log(slug: Slug, action: String, sha256: String?, actor: String, reason: String?, on connection: PostgresConnection) async throws {
        try await connection.query("""
            INSERT INTO moderation_events (slug, action, sha256, actor, reason, at)
            VALUES (\(slug.rawValue), \(action), \(sha256), \(actor), \(reason), \(Date()))
            """, logger: logger)
    }
}
