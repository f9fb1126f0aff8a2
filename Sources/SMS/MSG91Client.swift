import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// MSG91's Flow API (`POST /api/v5/flow/`), India's usual SMS provider: a transactional SMS
/// in India must use a DLT-registered template, so MSG91 holds the text and this client
/// sends only the template's id and its variables (README "SMS": the facts it follows).
///
/// - Headers: `authkey`, `Content-Type: application/json`, `Accept: application/json`.
/// - Body: `{"template_id", "recipients": [{"mobiles": "91…", <variable>: <value>}]}`, the
///   number as digits with its country code and no `+`.
/// - Success is a 2xx answer whose JSON `type` is `"success"`; MSG91 also answers some
///   errors with 200 and `{"type": "error", "message"}`, so both are read.
/// - Never retried: a request that timed out may have sent the text already.
public struct MSG91Client: SMSGateway {
    public let name = "msg91"
    public let baseURL: String
    let authKey: String
    let templateID: String
    let httpClient: HTTPClient
    let timeout: TimeAmount

    /// `baseURL` is `https://control.msg91.com` in production (`MSG91_API_BASE`).
    public init(baseURL: String, authKey: String, templateID: String, httpClient: HTTPClient = .shared, timeout: TimeAmount = .seconds(10)) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.authKey = authKey
        self.templateID = templateID
        self.httpClient = httpClient
        self.timeout = timeout
    }

    public func send(_ message: SMSMessage) async throws {
        var recipient = message.variables
        recipient["mobiles"] = String(message.to.drop(while: { $0 == "+" }))
        let body: [String: Any] = ["template_id": templateID, "recipients": [recipient]]
        var request = HTTPClientRequest(url: baseURL + "/api/v5/flow/")
        request.method = .POST
        request.headers.add(name: "authkey", value: authKey)
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])))
        let (status, data) = try await SMSHTTP.execute(request, on: httpClient, timeout: timeout, provider: "MSG91")
        let reply = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        if (200..<300).contains(status), reply?["type"] as? String == "success" { return }
        let said = reply?["message"] as? String ?? "HTTP \(status)"
        switch status {
        case 401, 403: throw SMSError.misconfigured("MSG91 refused the auth key: \(said)")
        case 429, 500...: throw SMSError.unavailable("MSG91 answered \(status): \(said)")
        default:
            // 106 missing key, 418 a server address not on the key's allowlist: the operator's to fix.
            let code = reply?["code"].map { "\($0)" }
            if code == "106" || code == "418" || said.lowercased().contains("authkey") || said.lowercased().contains("authentication") {
                throw SMSError.misconfigured("MSG91 refused the request: \(said)")
            }
            throw SMSError.refused("MSG91 refused the text: \(said)")
        }
    }
}
