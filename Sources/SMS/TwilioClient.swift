import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Twilio's Messages API (`POST /2010-04-01/Accounts/{AccountSid}/Messages.json`): HTTP
/// Basic auth with the account SID and auth token, a form-encoded body of `To`, `From` and
/// `Body` (numbers in E.164, every value percent-encoded, so `+` is `%2B`), and
/// `ValidityPeriod` so a code that waited in Twilio's queue past its life is dropped, not
/// delivered late. Success is 201; errors are `{"code", "message", "more_info", "status"}`,
/// read by their HTTP status, as Twilio advises (README "SMS").
public struct TwilioClient: SMSGateway {
    public let name = "twilio"
    public let baseURL: String
    let accountSID: String
    let authToken: String
    let from: String
    let validitySeconds: Int
    let httpClient: HTTPClient
    let timeout: TimeAmount

    /// `baseURL` is `https://api.twilio.com` in production (`TWILIO_API_BASE`).
    public init(baseURL: String, accountSID: String, authToken: String, from: String, validitySeconds: Int = 300,
                httpClient: HTTPClient = .shared, timeout: TimeAmount = .seconds(10)) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.accountSID = accountSID
        self.authToken = authToken
        self.from = from
        self.validitySeconds = validitySeconds
        self.httpClient = httpClient
        self.timeout = timeout
    }

    public func send(_ message: SMSMessage) async throws {
        let account = accountSID.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? accountSID
        var request = HTTPClientRequest(url: baseURL + "/2010-04-01/Accounts/\(account)/Messages.json")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Basic " + Data("\(accountSID):\(authToken)".utf8).base64EncodedString())
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        let form = [("To", message.to), ("From", from), ("Body", message.text), ("ValidityPeriod", String(validitySeconds))]
        request.body = .bytes(ByteBuffer(string: form.map { "\($0.0)=\(Self.formEncoded($0.1))" }.joined(separator: "&")))
        let (status, data) = try await SMSHTTP.execute(request, on: httpClient, timeout: timeout, provider: "Twilio")
        if status == 201 { return }
        let reply = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        let said = (reply?["message"] as? String ?? "HTTP \(status)") + ((reply?["code"]).map { " (\($0))" } ?? "")
        switch status {
        case 401, 403: throw SMSError.misconfigured("Twilio refused the credentials: \(said)")
        case 429, 500...: throw SMSError.unavailable("Twilio answered \(status): \(said)")
        default: throw SMSError.refused("Twilio refused the text: \(said)")
        }
    }

    /// `application/x-www-form-urlencoded`: everything but unreserved characters percent-encoded.
    static func formEncoded(_ value: String) -> String {
        var unreserved = CharacterSet.alphanumerics
        unreserved.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
    }
}
