import HaatCore
import Hummingbird

/// `GET /plans`: what a customer can buy once the free contacts are used (from site.yml).
struct PlanRoutes: Sendable {
    let plans: [Plan]

    func register(on router: APIRouter) {
        let items = plans.map(PlanBody.init)
        router.on(.get, "plans") { _, _ in try JSONResponse.make(ListBody(items: items, nextCursor: nil)) }
    }
}

/// API.md's plan item.
struct PlanBody: Codable, Sendable {
    let id: String
    let name: String
    let amountPaise: Int
    let currency: String
    let periodDays: Int
    enum CodingKeys: String, CodingKey { case id, name, amountPaise = "amount_paise", currency, periodDays = "period_days" }

    init(_ plan: Plan) {
        id = plan.id.rawValue
        name = plan.name
        amountPaise = plan.amount.paise
        currency = "INR"
        periodDays = plan.periodDays
    }
}

/// API.md's list shape: `{"items": [...], "next_cursor": "<string>|null"}`.
struct ListBody<Item: Encodable>: Encodable {
    let items: [Item]
    @OrNull var nextCursor: String?
    enum CodingKeys: String, CodingKey { case items, nextCursor = "next_cursor" }
}

/// `?limit=` (1–100, default 20) and `?cursor=` of every list route, and its other filters.
enum ListQuery {
    /// The query parameter `name`, or nil when absent or empty.
    static func text(_ request: Request, _ name: String) -> String? {
        request.uri.queryParameters[Substring(name)].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
    }

    static func parse(_ request: Request) throws -> (limit: Int, cursor: String?) {
        let query = request.uri.queryParameters
        var limit = 20
        if let text = query["limit"] {
            guard let value = Int(String(text)), (1...100).contains(value) else { throw APIError.validation("limit must be a whole number from 1 to 100") }
            limit = value
        }
        return (limit, query["cursor"].map(String.init).flatMap { $0.isEmpty ? nil : $0 })
    }
}
