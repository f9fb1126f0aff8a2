import Foundation
import HaatCore
import HaatStore
import Hummingbird
import HaatContent

/// API.md "Admin": moderation of creators (the pending queue, approve, reject, suspend,
/// reinstate, verify, the diff of what an approval would put live) and rebuilds. Every
/// action is recorded with the admin and the time (moderation_events).
struct AdminCreatorRoutes: Sendable {
    let store: any HaatStore
    let authenticator: Authenticator
    let approver: Approver
    let rebuilder: SiteRebuilder
    /// Delivers the leads that waited for an owner's confirmation.
    let hub: any NotificationHub

    struct CreatorItem: Encodable {
        let slug: String
        let name: String
        let status: String
        let contentSHA256: String
        @OrNull var approvedSHA256: String?
        let changedSinceApproval: Bool
        let verified: Bool
        /// Additive: why it was rejected or suspended.
        @OrNull var statusReason: String?
        let ownerConfirmed: Bool
        /// The account the profile names, once someone has signed up with its email.
        @OrNull var owner: OwnerBody?
        enum CodingKeys: String, CodingKey {
            case slug, name, status, contentSHA256 = "content_sha256", approvedSHA256 = "approved_sha256",
                 changedSinceApproval = "changed_since_approval", verified, statusReason = "status_reason",
                 ownerConfirmed = "owner_confirmed", owner
        }

        init(_ record: CreatorRecord) {
            slug = record.slug.rawValue
            name = record.name
            status = record.status.rawValue
            contentSHA256 = record.currentSHA256
            approvedSHA256 = record.approvedSHA256
            changedSinceApproval = record.changedSinceApproval
            verified = record.verified
            statusReason = record.statusReason
            ownerConfirmed = record.ownerConfirmed
            owner = record.ownerHasAccount ? OwnerBody(email: record.account, confirmed: record.ownerConfirmed) : nil
        }
    }

    struct OwnerBody: Encodable {
        let email: String
        let confirmed: Bool
    }

    struct ConfirmedOwnerBody: Encodable {
        let slug: String
        let owner: OwnerBody
    }

    struct DiffBody: Encodable {
        @OrNull var approvedText: String?
        let currentText: String
        /// Additive: the changed fields in words (null when a text does not parse) and the
        /// new or replaced pictures, whose previews `GET .../images/{name}` serves.
        @OrNull var fields: [FieldBody]?
        let pictures: [PictureBody]
        enum CodingKeys: String, CodingKey { case approvedText = "approved_text", currentText = "current_text", fields, pictures }
    }

    struct FieldBody: Encodable, Sendable {
        let field: String
        let label: String
        @OrNull var before: String?
        @OrNull var after: String?
    }

    struct PictureBody: Encodable, Sendable {
        let name: String
        let change: String
    }

    struct ReasonBody: Decodable {
        let reason: String?
    }

    struct BuildBody: Encodable {
        let buildID: String
        let status: String
        @OrNull var pagesWritten: Int?
        @OrNull var durationMS: Int?
        @OrNull var error: String?
        enum CodingKeys: String, CodingKey {
            case buildID = "build_id", status, pagesWritten = "pages_written", durationMS = "duration_ms", error
        }

        init(_ build: BuildRecord) {
            buildID = build.id
            status = build.status.rawValue
            pagesWritten = build.pagesWritten
            durationMS = build.durationMS
            error = build.error
        }
    }

    func register(on router: APIRouter) {
        router.on(.get, "admin/creators", use: list)
        router.on(.post, "admin/creators/:slug/approve", use: approve)
        router.on(.post, "admin/creators/:slug/reject", use: reject)
        router.on(.post, "admin/creators/:slug/suspend", use: suspend)
        router.on(.post, "admin/creators/:slug/reinstate", use: reinstate)
        router.on(.post, "admin/creators/:slug/verify", use: verify)
        router.on(.post, "admin/creators/:slug/confirm-owner", use: confirmOwner)
        router.on(.get, "admin/creators/:slug/diff", use: diff)
        router.on(.get, "admin/creators/:slug/images/:name", use: image)
        router.on(.post, "admin/rebuild", use: rebuild)
        router.on(.get, "admin/builds/:build_id", use: build)
    }

    @Sendable func list(_ request: Request, context: HaatRequestContext) async throws -> Response {
        _ = try await authenticator.admin(for: request)
        var status: CreatorStatus?
        if let text = request.uri.queryParameters["status"].map(String.init), !text.isEmpty {
            guard let parsed = CreatorStatus(rawValue: text) else { throw APIError.validation("status must be pending, approved, rejected or suspended") }
            status = parsed
        }
        let creators = try await store.creators(status: status)
        return try JSONResponse.make(ListBody(items: creators.map(CreatorItem.init), nextCursor: nil))
    }

    @Sendable func approve(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let admin = try await authenticator.admin(for: request)
        let slug = try await existing(context)
        return try await moderate { try await approver.approve(slug, by: admin.email.value) }
    }

    @Sendable func reject(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let admin = try await authenticator.admin(for: request)
        let reason = try await Self.reason(request, context)
        let slug = try await existing(context)
        return try await moderate { try await store.rejectCurrentRevision(of: slug, reason: reason, by: admin.email.value) }
    }

    @Sendable func suspend(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let admin = try await authenticator.admin(for: request)
        let reason = try await Self.reason(request, context)
        let slug = try await existing(context)
        return try await moderate { try await store.suspend(slug, reason: reason, by: admin.email.value) }
    }

    @Sendable func reinstate(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let admin = try await authenticator.admin(for: request)
        let slug = try await existing(context)
        return try await moderate { try await store.reinstate(slug, by: admin.email.value) }
    }

    @Sendable func verify(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let admin = try await authenticator.admin(for: request)
        let slug = try await existing(context)
        return try await moderate { try await store.verify(slug, by: admin.email.value) }
    }

    /// The admin has checked that the account with the profile's email is its owner: it
    /// now gets the profile's details, editing and leads, including those that waited.
    @Sendable func confirmOwner(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let admin = try await authenticator.admin(for: request)
        let slug = try await existing(context)
        guard try await store.creator(slug)?.ownerHasAccount == true else {
            throw APIError(.conflict, code: "conflict",
                           message: "No account has this profile's email yet: confirm its owner once they have signed up with it.")
        }
        let confirmation = try await storeRefusals { try await store.confirmOwner(of: slug, by: admin.email.value, now: Date()) }
        for lead in confirmation.deliveredLeads { hub.publish(lead) }
        let creator = confirmation.creator
        return try JSONResponse.make(ConfirmedOwnerBody(slug: creator.slug.rawValue, owner: OwnerBody(email: creator.account, confirmed: true)))
    }

    @Sendable func diff(_ request: Request, context: HaatRequestContext) async throws -> Response {
        _ = try await authenticator.admin(for: request)
        let slug = try await existing(context)
        guard let creator = try await store.creator(slug), let current = try await store.revision(of: slug, sha256: creator.currentSHA256) else {
            throw APIError.notFound("There is no creator \"\(slug)\".")
        }
        let approved = try await creator.approvedSHA256.asyncMap { try await store.revision(of: slug, sha256: $0) } ?? nil
        let changes = (try? approver.content.loadCatalog().get()).map { RevisionChanges(approved: approved, current: current, catalog: $0) }
        return try JSONResponse.make(DiffBody(
            approvedText: approved?.text, currentText: current.text,
            fields: changes?.fields?.map { FieldBody(field: $0.key, label: $0.label, before: $0.before, after: $0.after) },
            pictures: (changes?.pictures ?? []).map { PictureBody(name: $0.name, change: $0.change.rawValue) }))
    }

    /// A picture of the revision an approval would put live, as recorded.
    @Sendable func image(_ request: Request, context: HaatRequestContext) async throws -> Response {
        _ = try await authenticator.admin(for: request)
        let slug = try await existing(context)
        let name = context.parameters.get("name") ?? ""
        guard let creator = try await store.creator(slug), let current = try await store.revision(of: slug, sha256: creator.currentSHA256),
              let data = approver.pictureData(name, of: current) else {
            throw APIError.notFound("This revision has no picture \"\(name)\".")
        }
        return try await ImagePreview.response(for: data)
    }

    @Sendable func rebuild(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let admin = try await authenticator.admin(for: request)
        let build = try await rebuilder.request(by: admin.email.value)
        return try JSONResponse.make(BuildBody(build), status: .accepted)
    }

    @Sendable func build(_ request: Request, context: HaatRequestContext) async throws -> Response {
        _ = try await authenticator.admin(for: request)
        let id = context.parameters.get("build_id") ?? ""
        guard let build = try await store.build(id: id) else { throw APIError.notFound("There is no build \"\(id)\".") }
        return try JSONResponse.make(BuildBody(build))
    }

    /// The route's creator, which must exist (404 otherwise).
    private func existing(_ context: HaatRequestContext) async throws -> Slug {
        let text = context.parameters.get("slug") ?? ""
        guard let slug = Slug(text), try await store.creator(slug) != nil else { throw APIError.notFound("There is no creator \"\(text)\".") }
        return slug
    }

    /// Runs a moderation step and answers with the creator as it now is; the store's
    /// refusals (a revision already approved, changed meanwhile) are 409 `conflict`.
    private func moderate(_ step: () async throws -> CreatorRecord) async throws -> Response {
        try JSONResponse.make(CreatorItem(try await storeRefusals(step)))
    }

    /// The store's refusals as API errors: unknown is 404, the rest 409 `conflict`.
    private func storeRefusals<T>(_ step: () async throws -> T) async throws -> T {
        do {
            return try await step()
        } catch let error as StoreError {
            switch error {
            case .creatorNotFound, .revisionNotFound: throw APIError.notFound(error.description)
            case .conflict, .emailTaken: throw APIError(.conflict, code: "conflict", message: error.description)
            }
        }
    }

    /// `{reason}`: required, 1 to 500 characters.
    static func reason(_ request: Request, _ context: HaatRequestContext) async throws -> String {
        let body = try await JSONResponse.decode(ReasonBody.self, from: request, context: context, emptyAs: "{}")
        let reason = body.reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard (1...500).contains(reason.count) else { throw APIError.validation("reason is required (1 to 500 characters): it is kept in the audit log") }
        return reason
    }
}

extension Optional {
    /// `map` for an async transform.
    func asyncMap<Result>(_ transform: (Wrapped) async throws -> Result) async rethrows -> Result? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
