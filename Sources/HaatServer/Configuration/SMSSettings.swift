import Foundation
import SMS

/// Whether a first contact needs a verified number, and the free contacts belong to it.
public enum PhoneVerification: String, Sendable {
    case required, off
}

/// How one-time codes reach phones (API.md "Phone numbers and one-time codes"):
/// `HAAT_SMS_PROVIDER=msg91|twilio` with that provider's settings; `--demo` without one
/// writes each text to the console and the pages say these are test texts.
public struct SMSSettings: Sendable {
    public let gateway: any SMSGateway
    /// What texts creators their waiting leads (API.md `PUT /creator/alerts`): the same
    /// provider; with MSG91, only once `MSG91_ALERT_TEMPLATE_ID` names a second DLT template
    /// (its text with `##service##` and `##link##`). Nil: such texts cannot be sent.
    public let alertGateway: (any SMSGateway)?
    /// Texts go to the console, not to phones: pages say so.
    public let testMode: Bool

    public init(gateway: any SMSGateway, alertGateway: (any SMSGateway)? = nil, testMode: Bool = false) {
        self.gateway = gateway
        self.alertGateway = alertGateway
        self.testMode = testMode
    }

    public static let msg91APIBase = "https://control.msg91.com"
    public static let twilioAPIBase = "https://api.twilio.com"

    /// The provider the environment names, or the console in demo mode when it names none;
    /// nil outside demo mode when none is named. A provider named without its settings, or
    /// an unknown one, is a start-up error naming what is missing.
    init?(environment: [String: String], demo: Bool, console: @escaping @Sendable (String) -> Void) throws {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        func required(_ names: [String]) throws -> [String] {
            let missing = names.filter { value($0) == nil }
            guard missing.isEmpty else {
                throw ConfigurationError("\(missing.joined(separator: ", ")) \(missing.count == 1 ? "is" : "are") not set, which HAAT_SMS_PROVIDER=\(value("HAAT_SMS_PROVIDER") ?? "") needs")
            }
            return names.map { value($0)! }
        }
        func base(_ name: String, _ fallback: String) throws -> String {
            let base = value(name) ?? fallback
            guard let url = URL(string: base), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ConfigurationError("\(name) must be an http(s) URL such as \(fallback), not \"\(base)\"")
            }
            return base
        }
        switch value("HAAT_SMS_PROVIDER") {
        case nil:
            guard demo else { return nil }
            let console = ConsoleSMSGateway(write: console)
            self.init(gateway: console, alertGateway: console, testMode: true)
        case "msg91":
            let settings = try required(["MSG91_AUTH_KEY", "MSG91_TEMPLATE_ID"])
            let base = try base("MSG91_API_BASE", Self.msg91APIBase)
            self.init(gateway: MSG91Client(baseURL: base, authKey: settings[0], templateID: settings[1]),
                      alertGateway: value("MSG91_ALERT_TEMPLATE_ID").map { MSG91Client(baseURL: base, authKey: settings[0], templateID: $0) })
        case "twilio":
            let settings = try required(["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM"])
            let twilio = TwilioClient(baseURL: try base("TWILIO_API_BASE", Self.twilioAPIBase), accountSID: settings[0],
                                      authToken: settings[1], from: settings[2])
            self.init(gateway: twilio, alertGateway: twilio)
        case let other?:
            throw ConfigurationError("HAAT_SMS_PROVIDER must be msg91 or twilio, not \"\(other)\"")
        }
    }
}
