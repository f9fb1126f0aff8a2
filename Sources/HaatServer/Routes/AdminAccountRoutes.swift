import Foundation
import HaatCore
import HaatStore
import Hummingbird

/// API.md "Admin": users (suspend, reinstate, grant a plan; additively, a searchable list)
/// and subscriptions (list, cancel). A suspended user's access tokens stop working at
/// once (the authenticator reads the account on every request) and its refresh tokens
/// are revoked.
struct AdminAccountRoutes: Sendable {
    let store: any HaatStore
    let authenticator: Authenticator
    let plans: [Plan]

    struct SubscriptionItem: Encodable {
        let id: String
        let user: AccountBody
        let planId: String
        let status: String
        let currentPeriodEnd: String
        let createdAt: String
        enum CodingKeys: String, CodingKey {
            case id, user, planId = "plan_id", status, currentPeriodEnd = "current_period_end", createdAt = "created_at"
        }

        init(_ record: SubscriptionRecord) {
            id = record.state.id
            user = AccountBody(record.user)
            planId = record.state.planID
            status = record.state.status.rawValue
            currentPeriodEnd = RFC3339.string(from: record.state.currentPeriodEnd)
            createdAt = RFC3339.string(from: record.createdAt)
        }
    }

    struct GrantRequest: Decodable {
        let planId: String?
        enum CodingKeys: String, CodingKey { case planId = "plan_id" }
    }

    struct GrantBody: Encodable {
        let subscription: SubscriptionBody
    }

    func register(on router: APIRouter) {
        router.on(.get, "admin/users", use: users)
        router.on(.post, "admin/users/:id/suspend", use: suspend)
        router.on(.post, "admin/users/:id/reinstate", use: reinstate)
        router.on(.post, "admin/users/:id/grant", use: grant)
        router.on(.get, "admin/subscriptions", use: subscriptions)
        router.on(.post, "admin/subscriptions/:id/cancel", use: cancel)
    }

    @Sendable func users(_ request: Request, context: HaatRequestContext) async throws -> Response {
        _ = try await authenticator.admin(for: request)
        let (limit, cursor) = try ListQuery.parse(request)
        var status: AccountStatus?
        if let text = ListQuery.text(request, "status") {
            guard let parsed = AccountStatus(rawValue: text) else { throw APIError.validation("status must be active or suspended") }
            status = parsed
        }
        let page = try await store.accounts(matching: ListQuery.text(request, "q"), status: status,
                                            limit: limit, after: cursor)
        return try JSONResponse.make(ListBody(items: page.items.map { UserBody($0, own: false) }, nextCursor: page.nextCursor))
    }

    @Sendable func suspend(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let admin = try await authenticator.admin(for: request)
        let reason = try await AdminCreatorRoutes.reason(request, context)
        let id = context.parameters.get("id") ?? ""
        guard id != admin.id else { throw APIError.validation("id: an admin cannot suspend their own account") }
        return try await setStatus(.suspended, of: id, reason: reason, by: admin)
    }

    @Sendable func reinstate(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let admin = try await authenticator.admin(for: request)
        return try await setStatus(.active, of: context.parameters.get("id") ?? "", reason: nil, by: admin)
    }

    private func setStatus(_ status: AccountStatus, of id: String, reason: String?, by admin: Account) async throws -> Response {
        guard let account = try await store.setAccountStatus(status, ofAccount: id, reason: reason, by: admin.email.value) else {
            throw APIError.notFound("There is no user \"\(id)\".")
        }
        return try JSONResponse.make(UserBody(account, own: false))
    }

    @Sendable func grant(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let admin = try await authenticator.admin(for: request)
        let body = try await JSONResponse.decode(GrantRequest.self, from: request, context: context)
        guard let plan = plans.first(where: { $0.id.rawValue == body.planId }) else {
            throw APIError.validation("plan_id must be one of the plans of GET /plans (\(plans.map(\.id.rawValue).joined(separator: ", ")))")
        }
        let id = context.parameters.get("id") ?? ""
        guard let subscription = try await store.grantPlan(to: id, planID: plan.id.rawValue, periodDays: plan.periodDays, by: admin.email.value,
                                                           now: Date()) else {
            throw APIError.notFound("There is no user \"\(id)\".")
        }
        return try JSONResponse.make(GrantBody(subscription: SubscriptionBody(subscription)))
    }

    @Sendable func subscriptions(_ request: Request, context: HaatRequestContext) async throws -> Response {
        _ = try await authenticator.admin(for: request)
        let (limit, cursor) = try ListQuery.parse(request)
        var status: SubscriptionStatus?
        if let text = ListQuery.text(request, "status") {
            guard let named = SubscriptionStatus(rawValue: text) else { throw APIError.validation("status must be active, expired or cancelled") }
            status = named
        }
        let page = try await store.subscriptions(status: status, now: Date(), limit: limit, after: cursor)
        return try JSONResponse.make(ListBody(items: page.items.map(SubscriptionItem.init), nextCursor: page.nextCursor))
    }

    @Sendable func cancel(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let admin = try await authenticator.admin(for: request)
        let id = context.parameters.get("id") ?? ""
        guard let record = try await store.cancelSubscription(id, by: admin.email.value, now: Date()) else {
            throw APIError.notFound("There is no subscription \"\(id)\".")
        }
        return try JSONResponse.make(SubscriptionItem(record))
    }
}
