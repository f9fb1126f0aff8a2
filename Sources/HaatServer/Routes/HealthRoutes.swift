import Hummingbird

/// `GET /api/v1/health`: a load balancer's liveness probe.
struct HealthRoutes {
    struct Health: Encodable {
        let status: String
    }

    func register(on router: APIRouter) {
        router.on(.get, "health") { _, _ in try JSONResponse.make(Health(status: "ok")) }
    }
}
