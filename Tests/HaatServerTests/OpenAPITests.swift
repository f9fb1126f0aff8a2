import Foundation
import HaatStore
import Hummingbird
import StoreFixtures
import Testing
@testable import HaatServer

/// The served OpenAPI document and the router describe the same API: every route the
/// router has is documented with its method, and every documented route exists.
struct OpenAPITests {
    @Test(arguments: StoreKind.allCases) func documentAndRouterAgree(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        let router = Router(context: HaatRequestContext.self)
        let api = await registerAPI(on: router.group("api/v1"), configuration: server.configuration, store: server.store)
        let served = Set(api.routes.map { "\($0.method.rawValue.lowercased()) /\($0.path.replacing(/:(\w+)/) { "{\($0.1)}" })" })

        try await server.run { client in
            let reply = try await client.send(.get, "openapi.json")
            #expect(reply.status == .ok)
            #expect((reply.json["openapi"] as? String)?.hasPrefix("3.") == true)
            let paths = try #require(reply.json["paths"] as? [String: [String: Any]])
            var documented: Set<String> = []
            for (path, operations) in paths {
                for method in operations.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                    documented.insert("\(method) \(path)")
                }
            }
            #expect(served == documented, "undocumented: \(served.subtracting(documented)); not served: \(documented.subtracting(served))")
            #expect(served.count >= 10)
        }
    }
}
