import HTTPTypes
import HaatCore
import Hummingbird

/// Every response of `haat serve` gets its security headers here, once, whatever made it
/// (a page, an asset, the site's 404 page, a route, an error):
/// - the site: `SecurityHeaders`' policy for the path (Checkout's origins only on the
///   pages that open it);
/// - the API: `nosniff`, and `Cache-Control: no-store` unless the route marked its answer
///   `public` (only the OpenAPI document). Health and plans are cheap and may change at a
///   restart, and everything else is about a signed-in account, errors included: nothing
///   of it may wait in a shared or back-button cache.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    private let pageFields: [SecurityHeaders.Page: HTTPFields]

    init(policy: SecurityHeaders) {
        var fields: [SecurityHeaders.Page: HTTPFields] = [:]
        for page in SecurityHeaders.Page.allCases {
            fields[page] = HTTPFields(policy.pageHeaders(for: page).map { HTTPField(name: HTTPField.Name($0.name)!, value: $0.value) })
        }
        pageFields = fields
    }

    static var contentTypeOptions: HTTPField.Name { HTTPField.Name("X-Content-Type-Options")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            // Hummingbird's own refusals (a bad path, a method a file does not take).
            response = try error.response(from: request, context: context)
        }
        let path = request.uri.path
        if path.hasPrefix("/api/") {
            response.headers[Self.contentTypeOptions] = SecurityHeaders.contentTypeOptions
            if response.headers[.cacheControl]?.hasPrefix("public") != true { response.headers[.cacheControl] = "no-store" }
        } else {
            for field in pageFields[SecurityHeaders.page(forPath: path)] ?? [:] { response.headers[field.name] = field.value }
        }
        return response
    }
}

extension ServerConfiguration {
    /// The pages' policy: the API where site.yml says, Checkout where the payments say
    /// (Razorpay's, or the test payments' stand-in).
    var securityHeaders: SecurityHeaders {
        SecurityHeaders(apiURL: apiURL, checkout: payments.flatMap { SecurityHeaders.Checkout(scriptURL: $0.checkoutScript) })
    }
}
