import Foundation
import Hummingbird

/// The one error type of the API, rendered once as API.md's error shape:
/// `{"error": {"code": "<snake_case>", "message": "<human text>"}}`.
public struct APIError: Error, HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    public var headers: HTTPFields
    /// Where a text failed validation, line by line (profile sources only).
    public var details: [LineProblem]?

    public struct LineProblem: Encodable, Sendable, Equatable {
        public let line: Int
        public let message: String
    }

    public init(_ status: HTTPResponse.Status, code: String, message: String, headers: HTTPFields = [:], details: [LineProblem]? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
        self.details = details
    }

    public static func notFound(_ message: String = "There is nothing at this address.") -> APIError {
        APIError(.notFound, code: "not_found", message: message)
    }

    public static func badRequest(_ message: String) -> APIError {
        APIError(.badRequest, code: "bad_request", message: message)
    }

    /// 422 `validation_failed`; the message names the offending field(s).
    public static func validation(_ message: String) -> APIError {
        APIError(.unprocessableContent, code: "validation_failed", message: message)
    }

    public static func unauthenticated(_ message: String = "Sign in first: send Authorization: Bearer <access_token>.") -> APIError {
        APIError(.unauthorized, code: "unauthenticated", message: message)
    }

    /// 400 `invalid_signature`: a Razorpay signature that does not match.
    public static func invalidSignature(_ message: String) -> APIError {
        APIError(.badRequest, code: "invalid_signature", message: message)
    }

    /// 502 `bad_gateway`: an upstream (Razorpay) failed or is not set up.
    public static func badGateway(_ message: String) -> APIError {
        APIError(.badGateway, code: "bad_gateway", message: message)
    }

    public static let payloadTooLarge = tooLarge("The request body is larger than this endpoint accepts (64 KiB for JSON).")

    public static func tooLarge(_ message: String) -> APIError {
        APIError(.contentTooLarge, code: "payload_too_large", message: message)
    }

    public static let accountSuspended = APIError(.forbidden, code: "account_suspended", message: "This account is suspended.")

    public static let invalidCredentials = APIError(.unauthorized, code: "invalid_credentials", message: "That email and password do not match an account.")

    public static func rateLimited(retryAfter seconds: Int) -> APIError {
        APIError(.tooManyRequests, code: "rate_limited", message: "Too many attempts; try again in \(seconds) seconds.",
                 headers: [.retryAfter: String(seconds)])
    }

    /// The JSON body: `{"error": {"code", "message"}}`.
    struct Body: Encodable {
        struct Detail: Encodable {
            let code: String
            let message: String
            var details: [LineProblem]? = nil
        }
        let error: Detail
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try JSONResponse.encoder.encode(Body(error: .init(code: code, message: message, details: details)))
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
