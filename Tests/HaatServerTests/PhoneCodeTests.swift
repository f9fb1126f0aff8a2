import Foundation
import HaatCore
import HaatStore
import Hummingbird
import Logging
import SMS
import SMSFake
import StoreFixtures
import Testing
@testable import HaatServer

/// API.md "Phone numbers and one-time codes" over real HTTP, each code texted through the
/// real MSG91 client to its loopback fake (where the test reads it, as a phone would).
struct PhoneCodeTests {
    static let templateID = "64f0c0ffee00000000000001"

    /// A server whose codes go to a fresh MSG91 fake; `body` gets the API and the fake.
    static func withServer(_ kind: StoreKind, verification: PhoneVerification = .off, policy: (inout CodePolicy) -> Void = { _ in },
                           logger: Logger = Logger(label: "haat"),
                           _ body: @escaping @Sendable (TestServer, TestServer.Client, FakeMSG91) async throws -> Void) async throws {
        let fake = FakeMSG91(authKey: "phone-tests-key", templateID: templateID)
        try await fake.whileListening { base in
            let server = try await TestServer(kind) {
                $0.sms = SMSSettings(gateway: MSG91Client(baseURL: base, authKey: "phone-tests-key", templateID: templateID, timeout: .seconds(2)))
                policy(&$0.codePolicy)
                $0.phoneVerification = verification
            }
            for (index, slug) in ["cake-one", "cake-two", "cake-three"].enumerated() {
                try await server.publishCreator(slug, number: 10001 + index)
            }
            try await server.run(logger: logger) { api in try await body(server, api, fake) }
        }
    }

    /// Asks for a code and reads it off the fake: (otp_id, code).
    static func code(_ api: TestServer.Client, _ fake: FakeMSG91, phone: String = "98220 12345", purpose: String = "sign_in",
                     token: String? = nil) async throws -> (id: String, code: String) {
        let sent = try await api.send(.post, "auth/otp", json: ["phone": phone, "purpose": purpose], token: token)
        #expect(sent.status == .accepted, "\(sent.text)")
        let id = try #require(sent.json["otp_id"] as? String)
        let to = try #require(Phone.mobile(phone)).e164
        let code = try #require(fake.log.lastText(to: to)?.variables["otp"])
        #expect(!sent.text.contains(code), "a code is never in a response")
        return (id, code)
    }

    @Test(arguments: StoreKind.allCases) func signInByCodeMakesAnAccountOnceAndEachCodeWorksOnce(_ kind: StoreKind) async throws {
        try await Self.withServer(kind) { server, api, fake in
            let sent = try await api.send(.post, "auth/otp", json: ["phone": "98220 12345", "purpose": "sign_in"])
            #expect(sent.status == .accepted && sent.json["expires_in"] as? Int == 300 && sent.json["resend_after"] as? Int == 30)
            let id = try #require(sent.json["otp_id"] as? String)
            let code = try #require(fake.log.lastText(to: "+919822012345")?.variables["otp"])
            #expect(code.count == 6 && code.allSatisfy(\.isNumber))

            // A new number needs a name: that refusal leaves the code unused.
            let nameless = try await api.send(.post, "auth/otp/verify", json: ["otp_id": id, "code": code])
            #expect(nameless.status == .unprocessableContent && nameless.errorMessage?.contains("name") == true)
            let wrong = try await api.send(.post, "auth/otp/verify", json: ["otp_id": id, "code": code == "000000" ? "111111" : "000000", "name": "Meera"])
            #expect(wrong.status == .unauthorized && wrong.errorCode == "invalid_code")
            let signedIn = try await api.send(.post, "auth/otp/verify", json: ["otp_id": id, "code": code, "name": "Meera Kulkarni"])
            #expect(signedIn.status == .ok, "\(signedIn.text)")
            let user = try #require(signedIn.json["user"] as? [String: Any])
            #expect(user["phone"] as? String == "+919822012345" && user["phone_verified"] as? Bool == true && user["role"] as? String == "customer")
            #expect(signedIn.headers[.setCookie]?.hasPrefix("haat_refresh=") == true)
            let again = try await api.send(.post, "auth/otp/verify", json: ["otp_id": id, "code": code, "name": "Meera Kulkarni"])
            #expect(again.status == .unauthorized && again.errorCode == "invalid_code", "a code is single-use")

            // Stored only as a keyed hash.
            let stored = try await server.database.texts("SELECT code_hash FROM one_time_codes")
            #expect(stored.count == 1 && stored[0].count == 64 && !stored[0].contains(code))

            // Later, the same number signs in to the same account, without a name.
            try await server.database.execute("UPDATE one_time_codes SET created_at = $1", [.time(Date().addingTimeInterval(-60))])
            let next = try await Self.code(api, fake)
            let second = try await api.send(.post, "auth/otp/verify", json: ["otp_id": next.id, "code": next.code])
            #expect((second.json["user"] as? [String: Any])?["id"] as? String == user["id"] as? String)

            // It has no password until a reset by code sets one: no login matches, not even
            // with the decoy's password or the marker itself.
            let accountID = try #require(user["id"] as? String), email = try #require(user["email"] as? String)
            #expect(try await server.database.texts("SELECT password_hash FROM accounts WHERE id = '\(accountID)'") == [Passwords.unset])
            for password in ["a decoy password, never an account's", Passwords.unset] {
                let login = try await api.send(.post, "auth/login", json: ["email": email, "password": password])
                #expect(login.status == .unauthorized && login.errorCode == "invalid_credentials", "\(login.text)")
            }
        }
    }

    @Test(arguments: StoreKind.allCases) func numbersAreTakenAsPeopleTypeThemAndOthersRefused(_ kind: StoreKind) async throws {
        try await Self.withServer(kind, policy: { $0.resendAfter = 0 }) { _, api, fake in
            for typed in ["98220 12345", "098220-12345", "+91 98220 12345", "919822012345"] {
                let sent = try await api.send(.post, "auth/otp", json: ["phone": typed, "purpose": "sign_in"])
                #expect(sent.status == .accepted, "\(typed): \(sent.text)")
            }
            #expect(Set(fake.log.delivered.map(\.to)) == ["+919822012345"])
            for refused in ["12345", "+91 12345 67890", "98220 1234", "phone", "", "+91 98220 12345 6"] {
                let sent = try await api.send(.post, "auth/otp", json: ["phone": refused, "purpose": "sign_in"])
                #expect(sent.status == .unprocessableContent && sent.errorMessage?.contains("phone") == true, "\(refused)")
            }
            let purpose = try await api.send(.post, "auth/otp", json: ["phone": "98220 12345", "purpose": "login"])
            #expect(purpose.status == .unprocessableContent && purpose.errorMessage?.contains("purpose") == true)
        }
    }

    @Test(arguments: StoreKind.allCases) func resendWaitsAndANumberGetsFiveCodesAnHour(_ kind: StoreKind) async throws {
        try await Self.withServer(kind) { server, api, fake in
            _ = try await Self.code(api, fake)
            let soon = try await api.send(.post, "auth/otp", json: ["phone": "98220 12345", "purpose": "sign_in"])
            #expect(soon.status == .tooManyRequests && soon.errorCode == "rate_limited" && Int(soon.headers[.retryAfter] ?? "") ?? 0 > 0)
            // Another purpose has its own resend wait, but the same hourly count.
            for _ in 0..<4 {
                try await server.database.execute("UPDATE one_time_codes SET created_at = $1", [.time(Date().addingTimeInterval(-31))])
                _ = try await Self.code(api, fake)
            }
            try await server.database.execute("UPDATE one_time_codes SET created_at = $1", [.time(Date().addingTimeInterval(-31))])
            let sixth = try await api.send(.post, "auth/otp", json: ["phone": "98220 12345", "purpose": "reset"])
            #expect(sixth.status == .tooManyRequests, "\(sixth.text)")
            #expect(fake.log.delivered.count == 5)
        }
    }

    /// Codes dead for over an hour count against nothing: a new code clears them.
    @Test(arguments: StoreKind.allCases) func codesDeadForAnHourAreClearedAsNewOnesCome(_ kind: StoreKind) async throws {
        try await Self.withServer(kind) { server, api, fake in
            _ = try await Self.code(api, fake, phone: "98220 11111")
            _ = try await Self.code(api, fake, phone: "98220 22222")
            let old = Date().addingTimeInterval(-3 * 3600)
            try await server.database.execute("UPDATE one_time_codes SET created_at = $1, expires_at = $2 WHERE phone = '+919822011111'",
                                              [.time(old), .time(old.addingTimeInterval(300))])
            _ = try await Self.code(api, fake, phone: "98220 33333")
            #expect(try await server.database.texts("SELECT phone FROM one_time_codes ORDER BY phone") == ["+919822022222", "+919822033333"])
        }
    }

    @Test(arguments: StoreKind.allCases) func concurrentRequestsForOneNumberSendExactlyTheHourlyLimit(_ kind: StoreKind) async throws {
        try await Self.withServer(kind, policy: { $0.resendAfter = 0 }) { _, api, fake in
            let statuses = try await api.sendConcurrently(12) { _, api in
                try await api.send(.post, "auth/otp", json: ["phone": "98220 12345", "purpose": "sign_in"])
            }.map(\.status)
            #expect(statuses.filter { $0 == .accepted }.count == 5 && statuses.filter { $0 == .tooManyRequests }.count == 7)
            #expect(fake.log.delivered.count == 5)
        }
    }

    @Test(arguments: StoreKind.allCases) func aFailingProviderIs502AndCountsAgainstNothing(_ kind: StoreKind) async throws {
        try await Self.withServer(kind) { server, api, fake in
            fake.log.inject(.status(500), .status(200))
            for _ in 0..<2 {
                let failed = try await api.send(.post, "auth/otp", json: ["phone": "98220 12345", "purpose": "sign_in"])
                #expect(failed.status == .badGateway && failed.errorCode == "bad_gateway")
            }
            #expect(try await server.database.integers("SELECT COUNT(*) FROM one_time_codes") == [0])
            _ = try await Self.code(api, fake)  // no resend wait: the failures were not counted
        }
    }

    @Test(arguments: StoreKind.allCases) func fiveWrongCodesOrExpiryKillACode(_ kind: StoreKind) async throws {
        try await Self.withServer(kind, policy: { $0.resendAfter = 0 }) { server, api, fake in
            let first = try await Self.code(api, fake)
            let wrongCode = first.code == "000000" ? "111111" : "000000"
            for _ in 0..<5 {
                #expect(try await api.send(.post, "auth/otp/verify", json: ["otp_id": first.id, "code": wrongCode, "name": "A"]).errorCode == "invalid_code")
            }
            let late = try await api.send(.post, "auth/otp/verify", json: ["otp_id": first.id, "code": first.code, "name": "A"])
            #expect(late.status == .unauthorized && late.errorCode == "invalid_code", "dead after five wrong codes")

            let second = try await Self.code(api, fake)
            try await server.database.execute("UPDATE one_time_codes SET expires_at = $1 WHERE id = $2", [.time(Date().addingTimeInterval(-1)), .text(second.id)])
            let expired = try await api.send(.post, "auth/otp/verify", json: ["otp_id": second.id, "code": second.code, "name": "A"])
            #expect(expired.status == .unauthorized && expired.errorCode == "invalid_code")
            #expect(try await api.send(.post, "auth/otp/verify", json: ["otp_id": "otp_nothing", "code": "123456"]).errorCode == "invalid_code")
        }
    }

    @Test(arguments: StoreKind.allCases) func verifyAttachesTheNumberToTheCallerOnly(_ kind: StoreKind) async throws {
        try await Self.withServer(kind) { _, api, fake in
            let unsigned = try await api.send(.post, "auth/otp", json: ["phone": "98220 12345", "purpose": "verify"])
            #expect(unsigned.status == .unauthorized)
            let asha = try #require(try await api.register("asha@example.com")["access_token"] as? String)
            let ravi = try #require(try await api.register("ravi@example.com")["access_token"] as? String)
            let sent = try await Self.code(api, fake, purpose: "verify", token: asha)
            let stolen = try await api.send(.post, "auth/otp/verify", json: ["otp_id": sent.id, "code": sent.code], token: ravi)
            #expect(stolen.status == .unauthorized && stolen.errorCode == "invalid_code", "a code sent for another account")
            // The stranger's try did not use the code up: its own account still can.
            let verified = try await api.send(.post, "auth/otp/verify", json: ["otp_id": sent.id, "code": sent.code], token: asha)
            #expect(verified.status == .ok, "\(verified.text)")
            #expect((verified.json["user"] as? [String: Any])?["phone"] as? String == "+919822012345")
            let me = try await api.send(.get, "me", token: asha)
            #expect((me.json["user"] as? [String: Any])?["phone_verified"] as? Bool == true)
            let other = try await api.send(.get, "me", token: ravi)
            #expect((other.json["user"] as? [String: Any])?["phone"] is NSNull && (other.json["user"] as? [String: Any])?["phone_verified"] as? Bool == false)
        }
    }

    @Test(arguments: StoreKind.allCases) func resetByCodeSetsThePasswordAndEndsEverySession(_ kind: StoreKind) async throws {
        try await Self.withServer(kind) { server, api, fake in
            let session = try await api.register("asha@example.com")
            let token = try #require(session["access_token"] as? String), refresh = try #require(session["refresh_token"] as? String)
            let verifying = try await Self.code(api, fake, purpose: "verify", token: token)
            #expect(try await api.send(.post, "auth/otp/verify", json: ["otp_id": verifying.id, "code": verifying.code], token: token).status == .ok)

            let reset = try await Self.code(api, fake, purpose: "reset")
            let bare = try await api.send(.post, "auth/otp/verify", json: ["otp_id": reset.id, "code": reset.code])
            #expect(bare.status == .unprocessableContent, "the new password is required, and the code stays unused")
            let short = try await api.send(.post, "auth/otp/verify", json: ["otp_id": reset.id, "code": reset.code, "new_password": "short"])
            #expect(short.status == .unprocessableContent)
            let done = try await api.send(.post, "auth/otp/verify", json: ["otp_id": reset.id, "code": reset.code, "new_password": "a brand new password"])
            #expect(done.status == .noContent, "\(done.text)")
            #expect(try await api.send(.post, "auth/refresh", json: ["refresh_token": refresh]).status == .unauthorized, "every session ended")
            let login = try await api.send(.post, "auth/login", json: ["email": "asha@example.com", "password": "a brand new password"])
            #expect(login.status == .ok)

            // A number no account holds: the same answers, and nothing changes.
            let unknown = try await Self.code(api, fake, phone: "90000 00001", purpose: "reset")
            let nobody = try await api.send(.post, "auth/otp/verify", json: ["otp_id": unknown.id, "code": unknown.code, "new_password": "a brand new password"])
            #expect(nobody.status == .noContent)
            _ = server
        }
    }

    @Test(arguments: StoreKind.allCases) func withVerificationRequiredTheFreeContactsBelongToTheNumber(_ kind: StoreKind) async throws {
        try await Self.withServer(kind, verification: .required) { server, api, fake in
            let asha = try #require(try await api.register("asha@example.com")["access_token"] as? String)
            let refused = try await api.send(.post, "creators/cake-one/contact", token: asha)
            #expect(refused.status == .forbidden && refused.errorCode == "phone_unverified", "\(refused.text)")
            let verifying = try await Self.code(api, fake, purpose: "verify", token: asha)
            #expect(try await api.send(.post, "auth/otp/verify", json: ["otp_id": verifying.id, "code": verifying.code], token: asha).status == .ok)
            let first = try await api.send(.post, "creators/cake-one/contact", token: asha)
            #expect(first.status == .ok && (first.json["quota"] as? [String: Any])?["free_used"] as? Int == 1, "\(first.text)")

            // A second account on the same phone (signing in by code makes one) finds one free contact left.
            try await server.database.execute("UPDATE one_time_codes SET created_at = $1", [.time(Date().addingTimeInterval(-60))])
            let signIn = try await Self.code(api, fake)
            let session = try await api.send(.post, "auth/otp/verify", json: ["otp_id": signIn.id, "code": signIn.code])
            let sameAccount = try #require(session.json["access_token"] as? String)
            #expect((session.json["user"] as? [String: Any])?["email"] as? String == "asha@example.com", "the number's account signs in")
            let ravi = try #require(try await api.register("ravi@example.com")["access_token"] as? String)
            try await server.database.execute("UPDATE one_time_codes SET created_at = $1", [.time(Date().addingTimeInterval(-60))])
            let raviCode = try await Self.code(api, fake, purpose: "verify", token: ravi)
            #expect(try await api.send(.post, "auth/otp/verify", json: ["otp_id": raviCode.id, "code": raviCode.code], token: ravi).status == .ok)
            let quota = try await api.send(.get, "me", token: ravi).json["quota"] as? [String: Any]
            #expect(quota?["free_used"] as? Int == 1 && quota?["free_remaining"] as? Int == 1, "\(String(describing: quota))")
            #expect(try await api.send(.post, "creators/cake-two/contact", token: ravi).status == .ok)
            let spent = try await api.send(.post, "creators/cake-three/contact", token: sameAccount)
            #expect(spent.status == .init(code: 402) && spent.errorCode == "subscription_required")
            #expect(try await api.send(.post, "creators/cake-one/contact", token: sameAccount).json["charged"] as? String == "repeat")
            let outcomes = try await server.database.texts("SELECT outcome FROM contact_attempts ORDER BY created_at")
            #expect(outcomes.first == "forbidden")
        }
    }

    @Test(arguments: StoreKind.allCases) func aCreatorClaimsItsProfileByACodeToTheProfilesOwnPhone(_ kind: StoreKind) async throws {
        try await Self.withServer(kind, verification: .required) { server, api, fake in
            try await server.publishCreator("maker-cakes", account: "maker@example.com", number: 10042, ownerConfirmed: false)
            let maker = try #require(try await api.register("maker@example.com", role: "creator")["access_token"] as? String)
            let stranger = try #require(try await api.register("other@example.com", role: "creator")["access_token"] as? String)
            let listed = try await api.send(.get, "creator/profiles", token: maker).json["items"] as? [[String: Any]]
            #expect(listed?.first?["owner_confirmed"] as? Bool == false)

            #expect(try await api.send(.post, "creator/profiles/maker-cakes/claim", token: stranger).status == .notFound, "not the stranger's email")
            let sent = try await api.send(.post, "creator/profiles/maker-cakes/claim", token: maker)
            #expect(sent.status == .accepted, "\(sent.text)")
            let id = try #require(sent.json["otp_id"] as? String)
            // Texted to the profile's approved phone, not to any number the caller chose.
            let code = try #require(fake.log.lastText(to: "+915000010042")?.variables["otp"])
            let stolen = try await api.send(.post, "auth/otp/verify", json: ["otp_id": id, "code": code], token: stranger)
            #expect(stolen.status == .unauthorized && stolen.errorCode == "invalid_code")
            let claimed = try await api.send(.post, "auth/otp/verify", json: ["otp_id": id, "code": code], token: maker)
            #expect(claimed.status == .ok && claimed.json["slug"] as? String == "maker-cakes" && claimed.json["owner_confirmed"] as? Bool == true, "\(claimed.text)")
            #expect(try await api.send(.get, "creator/profiles/maker-cakes/source", token: maker).status == .ok, "its source is the owner's now")
            let again = try await api.send(.post, "creator/profiles/maker-cakes/claim", token: maker)
            #expect(again.status == .conflict)
        }
        try await Self.withServer(kind, verification: .off) { server, api, _ in
            try await server.publishCreator("maker-cakes", account: "maker@example.com", number: 10042, ownerConfirmed: false)
            let maker = try #require(try await api.register("maker@example.com", role: "creator")["access_token"] as? String)
            #expect(try await api.send(.post, "creator/profiles/maker-cakes/claim", token: maker).status == .notFound, "claims need verification on")
        }
    }

    /// Outside demo mode no code reaches a log, at any level: not when the provider fails,
    /// not when one is sent, wrong or right.
    @Test(arguments: StoreKind.allCases) func codesAreNeverLogged(_ kind: StoreKind) async throws {
        let logs = CapturedLogs()
        var logger = Logger(label: "haat") { _ in logs }
        logger.logLevel = .trace
        try await Self.withServer(kind, logger: logger) { _, api, fake in
            fake.log.inject(.status(500))
            #expect(try await api.send(.post, "auth/otp", json: ["phone": "98220 12345", "purpose": "sign_in"]).status == .badGateway)
            let failedCode = try #require(fake.log.requests.last?.body.firstMatch(of: /"otp":"(\d{6})"/)?.1)
            let sent = try await Self.code(api, fake)
            _ = try await api.send(.post, "auth/otp/verify", json: ["otp_id": sent.id, "code": sent.code == "000000" ? "111111" : "000000", "name": "A"])
            #expect(try await api.send(.post, "auth/otp/verify", json: ["otp_id": sent.id, "code": sent.code, "name": "A"]).status == .ok)
            let lines = logs.lines
            #expect(lines.contains { $0.contains("SMS to a number failed") }, "the failure is logged, in words")
            #expect(!lines.contains { $0.contains(String(failedCode)) || $0.contains(sent.code) }, "\(lines)")
        }
    }
}

/// Every log line a server writes, with its metadata, for assertions.
final class CapturedLogs: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var written: [String] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    var lines: [String] { lock.withLock { written } }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        let all = self.metadata.merging(metadata ?? [:]) { $1 }
        lock.withLock { written.append("\(level) \(message) \(all)") }
    }
}
