import Foundation
import HaatStore
import Hummingbird

/// API.md `PUT /creator/alerts`, `GET /creator/alerts`: a text to the creator's verified
/// number when a lead is still unopened that many minutes after it was made
/// (`LeadTextAlerts` sends them). Creator accounts only. In demo mode,
/// `GET /creator/alerts/log` shows the creator the alerts sent them (`TestAlertLog`).
struct AlertRoutes: Sendable {
    let store: any HaatStore
    let authenticator: Authenticator
    /// Whether this server has an SMS provider for alerts (MSG91 needs its own template).
    let canText: Bool
    /// Demo mode's log of alerts sent; nil: its route is not there (404).
    let testLog: TestAlertLog?
    static let minutes = 5...1440

    struct AlertsBody: Encodable {
        @OrNull var smsAfterMinutes: Int?
        enum CodingKeys: String, CodingKey { case smsAfterMinutes = "sms_after_minutes" }
    }

    /// The PUT's body: the field must be there, as a whole number or null (422 otherwise,
    /// naming it; 400 only for a body that is not a JSON object).
    struct SettingBody: Decodable {
        enum Setting { case never, minutes(Int), invalid }
        let setting: Setting

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AlertsBody.CodingKeys.self)
            if !container.contains(.smsAfterMinutes) { setting = .invalid }
            else if try container.decodeNil(forKey: .smsAfterMinutes) { setting = .never }
            else { setting = (try? container.decode(Int.self, forKey: .smsAfterMinutes)).map(Setting.minutes) ?? .invalid }
        }
    }

    func register(on router: APIRouter) {
        router.on(.get, "creator/alerts", use: alerts)
        router.on(.put, "creator/alerts", use: setAlerts)
        if testLog != nil { router.on(.get, "creator/alerts/log", use: log) }
    }

    func creator(for request: Request) async throws -> Account {
        try await authenticator.account(for: request, role: .creator, refusal: "Only creator accounts get lead alerts.")
    }

    @Sendable func alerts(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let account = try await creator(for: request)
        return try JSONResponse.make(AlertsBody(smsAfterMinutes: try await store.smsAlertMinutes(ofAccount: account.id)))
    }

    @Sendable func setAlerts(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let account = try await creator(for: request)
        let refusal = "sms_after_minutes must be a whole number of minutes from \(Self.minutes.lowerBound) to \(Self.minutes.upperBound), or null for never"
        let minutes: Int?
        switch try await JSONResponse.decode(SettingBody.self, from: request, context: context).setting {
        case .invalid: throw APIError.validation(refusal)
        case .never: minutes = nil
        case .minutes(let value):
            guard Self.minutes.contains(value) else { throw APIError.validation(refusal) }
            guard canText else { throw APIError.validation("This server has no SMS provider for lead alerts: sms_after_minutes can only be null") }
            guard account.phone != nil else {
                throw APIError(.forbidden, code: "phone_unverified",
                               message: "Verify your mobile number first: lead alerts are texted to it (POST /auth/otp with purpose verify).")
            }
            minutes = value
        }
        try await store.setSMSAlertMinutes(minutes, ofAccount: account.id, now: Date())
        return try JSONResponse.make(AlertsBody(smsAfterMinutes: minutes))
    }

    /// `{"items": [...]}`, newest first: `{"kind": "push", "at", "push": {"type": "lead", "seq",
    /// "lead"}}` or `{"kind": "text", "at", "contact_id", "to", "text"}`.
    struct LogBody: Encodable {
        struct Item: Encodable {
            let kind: String
            let at: String
            let push: LeadMessage?
            let contactId: String?
            let to: String?
            let text: String?
            enum CodingKeys: String, CodingKey { case kind, at, push, contactId = "contact_id", to, text }
        }
        let items: [Item]
    }

    @Sendable func log(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let account = try await creator(for: request)
        let items = (testLog?.entries(for: account.email.value) ?? []).map { entry in
            let at = RFC3339.string(from: entry.at)
            switch entry.alert {
            case .push(let message):
                return LogBody.Item(kind: "push", at: at, push: message, contactId: nil, to: nil, text: nil)
            case .text(let message, let contactID):
                return LogBody.Item(kind: "text", at: at, push: nil, contactId: contactID, to: message.to, text: message.text)
            }
        }
        return try JSONResponse.make(LogBody(items: items))
    }
}
