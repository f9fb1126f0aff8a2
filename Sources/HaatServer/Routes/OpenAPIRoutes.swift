import Foundation
import Hummingbird

/// `GET /api/v1/openapi.json`: the hand-written OpenAPI 3.1 document of every route
/// (Resources/openapi.json). A test holds it and the router to the same routes.
struct OpenAPIRoutes: Sendable {
    static let document: Data = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
              let data = try? Data(contentsOf: url) else { return Data("{}".utf8) }
        return data
    }()

    func register(on router: APIRouter) {
        router.on(.get, "openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "public, max-age=300"],
                     body: .init(byteBuffer: ByteBuffer(bytes: Self.document)))
        }
    }
}
