import Foundation
import Hummingbird

/// The NUL character, refused wherever text comes in: no field, filter or cursor means
/// one, and PostgreSQL's text cannot hold one (a NUL bound to a statement fails it). So
/// both stores answer alike, 422 before anything is read or recorded: JSON bodies in
/// `JSONResponse.decode`, query parameters in `Query` below. Path parameters come
/// undecoded (`%00` stays three characters), so they need nothing.
enum NULRefusal {
    static func error(_ what: String) -> APIError {
        APIError.validation("\(what) may not contain the NUL character (\\u0000)")
    }

    /// Whether JSON text holds a NUL: raw, or escaped as `\u0000` (and not a `\\`
    /// followed by `u0000`, which is a backslash and letters).
    static func containsNUL(json: Data) -> Bool {
        json.withUnsafeBytes { bytes in
            var index = 0
            while index < bytes.count {
                switch bytes[index] {
                case 0:
                    return true
                case UInt8(ascii: "\\"):
                    if index + 5 < bytes.count, bytes[index + 1] == UInt8(ascii: "u"),
                       bytes[(index + 2)...(index + 5)].allSatisfy({ $0 == UInt8(ascii: "0") }) {
                        return true
                    }
                    index += 2  // the escaped character is not a backslash of its own
                default:
                    index += 1
                }
            }
            return false
        }
    }

    /// Refuses a request to the API whose query holds a NUL in a value, naming the parameter.
    struct Query<Context: RequestContext>: RouterMiddleware {
        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
            // Values are percent-decoded; names and path parameters are not.
            if let parameter = request.uri.queryParameters.first(where: { $0.value.contains("\0") }) {
                throw NULRefusal.error("the query parameter \"\(parameter.key)\"")
            }
            return try await next(request, context)
        }
    }
}
