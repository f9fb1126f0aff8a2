import Foundation
import HaatCore
import HaatStore
import Hummingbird

/// API.md "Admin": contact monitoring (every attempt, and additively a per-account view
/// that makes scraping visible), the figures of `GET /admin/stats`, and (additively) the
/// audit log of admin actions.
struct AdminMonitorRoutes: Sendable {
    let store: any HaatStore
    let authenticator: Authenticator

    struct AttemptItem: Encodable {
        let id: String
        let customer: AccountBody
        let creatorSlug: String
        let outcome: String
        @OrNull var charged: String?
        let clientAddress: String
        let createdAt: String
        enum CodingKeys: String, CodingKey {
            case id, customer, creatorSlug = "creator_slug", outcome, charged, clientAddress = "client_address", createdAt = "created_at"
        }
    }

    struct ActivityItem: Encodable {
        let customer: AccountBody
        let attempts: Int
        let distinctCreators: Int
        let revealed: Int
        let refused: Int
        let peakPerHour: Int
        let firstAt: String
        let lastAt: String
        enum CodingKeys: String, CodingKey {
            case customer, attempts, distinctCreators = "distinct_creators", revealed, refused, peakPerHour = "peak_per_hour",
                 firstAt = "first_at", lastAt = "last_at"
        }
    }

    struct StatsBody: Encodable {
        struct Contacts: Encodable {
            let today: Int
            let last7Days: Int
            let last30Days: Int
            enum CodingKeys: String, CodingKey { case today, last7Days = "last_7_days", last30Days = "last_30_days" }
        }
        let users: [String: Int]
        let creators: [String: Int]
        let contacts: Contacts
        let activeSubscriptions: Int
        let revenuePaise: Int
        enum CodingKeys: String, CodingKey {
            case users, creators, contacts, activeSubscriptions = "active_subscriptions", revenuePaise = "revenue_paise"
        }
    }

    struct AuditItem: Encodable {
        let id: String
        let actor: String
        let action: String
        let target: String
        @OrNull var reason: String?
        let at: String
    }

    func register(on router: APIRouter) {
        router.on(.get, "admin/contacts", use: contacts)
        router.on(.get, "admin/contacts/by-account", use: byAccount)
        router.on(.get, "admin/stats", use: stats)
        router.on(.get, "admin/audit", use: audit)
    }

    @Sendable func contacts(_ request: Request, context: HaatRequestContext) async throws -> Response {
        _ = try await authenticator.admin(for: request)
        let (limit, cursor) = try ListQuery.parse(request)
        let filter = ContactAttemptFilter(creatorSlug: ListQuery.text(request, "creator"), customerID: ListQuery.text(request, "customer"),
                                          since: try Self.since(request))
        let page = try await store.contactAttempts(filter, limit: limit, after: cursor)
        let items = page.items.map {
            AttemptItem(id: String($0.id), customer: AccountBody($0.customer), creatorSlug: $0.creatorSlug, outcome: $0.outcome, charged: $0.charged,
                        clientAddress: $0.clientAddress, createdAt: RFC3339.string(from: $0.createdAt))
        }
        return try JSONResponse.make(ListBody(items: items, nextCursor: page.nextCursor))
    }

    /// Attempts per account since `?since=` (default: the last 24 hours), most first.
    @Sendable func byAccount(_ request: Request, context: HaatRequestContext) async throws -> Response {
        _ = try await authenticator.admin(for: request)
        let (limit, _) = try ListQuery.parse(request)
        let since = try Self.since(request) ?? Date().addingTimeInterval(-86_400)
        let activity = try await store.attemptsByAccount(since: since, limit: limit)
        let items = activity.map {
            ActivityItem(customer: AccountBody($0.customer), attempts: $0.attempts, distinctCreators: $0.distinctCreators, revealed: $0.revealed,
                         refused: $0.refused, peakPerHour: $0.peakPerHour, firstAt: RFC3339.string(from: $0.firstAt), lastAt: RFC3339.string(from: $0.lastAt))
        }
        return try JSONResponse.make(ListBody(items: items, nextCursor: nil))
    }

    @Sendable func stats(_ request: Request, context: HaatRequestContext) async throws -> Response {
        _ = try await authenticator.admin(for: request)
        let stats = try await store.adminStats(now: Date())
        return try JSONResponse.make(StatsBody(
            users: Dictionary(uniqueKeysWithValues: Role.allCases.map { ($0.rawValue, stats.users[$0] ?? 0) }),
            creators: Dictionary(uniqueKeysWithValues: CreatorStatus.allCases.map { ($0.rawValue, stats.creators[$0] ?? 0) }),
            contacts: .init(today: stats.contactsToday, last7Days: stats.contactsLast7Days, last30Days: stats.contactsLast30Days),
            activeSubscriptions: stats.activeSubscriptions, revenuePaise: stats.revenuePaise))
    }

    @Sendable func audit(_ request: Request, context: HaatRequestContext) async throws -> Response {
        _ = try await authenticator.admin(for: request)
        let (limit, cursor) = try ListQuery.parse(request)
        let page = try await store.auditLog(limit: limit, after: cursor)
        let items = page.items.map {
            AuditItem(id: $0.id, actor: $0.actor, action: $0.action, target: $0.target, reason: $0.reason, at: RFC3339.string(from: $0.at))
        }
        return try JSONResponse.make(ListBody(items: items, nextCursor: page.nextCursor))
    }

    /// `?since=` as RFC 3339 (422 otherwise), or nil.
    static func since(_ request: Request) throws -> Date? {
        guard let text = ListQuery.text(request, "since") else { return nil }
        guard let date = RFC3339.date(from: text) else { throw APIError.validation("since must be an RFC 3339 time such as 2026-11-01T00:00:00Z") }
        return date
    }
}

/// A person in admin lists: `{"id", "email", "name"}`.
struct AccountBody: Encodable {
    let id: String
    let email: String
    let name: String

    init(_ account: AccountRef) {
        id = account.id
        email = account.email
        name = account.name
    }
}
