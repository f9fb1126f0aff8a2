import Crypto
import Foundation
import Hummingbird
import StoreFixtures
import Testing
@testable import HaatServer

/// API.md "Accounts" and "Conventions", over real HTTP on a temporary SQLite file.
struct AccountTests {
    @Test(arguments: StoreKind.allCases) func registerReturnsASessionOfACustomer(_ kind: StoreKind) async throws {
        try await TestServer(kind).run { api in
            let session = try await api.register("Asha@Example.com")
            let user = try #require(session["user"] as? [String: Any])
            #expect(user["email"] as? String == "asha@example.com")
            #expect(user["role"] as? String == "customer")
            #expect(user["status"] as? String == "active")
            #expect((user["created_at"] as? String)?.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/) != nil)
            #expect(session["expires_in"] as? Int == 900)
            #expect((session["refresh_token"] as? String)?.count ?? 0 >= 43, "256 random bits")
            #expect(Set(user.keys) == ["id", "email", "name", "role", "status", "created_at", "phone", "phone_verified"])

            let creator = try await api.register("maker@example.com", role: "creator")
            #expect((creator["user"] as? [String: Any])?["role"] as? String == "creator")
        }
    }

    @Test(arguments: StoreKind.allCases) func registrationIsValidatedAndNeverAssignsRoleOrStatus(_ kind: StoreKind) async throws {
        try await TestServer(kind).run { api in
            let admin = try await api.send(.post, "auth/register", json: ["email": "a@example.com", "password": "long enough pass", "name": "A", "role": "admin"])
            #expect(admin.status == .unprocessableContent && admin.errorCode == "validation_failed")
            #expect(admin.errorMessage?.contains("role") == true)

            let short = try await api.send(.post, "auth/register", json: ["email": "b@example.com", "password": "short", "name": "B"])
            #expect(short.status == .unprocessableContent && short.errorMessage?.contains("password") == true)
            let long = try await api.send(.post, "auth/register", json: ["email": "b@example.com", "password": String(repeating: "x", count: 129), "name": "B"])
            #expect(long.status == .unprocessableContent)
            let email = try await api.send(.post, "auth/register", json: ["email": "not-an-email", "password": "long enough pass", "name": "B"])
            #expect(email.status == .unprocessableContent && email.errorMessage?.contains("email") == true)

            let sneaky = try await api.send(.post, "auth/register", json: [
                "email": "c@example.com", "password": "long enough pass", "name": "C",
                "status": "suspended", "id": "chosen-id", "quota": ["free_limit": 1000], "is_admin": true,
            ])
            #expect(sneaky.status == .created)
            let user = try #require(sneaky.json["user"] as? [String: Any])
            #expect(user["status"] as? String == "active" && user["role"] as? String == "customer" && user["id"] as? String != "chosen-id")
            let token = try #require(sneaky.json["access_token"] as? String)
            let me = try await api.send(.get, "me", token: token)
            #expect((me.json["quota"] as? [String: Any])?["free_limit"] as? Int == 2)
        }
    }

    @Test(arguments: StoreKind.allCases) func emailsAreUniqueCaseInsensitively(_ kind: StoreKind) async throws {
        try await TestServer(kind).run { api in
            _ = try await api.register("dup@example.com")
            let again = try await api.send(.post, "auth/register", json: ["email": "DUP@example.com", "password": "another long pass", "name": "D"])
            #expect(again.status == .conflict && again.errorCode == "email_taken")
        }
    }

    @Test(arguments: StoreKind.allCases) func loginRefusesUnknownEmailsAndWrongPasswordsAlike(_ kind: StoreKind) async throws {
        try await TestServer(kind).run { api in
            _ = try await api.register("lata@example.com")
            let ok = try await api.send(.post, "auth/login", json: ["email": "LATA@example.com", "password": "correct horse battery"])
            #expect(ok.status == .ok && ok.json["access_token"] is String)
            let wrong = try await api.send(.post, "auth/login", json: ["email": "lata@example.com", "password": "wrong password!!"])
            let unknown = try await api.send(.post, "auth/login", json: ["email": "nobody@example.com", "password": "wrong password!!"])
            #expect(wrong.status == .unauthorized && wrong.errorCode == "invalid_credentials")
            #expect(unknown.status == wrong.status && unknown.text == wrong.text, "\(unknown.text) vs \(wrong.text)")
        }
    }

    @Test(arguments: StoreKind.allCases) func repeatedFailedLoginsAreRateLimitedPerEmailAndPerAddress(_ kind: StoreKind) async throws {
        try await TestServer(kind).run { api in
            _ = try await api.register("ravi@example.com")
            for _ in 0..<5 {
                #expect(try await api.send(.post, "auth/login", json: ["email": "ravi@example.com", "password": "nope nope nope"]).status == .unauthorized)
            }
            let limited = try await api.send(.post, "auth/login", json: ["email": "ravi@example.com", "password": "correct horse battery"])
            #expect(limited.status == .tooManyRequests && limited.errorCode == "rate_limited")
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 > 0)
            // Another email from the same address still works until 20 failures.
            for index in 0..<15 {
                _ = try await api.send(.post, "auth/login", json: ["email": "other\(index)@example.com", "password": "nope nope nope"])
            }
            let address = try await api.send(.post, "auth/login", json: ["email": "fresh@example.com", "password": "nope nope nope"])
            #expect(address.status == .tooManyRequests)
        }
    }

    @Test(arguments: StoreKind.allCases) func registrationsAreRateLimitedPerAddress(_ kind: StoreKind) async throws {
        try await TestServer(kind).run { api in
            for index in 0..<10 { _ = try await api.register("r\(index)@example.com") }
            let eleventh = try await api.send(.post, "auth/register", json: ["email": "r10@example.com", "password": "long enough pass", "name": "R"])
            #expect(eleventh.status == .tooManyRequests && eleventh.headers[.retryAfter] != nil)
        }
    }

    /// Behind a trusted proxy every connection comes from the proxy: the limits per address
    /// count the address it forwarded, so one client's registrations do not stop another's.
    @Test func behindATrustedProxyTheLimitsCountTheForwardedAddress() async throws {
        let server = try await TestServer(.sqlite) { $0.trustedProxies = try! TrustedProxies(parsing: "127.0.0.1, ::1") }
        try await server.run { api in
            var statuses: [HTTPResponse.Status] = []
            for index in 0..<10 { statuses.append(try await Self.register(api, "a\(index)@example.com", from: "203.0.113.7")) }
            #expect(statuses.allSatisfy { $0 == .created }, "\(statuses)")
            let eleventh = try await Self.register(api, "a10@example.com", from: "203.0.113.7")
            #expect(eleventh == .tooManyRequests)
            let neighbour = try await Self.register(api, "b0@example.com", from: "198.51.100.2")
            #expect(neighbour == .created, "another client behind the same proxy")
            // A hop the client wrote itself, left of the proxy's, changes nothing.
            let spoofed = try await Self.register(api, "a11@example.com", from: "192.0.2.99, 203.0.113.7")
            #expect(spoofed == .tooManyRequests)
        }
    }

    static func register(_ api: TestServer.Client, _ email: String, from forwardedFor: String) async throws -> HTTPResponse.Status {
        try await api.send(.post, "auth/register", json: ["email": email, "password": "long enough pass", "name": "R"],
                           headers: [ForwardedClientMiddleware.forwardedFor: forwardedFor]).status
    }

    /// Without a trusted proxy, `X-Forwarded-For` is the client's own word: ignored.
    @Test func aForwardedAddressFromAnUntrustedPeerIsIgnored() async throws {
        try await TestServer(.sqlite).run { api in
            for index in 0..<10 { _ = try await Self.register(api, "r\(index)@example.com", from: "203.0.113.\(index)") }
            let eleventh = try await Self.register(api, "r10@example.com", from: "198.51.100.2")
            #expect(eleventh == .tooManyRequests)
        }
    }

    @Test(arguments: StoreKind.allCases) func refreshRotatesAndAReusedTokenEndsTheWholeLogin(_ kind: StoreKind) async throws {
        try await TestServer(kind).run { api in
            let session = try await api.register("meena@example.com")
            let first = try #require(session["refresh_token"] as? String)
            let rotated = try await api.send(.post, "auth/refresh", json: ["refresh_token": first])
            #expect(rotated.status == .ok)
            let second = try #require(rotated.json["refresh_token"] as? String)
            #expect(second != first)
            #expect(rotated.json["access_token"] is String)

            let replay = try await api.send(.post, "auth/refresh", json: ["refresh_token": first])
            #expect(replay.status == .unauthorized && replay.errorCode == "unauthenticated")
            let afterReplay = try await api.send(.post, "auth/refresh", json: ["refresh_token": second])
            #expect(afterReplay.status == .unauthorized, "the replay revoked the whole family")

            // A second login is a separate family and is unaffected.
            let login = try await api.send(.post, "auth/login", json: ["email": "meena@example.com", "password": "correct horse battery"])
            let other = try #require(login.json["refresh_token"] as? String)
            #expect(try await api.send(.post, "auth/refresh", json: ["refresh_token": other]).status == .ok)
        }
    }

    @Test(arguments: StoreKind.allCases) func logoutRevokes(_ kind: StoreKind) async throws {
        try await TestServer(kind).run { api in
            let session = try await api.register("neha@example.com")
            let refresh = try #require(session["refresh_token"] as? String)
            let logout = try await api.send(.post, "auth/logout", json: ["refresh_token": refresh])
            #expect(logout.status == .noContent)
            #expect(try await api.send(.post, "auth/refresh", json: ["refresh_token": refresh]).status == .unauthorized)
            #expect(try await api.send(.post, "auth/refresh", json: ["refresh_token": "made-up"]).status == .unauthorized)
        }
    }

    @Test(arguments: StoreKind.allCases) func meNeedsAValidToken(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        let secret = server.configuration.jwtSecret
        server.configuration.freeContacts = 3
        try await server.run { api in
            let session = try await api.register("om@example.com")
            let token = try #require(session["access_token"] as? String)
            let me = try await api.send(.get, "me", token: token)
            #expect(me.status == .ok)
            #expect((me.json["user"] as? [String: Any])?["email"] as? String == "om@example.com")
            let quota = try #require(me.json["quota"] as? [String: Any])
            #expect(quota["free_limit"] as? Int == 3 && quota["free_used"] as? Int == 0 && quota["free_remaining"] as? Int == 3)
            #expect(quota.keys.contains("subscription") && quota["subscription"] is NSNull)

            #expect(try await api.send(.get, "me").errorCode == "unauthenticated")
            let parts = token.split(separator: ".").map(String.init)
            // Tampered payload, alg none, another key, expired: all refused.
            let otherSubject = Self.base64URL(#"{"sub":"someone-else","role":"admin","iat":1,"exp":4102444800}"#)
            for forged in [
                "\(parts[0]).\(otherSubject).\(parts[2])",
                "\(Self.base64URL(#"{"alg":"none","typ":"JWT"}"#)).\(otherSubject).",
                Self.sign(header: #"{"alg":"HS256","typ":"JWT"}"#, payload: #"{"sub":"x","role":"admin","iat":1,"exp":4102444800}"#, secret: "another secret that is long enough!!"),
                Self.sign(header: #"{"alg":"HS256","typ":"JWT"}"#, payload: #"{"sub":"x","role":"admin","iat":1,"exp":2}"#, secret: secret),
                "garbage",
            ] {
                let reply = try await api.send(.get, "me", token: forged)
                #expect(reply.status == .unauthorized && reply.errorCode == "unauthenticated", "\(forged)")
            }
        }
    }

    @Test func bearerTokensAreReadStrictly() {
        #expect(Authenticator.bearerToken("Bearer abc.def.ghi") == "abc.def.ghi")
        #expect(Authenticator.bearerToken("bEaReR   abc.def.ghi  ") == "abc.def.ghi")
        #expect(Authenticator.bearerToken("Bearer ") == nil)
        #expect(Authenticator.bearerToken("Bearer    ") == nil)
        #expect(Authenticator.bearerToken("Basic abc") == nil)
        #expect(Authenticator.bearerToken("Bearerabc") == nil)
        #expect(Authenticator.bearerToken("Bearer\u{0}abc") == nil)
        #expect(Authenticator.bearerToken("abc") == nil)
    }

    @Test(arguments: StoreKind.allCases) func conventionsForBadRequests(_ kind: StoreKind) async throws {
        try await TestServer(kind).run { api in
            let malformed = try await api.send(.post, "auth/login", raw: "{\"email\": ")
            #expect(malformed.status == .badRequest && malformed.errorCode == "bad_request")
            let notObject = try await api.send(.post, "auth/register", raw: "[1, 2]")
            #expect(notObject.status == .badRequest)
            let huge = try await api.send(.post, "auth/register", raw: "{\"name\": \"" + String(repeating: "x", count: 70 * 1024) + "\"}")
            #expect(huge.status == .contentTooLarge && huge.errorCode == "payload_too_large")
            let method = try await api.send(.get, "auth/login")
            #expect(method.status == .methodNotAllowed && method.errorCode == "method_not_allowed")
            #expect(method.headers[.allow] == "POST")
            let unknown = try await api.send(.get, "no/such/thing")
            #expect(unknown.status == .notFound && unknown.errorCode == "not_found")
            let health = try await api.send(.get, "health")
            #expect(health.status == .ok && health.json["status"] as? String == "ok")
        }
    }

    static func base64URL(_ text: String) -> String {
        base64URL(Data(text.utf8))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// An HS256 token made by hand, to forge what the server must refuse.
    static func sign(header: String, payload: String, secret: String) -> String {
        let input = base64URL(header) + "." + base64URL(payload)
        let signature = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return input + "." + base64URL(Data(signature))
    }
}
