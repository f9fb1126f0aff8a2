import Foundation
import HaatStore
import Hummingbird

/// API.md "Reviews and reports", the customer's side: a review of one of the caller's
/// contacts (once), and a report of a profile or of a contact the caller took part in.
struct ReviewAndReportRoutes: Sendable {
    let store: any HaatStore
    let authenticator: Authenticator
    let limiter: any RequestLimiter
    /// Reports an account may file per hour: enough for honest use, not for flooding the queue.
    static let reportLimit = RateLimiter.Limit(count: 20, window: 3600)

    struct ReviewRequest: Decodable {
        let rating: Int?
        let text: String?
    }

    struct ReviewCreated: Encodable {
        let reviewId: String
        let status: String
        enum CodingKeys: String, CodingKey { case reviewId = "review_id", status }
    }

    struct ReportRequest: Decodable {
        let creatorSlug: String?
        let contactId: String?
        let reason: String?
        let details: String?
        enum CodingKeys: String, CodingKey { case creatorSlug = "creator_slug", contactId = "contact_id", reason, details }
    }

    struct ReportCreated: Encodable {
        let reportId: String
        let status: String
        enum CodingKeys: String, CodingKey { case reportId = "report_id", status }
    }

    func register(on router: APIRouter) {
        router.on(.post, "contacts/:contact_id/review", use: review)
        router.on(.post, "reports", use: report)
    }

    @Sendable func review(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let account = try await authenticator.account(for: request)
        let body = try await JSONResponse.decode(ReviewRequest.self, from: request, context: context)
        var problems: [String] = []
        if !(1...5).contains(body.rating ?? 0) { problems.append("rating must be a whole number from 1 to 5") }
        let text = body.text?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let text, text.count > 2000 { problems.append("text must be at most 2000 characters") }
        guard problems.isEmpty, let rating = body.rating else { throw APIError.validation(problems.joined(separator: "; ")) }
        let contactID = context.parameters.get("contact_id") ?? ""
        switch try await store.createReview(contactID: contactID, customerID: account.id, rating: rating, text: text?.isEmpty == true ? nil : text,
                                            now: Date()) {
        case .created(let review):
            return try JSONResponse.make(ReviewCreated(reviewId: review.id, status: review.status.rawValue), status: .created)
        case .contactNotFound:
            throw APIError.notFound("You have no contact \"\(contactID)\".")
        case .alreadyReviewed:
            throw APIError(.conflict, code: "conflict", message: "You have already reviewed this contact.")
        }
    }

    @Sendable func report(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let account = try await authenticator.account(for: request)
        let body = try await JSONResponse.decode(ReportRequest.self, from: request, context: context)
        let slug = body.creatorSlug.flatMap { $0.isEmpty ? nil : $0 }
        let contact = body.contactId.flatMap { $0.isEmpty ? nil : $0 }
        var problems: [String] = []
        if (slug == nil) == (contact == nil) { problems.append("give exactly one of creator_slug and contact_id") }
        let reason = body.reason.flatMap(ReportReason.init(rawValue:))
        if reason == nil { problems.append("reason must be one of \(ReportReason.allCases.map(\.rawValue).joined(separator: ", "))") }
        let details = body.details?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let details, details.count > 2000 { problems.append("details must be at most 2000 characters") }
        guard problems.isEmpty, let reason else { throw APIError.validation(problems.joined(separator: "; ")) }
        if let wait = try await limiter.hit("report:\(account.id)", limit: Self.reportLimit) { throw APIError.rateLimited(retryAfter: wait) }
        let subject: ReportSubject = slug.map(ReportSubject.creator) ?? .contact(contact ?? "")
        switch try await store.createReport(by: account.id, subject: subject, reason: reason, details: details?.isEmpty == true ? nil : details,
                                            now: Date()) {
        case .created(let report):
            return try JSONResponse.make(ReportCreated(reportId: report.id, status: "open"), status: .created)
        case .subjectNotFound:
            throw APIError.notFound(slug != nil ? "There is no creator \"\(slug ?? "")\"." : "You have no contact \"\(contact ?? "")\".")
        }
    }
}
