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
