import Foundation
import Hummingbird
import SMS
import SMSFake
import Testing

/// Both providers' clients against their loopback fakes over real HTTP: what a real
/// provider would receive, byte for byte, and each kind of failure as its typed error.
struct SMSClientTests {
    static let message = SMSMessage(to: "+919822012345", text: "483920 is your Haat code. It expires in 5 minutes. Never share it.",
                                    variables: ["otp": "483920"])

    @Test func msg91ReceivesTheFlowRequestItDocuments() async throws {
        let fake = FakeMSG91(authKey: "msg91-key-1", templateID: "64f0c0ffee00000000000001")
        try await fake.whileListening { base in
            try await MSG91Client(baseURL: base, authKey: "msg91-key-1", templateID: "64f0c0ffee00000000000001").send(Self.message)
        }
        let request = try #require(fake.log.requests.first)
        #expect(request.method == "POST" && request.path == "/api/v5/flow/")
        #expect(request.headers["authkey"] == "msg91-key-1")
        #expect(request.headers["content-type"] == "application/json" && request.headers["accept"] == "application/json")
        #expect(request.body == #"{"recipients":[{"mobiles":"919822012345","otp":"483920"}],"template_id":"64f0c0ffee00000000000001"}"#)
        #expect(fake.log.delivered == [.init(to: "+919822012345", text: nil, variables: ["otp": "483920"])])
    }

    @Test func msg91FailuresAreTypedAndAnErrorBodyWithStatus200IsAFailure() async throws {
        let fake = FakeMSG91(authKey: "msg91-key-1", templateID: "T1")
        try await fake.whileListening { base in
            await #expect(throws: SMSError.misconfigured("MSG91 refused the auth key: Invalid authkey")) {
                try await MSG91Client(baseURL: base, authKey: "wrong", templateID: "T1").send(Self.message)
            }
            let client = MSG91Client(baseURL: base, authKey: "msg91-key-1", templateID: "T1")
            await #expect(throws: SMSError.refused("MSG91 refused the text: Invalid template id")) {
                try await MSG91Client(baseURL: base, authKey: "msg91-key-1", templateID: "T2").send(Self.message)
            }
            fake.log.inject(.status(200), .status(500))
            await #expect(throws: SMSError.refused("MSG91 refused the text: Injected failure")) { try await client.send(Self.message) }
            await #expect(throws: SMSError.unavailable("MSG91 answered 500: Injected failure")) { try await client.send(Self.message) }
        }
        #expect(fake.log.delivered.isEmpty)
    }

    @Test func twilioReceivesTheMessagesRequestItDocuments() async throws {
        let fake = FakeTwilio(accountSID: "AC0123456789abcdef0123456789abcdef", authToken: "twilio-token")
        try await fake.whileListening { base in
            try await TwilioClient(baseURL: base, accountSID: "AC0123456789abcdef0123456789abcdef", authToken: "twilio-token",
                                   from: "+14155550100").send(Self.message)
        }
        let request = try #require(fake.log.requests.first)
        #expect(request.method == "POST" && request.path == "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json")
        #expect(request.headers["authorization"] == "Basic " + Data("AC0123456789abcdef0123456789abcdef:twilio-token".utf8).base64EncodedString())
        #expect(request.headers["content-type"] == "application/x-www-form-urlencoded" && request.headers["accept"] == "application/json")
        #expect(request.body == "To=%2B919822012345&From=%2B14155550100&Body=483920%20is%20your%20Haat%20code.%20It%20expires%20in%205%20minutes."
            + "%20Never%20share%20it.&ValidityPeriod=300")
        #expect(fake.log.delivered == [.init(to: "+919822012345", text: Self.message.text, variables: [:])])
    }

    @Test func twilioFailuresAreTypedByStatusAndASlowProviderTimesOut() async throws {
        let fake = FakeTwilio(accountSID: "AC1", authToken: "token")
        try await fake.whileListening { base in
            await #expect(throws: SMSError.misconfigured("Twilio refused the credentials: Authenticate (20003)")) {
                try await TwilioClient(baseURL: base, accountSID: "AC1", authToken: "wrong", from: "+14155550100").send(Self.message)
            }
            let client = TwilioClient(baseURL: base, accountSID: "AC1", authToken: "token", from: "+14155550100")
            await #expect(throws: SMSError.refused("Twilio refused the text: The 'To' number 12345 is not a valid phone number. (21211)")) {
                try await client.send(SMSMessage(to: "12345", text: "hello"))
            }
            fake.log.inject(.status(429), .delay(.seconds(2)))
            await #expect(throws: SMSError.unavailable("Twilio answered 429: Injected failure (20429)")) { try await client.send(Self.message) }
            let impatient = TwilioClient(baseURL: base, accountSID: "AC1", authToken: "token", from: "+14155550100", timeout: .seconds(1))
            // The client gives up at its own timeout rather than waiting on the provider.
            let slow = await #expect(throws: SMSError.self) { try await impatient.send(Self.message) }
            #expect(slow.map { "\($0)" }?.contains("did not answer") == true, "\(String(describing: slow))")
        }
    }
}
