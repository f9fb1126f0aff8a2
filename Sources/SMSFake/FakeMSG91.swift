import Foundation
import Hummingbird

/// A stand-in for MSG91's Flow API on loopback, as README "SMS" describes the real one:
/// `authkey` checked (else `{"type": "error", "message": "Invalid authkey", "code": "401"}`
/// with 401), the JSON body validated (a known `template_id`, `recipients` of `mobiles` as
/// country code and number without `+`, and every variable the template names), then
/// `{"type": "success", "message": <24 hex digits>}`.
public final class FakeMSG91: FakeSMSProvider {
    public let authKey: String
    public let templateID: String
    /// The variables the registered template needs in each recipient.
    public let templateVariables: Set<String>
    public let log = FakeSMSLog()

    public init(authKey: String, templateID: String, templateVariables: Set<String> = ["otp"]) {
        self.authKey = authKey
        self.templateID = templateID
        self.templateVariables = templateVariables
    }

    public func application(host: String = "127.0.0.1", port: Int, onListening: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol {
        let router = Router()
        router.post("api/v5/flow") { request, _ in try await self.flow(request) }
        return Application(router: router, configuration: .init(address: .hostname(host, port: port)),
                           onServerRunning: { await onListening($0.localAddress?.port ?? port) })
    }

    private func flow(_ request: Request) async throws -> Response {
        let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
        switch log.record(request, body: body) {
        case .status(let status)?:
            return FakeSMSLog.json(.init(code: status), ["type": "error", "message": "Injected failure", "code": String(status)])
        case .delay(let duration)?:
            try await Task.sleep(for: duration)
        case nil:
            break
        }
        guard let key = request.headers[.init("authkey")!], !key.isEmpty else {
            return FakeSMSLog.json(.unauthorized, ["type": "error", "message": "Missing Authentication Key", "code": "106"])
        }
        guard key == authKey else { return FakeSMSLog.json(.unauthorized, ["type": "error", "message": "Invalid authkey", "code": "401"]) }
        guard request.headers[.contentType]?.hasPrefix("application/json") == true,
              let json = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] else {
            return FakeSMSLog.json(.badRequest, ["type": "error", "message": "Invalid JSON body"])
        }
        guard json["template_id"] as? String == templateID else {
            return FakeSMSLog.json(.badRequest, ["type": "error", "message": "Invalid template id"])
        }
        guard let recipients = json["recipients"] as? [[String: Any]], !recipients.isEmpty else {
            return FakeSMSLog.json(.badRequest, ["type": "error", "message": "recipients is required"])
        }
        var texts: [FakeSMSLog.Delivered] = []
        for recipient in recipients {
            guard let mobiles = recipient["mobiles"] as? String, mobiles.count >= 10, mobiles.count <= 15, mobiles.allSatisfy(\.isNumber) else {
                return FakeSMSLog.json(.badRequest, ["type": "error", "message": "Mobile number should be in international format without +"])
            }
            var variables: [String: String] = [:]
            for (name, value) in recipient where name != "mobiles" { variables[name] = value as? String }
            guard templateVariables.isSubset(of: Set(variables.keys)), variables.values.allSatisfy({ $0.count <= 30 }) else {
                return FakeSMSLog.json(.badRequest, ["type": "error", "message": "Template variables missing or longer than 30 characters"])
            }
            texts.append(.init(to: "+" + mobiles, text: nil, variables: variables))
        }
        texts.forEach(log.deliver)
        let id = (0..<24).map { _ in String("0123456789abcdef".randomElement()!) }.joined()
        return FakeSMSLog.json(.ok, ["type": "success", "message": id])
    }
}
