/// `haat serve --demo` without a provider: each text goes to the console (the demo's
/// operator reads the code there, and the page says these are test texts). Never used
/// outside demo mode, where a code in a log would be a secret leaked.
public struct ConsoleSMSGateway: SMSGateway {
    public let name = "console"
    let write: @Sendable (String) -> Void

    public init(write: @escaping @Sendable (String) -> Void) {
        self.write = write
    }

    public func send(_ message: SMSMessage) async throws {
        write("Test SMS to \(message.to): \(message.text)")
    }
}
