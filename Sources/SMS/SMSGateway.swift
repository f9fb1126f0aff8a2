import Foundation

/// One text to one phone: a one-time code, or a lead alert. The provider only carries it:
/// Haat makes and checks every code itself.
public struct SMSMessage: Sendable, Equatable {
    /// The recipient in E.164 (`+919822012345`).
    public let to: String
    /// The whole text, as a provider that sends free text (Twilio) sends it.
    public let text: String
    /// The template's variables, as a provider of registered templates (MSG91, whose
    /// DLT-registered template holds the text) fills them: `["otp": "483920"]`.
    public let variables: [String: String]

    public init(to: String, text: String, variables: [String: String] = [:]) {
        self.to = to
        self.text = text
        self.variables = variables
    }
}

/// What went wrong sending a text. Every case means the text was not accepted.
public enum SMSError: Error, Sendable, Equatable {
    /// The provider refused the request: a bad number, or a bad template (not worth retrying).
    case refused(String)
    /// The provider refused the credentials or the sender: the operator must fix its configuration.
    case misconfigured(String)
    /// The provider failed, was busy, or did not answer in time.
    case unavailable(String)
}

/// Sends texts through an SMS provider (MSG91 or Twilio), or the console in demo mode.
public protocol SMSGateway: Sendable {
    /// A name for logs and the start-up line ("msg91", "twilio", "console").
    var name: String { get }
    /// Sends `message`; returns once the provider accepted it (not once it is delivered).
    func send(_ message: SMSMessage) async throws
}
