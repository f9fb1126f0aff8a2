import Hummingbird

/// Registers the API's routes and remembers them, so that a wrong method on a known path
/// answers 405 `method_not_allowed` (with `Allow`) instead of 404, and so the OpenAPI
/// document can be checked against what is really served.
final class APIRouter {
    private let group: RouterGroup<HaatRequestContext>
    private(set) var routes: [(method: HTTPRequest.Method, path: String)] = []

    init(group: RouterGroup<HaatRequestContext>) {
        self.group = group
    }

    func on(_ method: HTTPRequest.Method, _ path: String,
            use handler: @escaping @Sendable (Request, HaatRequestContext) async throws -> Response) {
        routes.append((method, path))
        group.on(RouterPath(path), method: method, use: handler)
    }

    /// The methods a path answers 405 to unless it accepts them. Left out: HEAD, which
    /// Hummingbird answers as GET where there is one (a 405 would carry a body HEAD must
    /// not have), and CONNECT, which the HTTP parser takes as a tunnel, not a request.
    static let refusableMethods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete, .options, .trace, HTTPRequest.Method("QUERY")!]

    /// Every other method of every registered path answers 405.
    func refuseOtherMethods() {
        var paths: [String] = []
        for route in routes where !paths.contains(route.path) { paths.append(route.path) }
        for path in paths {
            let allowed = routes.filter { $0.path == path }.map(\.method)
            let allow = allowed.map(\.rawValue).joined(separator: ", ")
            for method in Self.refusableMethods where !allowed.contains(method) {
                group.on(RouterPath(path), method: method) { _, _ -> Response in
                    throw APIError(.methodNotAllowed, code: "method_not_allowed", message: "\(path) accepts \(allow).",
                                   headers: [.allow: allow])
                }
            }
        }
    }
}
