import Foundation
import HaatStore
import Hummingbird

/// API.md "Admin": the reports queue (resolve: dismiss, suspend the creator, suspend the
/// other party of a contact) and the reviews queue (approve, reject). Approved reviews
/// appear on creator pages at the next build.
struct AdminReviewAndReportRoutes: Sendable {
    let store: any HaatStore
    let authenticator: Authenticator

    struct ReportItem: Encodable {
        struct Resolution: Encodable {
            let action: String
            @OrNull var note: String?
            let at: String
        }
        let reportId: String
        let reporter: AccountBody
        @OrNull var creatorSlug: String?
        @OrNull var contactId: String?
        let reason: String
        @OrNull var details: String?
        let status: String
        @OrNull var resolution: Resolution?
        let createdAt: String
        /// Additive: for a contact's report, its creator and its customer.
        @OrNull var contact: ContactParties?
        enum CodingKeys: String, CodingKey {
            case reportId = "report_id", reporter, creatorSlug = "creator_slug", contactId = "contact_id", reason, details, status, resolution,
                 createdAt = "created_at", contact
        }

        struct ContactParties: Encodable, Sendable {
            let creatorSlug: String
            let customer: AccountBody
            enum CodingKeys: String, CodingKey { case creatorSlug = "creator_slug", customer }
        }

        init(_ report: ReportRecord) {
            reportId = report.id
            reporter = AccountBody(report.reporter)
            switch report.subject {
            case .creator(let slug): creatorSlug = slug
            case .contact(let id): contactId = id
            }
            reason = report.reason.rawValue
            details = report.details
            status = report.isOpen ? "open" : "resolved"
            resolution = report.resolution.map { Resolution(action: $0.action.rawValue, note: $0.note, at: RFC3339.string(from: $0.at)) }
            createdAt = RFC3339.string(from: report.createdAt)
            contact = report.contact.map { ContactParties(creatorSlug: $0.creatorSlug, customer: AccountBody($0.customer)) }
        }
    }

    struct ResolveRequest: Decodable {
        let action: String?
        let note: String?
    }

    struct ReviewItem: Encodable {
        let reviewId: String
        let contactId: String
        let creatorSlug: String
        let customer: AccountBody
        let rating: Int
        @OrNull var text: String?
        let status: String
        let createdAt: String
        enum CodingKeys: String, CodingKey {
            case reviewId = "review_id", contactId = "contact_id", creatorSlug = "creator_slug", customer, rating, text, status, createdAt = "created_at"
        }

        init(_ review: ReviewRecord) {
            reviewId = review.id
            contactId = review.contactID
            creatorSlug = review.creatorSlug
            customer = AccountBody(review.customer)
            rating = review.rating
            text = review.text
            status = review.status.rawValue
            createdAt = RFC3339.string(from: review.createdAt)
        }
    }

    func register(on router: APIRouter) {
        router.on(.get, "admin/reports", use: reports)
        router.on(.post, "admin/reports/:id/resolve", use: resolve)
        router.on(.get, "admin/reviews", use: reviews)
        router.on(.post, "admin/reviews/:id/approve") { request, context in try await decide(request, context, .approved) }
        router.on(.post, "admin/reviews/:id/reject") { request, context in try await decide(request, context, .rejected) }
    }

    @Sendable func reports(_ request: Request, context: HaatRequestContext) async throws -> Response {
        _ = try await authenticator.admin(for: request)
        let (limit, cursor) = try ListQuery.parse(request)
        var open: Bool?
        if let status = ListQuery.text(request, "status") {
            guard ["open", "resolved"].contains(status) else { throw APIError.validation("status must be open or resolved") }
            open = status == "open"
        }
        let page = try await store.reports(open: open, limit: limit, after: cursor)
        return try JSONResponse.make(ListBody(items: page.items.map(ReportItem.init), nextCursor: page.nextCursor))
    }

    @Sendable func resolve(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let admin = try await authenticator.admin(for: request)
        let body = try await JSONResponse.decode(ResolveRequest.self, from: request, context: context)
        guard let action = body.action.flatMap(ReportAction.init(rawValue:)) else {
            throw APIError.validation("action must be dismiss, suspend_creator or suspend_user")
        }
        let note = body.note?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let note, note.count > 2000 { throw APIError.validation("note must be at most 2000 characters") }
        let id = context.parameters.get("id") ?? ""
        switch try await store.resolveReport(id, action: action, note: note?.isEmpty == true ? nil : note, by: admin.email.value, now: Date()) {
        case .resolved(let report): return try JSONResponse.make(ReportItem(report))
        case .notFound: throw APIError.notFound("There is no report \"\(id)\".")
        case .alreadyResolved: throw APIError(.conflict, code: "conflict", message: "This report is already resolved.")
        case .noUserInvolved:
            throw APIError.validation("action: suspend_user needs a report of a contact; this report names a profile (use suspend_creator)")
        }
    }

    @Sendable func reviews(_ request: Request, context: HaatRequestContext) async throws -> Response {
        _ = try await authenticator.admin(for: request)
        let (limit, cursor) = try ListQuery.parse(request)
        var status: ReviewStatus?
        if let text = ListQuery.text(request, "status") {
            guard let parsed = ReviewStatus(rawValue: text) else { throw APIError.validation("status must be pending, approved or rejected") }
            status = parsed
        }
        let page = try await store.reviews(status: status, limit: limit, after: cursor)
        return try JSONResponse.make(ListBody(items: page.items.map(ReviewItem.init), nextCursor: page.nextCursor))
    }

    private func decide(_ request: Request, _ context: HaatRequestContext, _ status: ReviewStatus) async throws -> Response {
        let admin = try await authenticator.admin(for: request)
        let id = context.parameters.get("id") ?? ""
        guard let review = try await store.decideReview(id, status: status, by: admin.email.value, now: Date()) else {
            throw APIError.notFound("There is no review \"\(id)\".")
        }
        return try JSONResponse.make(ReviewItem(review))
    }
}
