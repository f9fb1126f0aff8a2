import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

/// Maps every failure under `/api/` to API.md's error shape, once: `APIError` as it is,
/// Hummingbird's and NIO's (bad JSON, body too large or cut short, unknown route) to their
/// documented codes, and anything unexpected to a 500 with a request id that is logged —
/// never the error's text, which may hold internals.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/api/") else { return try await next(request, context) }
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as HTTPError {
            return try Self.apiError(for: error).response(from: request, context: context)
        } catch is NIOTooManyBytesError {
            return try APIError.payloadTooLarge.response(from: request, context: context)
        } catch is HTTPParserError {
            // Thrown by the body's stream: a body that ended (the client half-closed)
            // before its Content-Length, or bytes that are not HTTP. The client's fault.
            return try APIError.badRequest("The request body ended before its Content-Length, or is not valid HTTP.")
                .response(from: request, context: context)
        } catch is DecodingError {
            return try APIError.badRequest("The request body is not the JSON this endpoint expects.").response(from: request, context: context)
        } catch {
            let id = UUID().uuidString.lowercased()
            context.logger.error("unexpected error \(id) on \(request.method) \(request.uri.path): \(String(reflecting: error))")
            return try APIError(.internalServerError, code: "internal_error", message: "Something went wrong on our side (request \(id)).")
                .response(from: request, context: context)
        }
    }

    static func apiError(for error: HTTPError) -> APIError {
        switch error.status {
        case .contentTooLarge: APIError.payloadTooLarge
        case .notFound: APIError.notFound()
        case .methodNotAllowed: APIError(.methodNotAllowed, code: "method_not_allowed", message: "This address does not accept that method.")
        case .unauthorized: APIError.unauthenticated()
        case .badRequest: APIError.badRequest(error.body ?? "The request is malformed.")
        default: APIError(error.status, code: "bad_request", message: error.body ?? "The request could not be handled.")
        }
    }
}
