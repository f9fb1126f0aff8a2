import Hummingbird

/// `GET /api/v1/health`: a load balancer's liveness probe.
struct HealthRoutes {
    struct Health: ResponseEncodable {
        let status: String
    }

    func register(on group: RouterGroup<some RequestContext>) {
        group.get("health") { _, _ in Health(status: "ok") }
    }
}
