import HTTPTypes
import Hummingbird

/// Puts the client's address in the context from `X-Forwarded-For`, as far as trusted
/// proxies wrote it (`TrustedProxies`), for the rate limits and contact records that
/// count per address. Installed only when some proxy is trusted.
struct ForwardedClientMiddleware: RouterMiddleware {
    typealias Context = HaatRequestContext
    let trusted: TrustedProxies

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let lines = request.headers[values: Self.forwardedFor]
        guard !lines.isEmpty else { return try await next(request, context) }
        var context = context
        context.clientAddress = trusted.clientAddress(peer: context.clientAddress, forwardedFor: lines.joined(separator: ","))
        return try await next(request, context)
    }
}
