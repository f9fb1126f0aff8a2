import Foundation
import Hummingbird

/// A stand-in for Twilio's Messages API on loopback, as README "SMS" describes the real
/// one: HTTP Basic auth of one account SID and token (else 401, code 20003), a
/// form-encoded body with `To` in E.164 (else 400, code 21211), `From` and `Body`, then 201
/// with the Message resource (`sid` "SM…", `status` "queued").
public final class FakeTwilio: FakeSMSProvider {
    public let accountSID: String
    public let authToken: String
    public let log = FakeSMSLog()

    public init(accountSID: String, authToken: String) {
        self.accountSID = accountSID
        self.authToken = authToken
    }

    public func application(host: String = "127.0.0.1", port: Int, onListening: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol {
        let router = Router()
        router.post("2010-04-01/Accounts/:account/Messages.json") { request, context in
            try await self.messages(request, account: context.parameters.get("account") ?? "")
        }
        return Application(router: router, configuration: .init(address: .hostname(host, port: port)),
                           onServerRunning: { await onListening($0.localAddress?.port ?? port) })
    }

    private func messages(_ request: Request, account: String) async throws -> Response {
        let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
        switch log.record(request, body: body) {
        case .status(let status)?: return Self.error(status, code: status == 429 ? 20429 : 20500, "Injected failure")
        case .delay(let duration)?: try await Task.sleep(for: duration)
        case nil: break
        }
        let expected = "Basic " + Data("\(accountSID):\(authToken)".utf8).base64EncodedString()
        guard account == accountSID, request.headers[.authorization] == expected else { return Self.error(401, code: 20003, "Authenticate") }
        guard request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true else {
            return Self.error(400, code: 20001, "Content-Type must be application/x-www-form-urlencoded")
        }
        let form = Self.form(body)
        guard let to = form["To"], to.hasPrefix("+"), to.dropFirst().allSatisfy(\.isNumber), (9...16).contains(to.count) else {
            return Self.error(400, code: 21211, "The 'To' number \(form["To"] ?? "") is not a valid phone number.")
        }
        guard let from = form["From"], !from.isEmpty else { return Self.error(400, code: 21603, "A 'From' phone number is required.") }
        guard let text = form["Body"], !text.isEmpty, text.count <= 1600 else { return Self.error(400, code: 21602, "Message body is required.") }
        if let validity = form["ValidityPeriod"], !(Int(validity).map { (1...36000).contains($0) } ?? false) {
            return Self.error(400, code: 21623, "ValidityPeriod must be between 1 and 36000.")
        }
        log.deliver(.init(to: to, text: text, variables: [:]))
        let sid = "SM" + (0..<32).map { _ in String("0123456789abcdef".randomElement()!) }.joined()
        return FakeSMSLog.json(.created, ["sid": sid, "account_sid": accountSID, "to": to, "from": from, "body": text, "status": "queued",
                                          "direction": "outbound-api", "api_version": "2010-04-01", "num_segments": "1"])
    }

    /// `application/x-www-form-urlencoded` as Twilio reads it: `+` is a space, `%2B` a plus.
    static func form(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        return fields
    }

    static func error(_ status: Int, code: Int, _ message: String) -> Response {
        FakeSMSLog.json(.init(code: status), ["code": code, "message": message, "more_info": "https://www.twilio.com/docs/errors/\(code)", "status": status])
    }
}
