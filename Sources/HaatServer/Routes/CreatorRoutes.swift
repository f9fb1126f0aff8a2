import Foundation
import HaatStore
import Hummingbird

/// API.md "Creator side": the lead inbox, status changes, analytics and the WebSocket
/// ticket. Every route needs a signed-in account of role `creator`; a creator sees only
/// the leads of the profiles its email owns, and another's lead is 404, always.
struct CreatorRoutes: Sendable {
    let store: any HaatStore
    let authenticator: Authenticator
    static let ticketLifetime: TimeInterval = 60

    struct StatusBody: Decodable {
        let status: String?
    }

    struct TicketBody: Encodable {
        let ticket: String
        let expiresIn: Int
        enum CodingKeys: String, CodingKey { case ticket, expiresIn = "expires_in" }
    }

    func register(on router: APIRouter) {
        router.on(.get, "creator/leads", use: leads)
        router.on(.patch, "creator/leads/:contact_id", use: updateLead)
        router.on(.get, "creator/analytics", use: analytics)
        router.on(.post, "creator/notifications/ticket", use: ticket)
    }

    /// The signed-in creator account (403 `forbidden` for other roles).
    func creator(for request: Request) async throws -> Account {
        try await authenticator.account(for: request, role: .creator, refusal: "Only creator accounts have leads: sign up as a creator.")
    }

    @Sendable func leads(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let account = try await creator(for: request)
        let (limit, cursor) = try ListQuery.parse(request)
        var status: LeadStatus?
        if let text = request.uri.queryParameters["status"].map(String.init), !text.isEmpty {
            guard let parsed = LeadStatus(rawValue: text) else { throw APIError.validation("status must be new, responded, won or lost") }
            status = parsed
        }
        let page = try await store.leads(ownedBy: account.email.value, status: status, limit: limit, after: cursor)
        return try JSONResponse.make(ListBody(items: page.items.map(LeadBody.init), nextCursor: page.nextCursor))
    }

    @Sendable func updateLead(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let account = try await creator(for: request)
        let contactID = context.parameters.get("contact_id") ?? ""
        let body = try await JSONResponse.decode(StatusBody.self, from: request, context: context)
        guard let status = body.status.flatMap(LeadStatus.init(rawValue:)) else {
            throw APIError.validation("status must be new, responded, won or lost")
        }
        guard let lead = try await store.setStatus(status, ofLead: contactID, ownedBy: account.email.value, at: Date()) else {
            throw APIError.notFound("You have no lead \"\(contactID)\".")
        }
        return try JSONResponse.make(LeadBody(lead))
    }

    @Sendable func analytics(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let account = try await creator(for: request)
        var days = 30
        if let text = request.uri.queryParameters["days"].map(String.init) {
            guard let value = Int(text), (1...365).contains(value) else { throw APIError.validation("days must be a whole number from 1 to 365") }
            days = value
        }
        let now = Date()
        let leads = try await store.leads(ownedBy: account.email.value, since: LeadAnalytics.windowStart(days: days, now: now))
        return try JSONResponse.make(LeadAnalytics(leads: leads, days: days, now: now))
    }

    @Sendable func ticket(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let account = try await creator(for: request)
        let ticket = SecretToken.random()
        try await store.storeNotificationTicket(hash: SecretToken.hash(ticket), accountID: account.id,
                                                expiresAt: Date().addingTimeInterval(Self.ticketLifetime))
        return try JSONResponse.make(TicketBody(ticket: ticket, expiresIn: Int(Self.ticketLifetime)), status: .created)
    }
}
