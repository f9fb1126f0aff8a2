import Foundation
import HaatCore
import HaatStore
import Hummingbird

/// `POST /creators/{slug}/contact` (reveal a creator's number under the quota) and
/// `GET /contacts` (the customer's own contacts).
struct ContactRoutes: Sendable {
    let store: any HaatStore
    let authenticator: Authenticator
    let contactLimit: ContactLimitCounter
    let hub: any NotificationHub
    let configuration: ServerConfiguration

    struct ContactBody: Decodable {
        let service: String?
        let message: String?
        let callbackPhone: String?
        enum CodingKeys: String, CodingKey { case service, message, callbackPhone = "callback_phone" }
    }

    struct RevealBody: Encodable {
        let contactId: String
        let creatorSlug: String
        let phone: String
        @OrNull var whatsapp: String?
        let charged: String
        let quota: QuotaBody
        enum CodingKeys: String, CodingKey { case contactId = "contact_id", creatorSlug = "creator_slug", phone, whatsapp, charged, quota }
    }

    /// 402's body: the error shape plus what the customer needs to choose a plan.
    struct SubscriptionRequiredBody: Encodable {
        let error: APIError.Body.Detail
        let quota: QuotaBody
        let plans: [PlanBody]
    }

    struct ContactItem: Encodable {
        let contactId: String
        let creatorSlug: String
        let creatorName: String
        let phone: String
        /// Additive: the creator's WhatsApp number, what the customer asked for, and the
        /// customer's review of this contact, so the account page can act on each.
        @OrNull var whatsapp: String?
        @OrNull var service: String?
        let charged: String
        let createdAt: String
        @OrNull var review: ReviewState?
        enum CodingKeys: String, CodingKey {
            case contactId = "contact_id", creatorSlug = "creator_slug", creatorName = "creator_name", phone, whatsapp, service, charged,
                 createdAt = "created_at", review
        }

        init(_ contact: CustomerContact) {
            contactId = contact.contactID
            creatorSlug = contact.creatorSlug
            creatorName = contact.creatorName
            phone = contact.phone
            whatsapp = contact.whatsapp
            service = contact.service
            charged = contact.charged.rawValue
            createdAt = RFC3339.string(from: contact.createdAt)
            review = contact.review.map(ReviewState.init)
        }
    }

    struct ReviewState: Encodable, Sendable {
        let reviewId: String
        let rating: Int
        let status: String
        enum CodingKeys: String, CodingKey { case reviewId = "review_id", rating, status }

        init(_ review: ContactReview) {
            reviewId = review.reviewID
            rating = review.rating
            status = review.status.rawValue
        }
    }

    func register(on router: APIRouter) {
        router.on(.post, "creators/:slug/contact", use: contact)
        router.on(.get, "contacts", use: list)
    }

    @Sendable func contact(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let slug = context.parameters.get("slug") ?? ""
        let customerID = try await authenticator.claims(for: request).sub.value
        let now = Date()
        let body = try await Self.optionalBody(from: request, context: context)
        var problems: [String] = []
        if let service = body.service, service.count > 120 { problems.append("service must be at most 120 characters") }
        if let message = body.message, message.count > 1000 { problems.append("message must be at most 1000 characters") }
        let callback = body.callbackPhone.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        let callbackPhone = callback.flatMap(Phone.init)
        if callback != nil, callbackPhone == nil { problems.append("callback_phone must be a phone number such as +91 98220 12345") }
        guard problems.isEmpty else { throw APIError.validation(problems.joined(separator: "; ")) }

        let limits = configuration.rateLimits
        let limit = limits.limit(limits.contactsPerAccount, per: limits.contactWindow)
        let key = "contact:\(customerID)"
        var sharedLimit: StoreRateLimit?
        switch contactLimit {
        case .inMemory(let limiter):
            if let wait = try await limiter.hit(key, limit: limit) {
                try await store.recordContactAttempt(customerID: customerID, creatorSlug: slug, outcome: .rateLimited, clientAddress: context.clientAddress, at: now)
                throw APIError.rateLimited(retryAfter: wait)
            }
        case .byTheStore:
            sharedLimit = StoreRateLimit(key: key, count: limit.count, window: limit.window)
        }
        let decision = try await store.revealContact(ContactRequest(
            customerID: customerID, creatorSlug: slug, service: body.service, message: body.message, callbackPhone: callbackPhone?.e164,
            clientAddress: context.clientAddress, freeLimit: configuration.freeContacts,
            perVerifiedNumber: configuration.phoneVerification == .required, sharedLimit: sharedLimit, now: now))
        switch decision {
        case .revealed(let reveal):
            // Committed already: the creator's sockets hear of it now, or replay it later.
            // A profile whose ownership is unconfirmed keeps its leads until it is confirmed.
            if let lead = reveal.newLead, let profile = Slug(lead.creatorSlug), try await store.creator(profile)?.ownerConfirmed == true {
                hub.publish(lead)
            }
            return try JSONResponse.make(RevealBody(contactId: reveal.contactID, creatorSlug: reveal.creatorSlug, phone: reveal.phone,
                                                    whatsapp: reveal.whatsapp, charged: reveal.charged.rawValue, quota: QuotaBody(reveal.quota)))
        case .quotaRefused(let quota):
            let body = SubscriptionRequiredBody(
                error: .init(code: "subscription_required", message: "Your \(quota.freeLimit) free contacts are used: choose a plan to reveal more numbers."),
                quota: QuotaBody(quota), plans: configuration.plans.map(PlanBody.init))
            return try JSONResponse.make(body, status: .init(code: 402, reasonPhrase: "Payment Required"))
        case .notFound:
            throw APIError.notFound("There is no published creator \"\(slug)\".")
        case .ownProfile:
            throw APIError.validation("creator: you cannot contact your own profile")
        case .accountSuspended:
            throw APIError.accountSuspended
        case .unknownAccount:
            throw APIError.unauthenticated("The account of this token no longer exists.")
        case .rateLimited(let wait):
            throw APIError.rateLimited(retryAfter: wait)
        case .phoneUnverified:
            throw APIError(.forbidden, code: "phone_unverified",
                           message: "Verify your mobile number first (POST /auth/otp with purpose verify): the free contacts belong to it.")
        }
    }

    @Sendable func list(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let customer = try await authenticator.account(for: request)
        let (limit, cursor) = try ListQuery.parse(request)
        // Additive: ?creator=SLUG answers whether this customer contacted that creator.
        let creator = request.uri.queryParameters["creator"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let page = try await store.contacts(of: customer.id, creator: creator, limit: limit, after: cursor)
        return try JSONResponse.make(ListBody(items: page.items.map(ContactItem.init), nextCursor: page.nextCursor))
    }

    /// The body is optional for a reveal: none, or `{}`, means no service or message.
    static func optionalBody(from request: Request, context: HaatRequestContext) async throws -> ContactBody {
        if request.headers[.contentLength] == "0" { return ContactBody(service: nil, message: nil, callbackPhone: nil) }
        return try await JSONResponse.decode(ContactBody.self, from: request, context: context, emptyAs: "{}")
    }
}
