import Foundation
import Hummingbird

/// Cache headers for the built site: fingerprinted files (`/assets/app.3f2a9c1e.css`,
/// `/img/<hash>.jpg`, `/search/*.<hash>.json`) may be cached forever; pages must be
/// revalidated so a rebuild shows at once.
struct SiteCacheHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        let path = request.uri.path
        guard !path.hasPrefix("/api/"), response.status == .ok || response.status == .notModified else { return response }
        response.headers[.cacheControl] = Self.isFingerprinted(path) ? "public, max-age=31536000, immutable" : "public, max-age=0, must-revalidate"
        if path.hasSuffix(".html") || path.hasSuffix("/") {
            response.headers[.contentType] = "text/html; charset=utf-8"
        }
        return response
    }

    static func isFingerprinted(_ path: String) -> Bool {
        path.hasPrefix("/assets/") || path.hasPrefix("/img/") || (path.hasPrefix("/search/") && path.hasSuffix(".json"))
    }
}

/// Unknown addresses outside the API get the site's own `404.html` with status 404;
/// under `/api/` they get the API's JSON error shape.
struct NotFoundMiddleware<Context: RequestContext>: RouterMiddleware {
    let siteFolder: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            guard response.status == .notFound else { return response }
            return try notFound(request, context: context)
        } catch let error as any HTTPResponseError where error.status == .notFound && !(error is APIError) {
            return try notFound(request, context: context)
        }
    }

    private func notFound(_ request: Request, context: Context) throws -> Response {
        if request.uri.path.hasPrefix("/api/") {
            return try APIError.notFound().response(from: request, context: context)
        }
        let page = FileManager.default.contents(atPath: siteFolder + "/404.html") ?? Data("<h1>Not found</h1>".utf8)
        return Response(status: .notFound, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"],
                        body: request.method == .head ? .init() : .init(byteBuffer: ByteBuffer(bytes: page)))
    }
}
