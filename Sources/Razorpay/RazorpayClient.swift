import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The Orders API over HTTP, knowing nothing of Haat: `POST /v1/orders`,
/// `GET /v1/orders/{id}`, with HTTP Basic auth (key id and secret), a timeout on every
/// call, and retries only where they are safe (reads, on a server error or no answer;
/// never a create, which could make a second order).
public struct RazorpayClient: Sendable {
    public let baseURL: String
    public let keyID: String
    let keySecret: String
    let httpClient: HTTPClient
    let timeout: TimeAmount
    /// Attempts of a read in all, with 200 ms, 400 ms… between them.
    let readAttempts: Int

    /// `baseURL` is `https://api.razorpay.com` in production (`RAZORPAY_API_BASE`).
    public init(baseURL: String, keyID: String, keySecret: String, httpClient: HTTPClient = .shared,
                timeout: TimeAmount = .seconds(10), readAttempts: Int = 3) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.keyID = keyID
        self.keySecret = keySecret
        self.httpClient = httpClient
        self.timeout = timeout
        self.readAttempts = max(1, readAttempts)
    }

    public func createOrder(amountPaise: Int, currency: String = "INR", receipt: String?, notes: [String: String] = [:]) async throws -> RazorpayOrder {
        var body: [String: Any] = ["amount": amountPaise, "currency": currency]
        if let receipt { body["receipt"] = receipt }
        if !notes.isEmpty { body["notes"] = notes }
        return try await send(.POST, "/v1/orders", body: try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]))
    }

    public func fetchOrder(id: String) async throws -> RazorpayOrder {
        guard id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            throw RazorpayError.badRequest(description: "The id provided does not exist", field: nil)
        }
        var wait = TimeAmount.milliseconds(200), attempt = 1
        while true {
            do {
                return try await send(.GET, "/v1/orders/\(id)", body: nil)
            } catch let error as RazorpayError where attempt < readAttempts && error.isWorthRetrying {
                try await Task.sleep(nanoseconds: UInt64(wait.nanoseconds))
                wait = wait * 2
                attempt += 1
            }
        }
    }

    private func send<Value: Decodable>(_ method: HTTPMethod, _ path: String, body: Data?) async throws -> Value {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        let credentials = Data("\(keyID):\(keySecret)".utf8).base64EncodedString()
        request.headers.add(name: "Authorization", value: "Basic \(credentials)")
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            response = try await httpClient.execute(request, timeout: timeout)
            bytes = try await response.body.collect(upTo: 1 << 20)
        } catch {
            throw RazorpayError.unavailable("Razorpay did not answer: \(error)")
        }
        let data = Data(bytes.readableBytesView)
        if response.status == .ok, let value = try? JSONDecoder().decode(Value.self, from: data) {
            return value
        }
        throw Self.error(status: response.status, body: data)
    }

    static func error(status: HTTPResponseStatus, body: Data) -> RazorpayError {
        guard let envelope = try? JSONDecoder().decode(RazorpayErrorBody.self, from: body) else {
            return status.code >= 500 ? .server(description: "HTTP \(status.code)") : .unavailable("HTTP \(status.code) without Razorpay's error body")
        }
        let detail = envelope.error
        if status == .unauthorized || detail.description == "Authentication failed" { return .authenticationFailed }
        switch detail.code {
        case "BAD_REQUEST_ERROR": return .badRequest(description: detail.description, field: detail.field)
        case "GATEWAY_ERROR": return .gateway(description: detail.description)
        default: return .server(description: detail.description)
        }
    }
}

extension RazorpayError {
    /// Razorpay failing or not answering; a bad request never gets better by retrying.
    var isWorthRetrying: Bool {
        switch self {
        case .server, .unavailable, .gateway: true
        case .badRequest, .authenticationFailed: false
        }
    }
}
