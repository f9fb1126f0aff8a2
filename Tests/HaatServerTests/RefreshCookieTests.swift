import Foundation
import HTTPTypes
import Hummingbird
import StoreFixtures
import Testing
@testable import HaatServer

/// Issue 17 §3: the refresh token as an `HttpOnly; Secure; SameSite=Strict` cookie scoped
/// to /api/v1/auth/, set by every response that issues a session and cleared on logout;
/// refresh and logout work from the cookie alone; a browser's requests never get the
/// refresh token in a body a page script could read.
struct RefreshCookieTests {
    /// What a browser adds to every request (a page script can neither set nor remove it).
    static let browser: HTTPFields = [HTTPField.Name("Sec-Fetch-Site")!: "same-origin"]
    static let attributes = ["Path=/api/v1/auth/", "Max-Age=\(30 * 24 * 3600)", "HttpOnly", "Secure", "SameSite=Strict"]

    /// The `haat_refresh` cookie `reply` sets: its value and attributes.
    static func cookie(_ reply: TestServer.Reply) -> (value: String, attributes: [String])? {
        guard let line = reply.headers[values: .setCookie].first(where: { $0.hasPrefix("haat_refresh=") }) else { return nil }
        let parts = line.components(separatedBy: "; ")
        return (String(parts[0].dropFirst("haat_refresh=".count)), Array(parts.dropFirst()))
    }

    static func sending(_ value: String, browser: Bool = true) -> HTTPFields {
        var fields: HTTPFields = [.cookie: "theme=dark; haat_refresh=\(value)"]
        if browser { fields.append(contentsOf: Self.browser) }
        return fields
    }

    @Test(arguments: StoreKind.allCases) func everySessionSetsTheCookieAndABrowserGetsTheTokenOnlyThere(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        try await server.run { api in
            // Another client: the token in the body, and the same token in the cookie.
            let registered = try await api.send(.post, "auth/register", json: ["email": "cookie@example.com", "password": "correct horse battery", "name": "Cookie"])
            #expect(registered.status == .created)
            let set = try #require(Self.cookie(registered), "register sets the cookie")
            #expect(set.attributes == Self.attributes)
            #expect(set.value == registered.json["refresh_token"] as? String && !set.value.isEmpty)

            // A browser signs in: the cookie, and no refresh token in the body.
            let login = try await api.send(.post, "auth/login", json: ["email": "cookie@example.com", "password": "correct horse battery"], headers: Self.browser)
            #expect(login.status == .ok && login.json["access_token"] is String)
            #expect(login.json["refresh_token"] == nil, "a browser's body holds no refresh token: \(login.text)")
            let signedIn = try #require(Self.cookie(login), "login sets the cookie")
            #expect(signedIn.attributes == Self.attributes && signedIn.value != set.value)

            // A page load: refresh with the cookie alone, no body.
            let refreshed = try await api.send(.post, "auth/refresh", headers: Self.sending(signedIn.value))
            #expect(refreshed.status == .ok, "\(refreshed.text)")
            #expect(refreshed.json["refresh_token"] == nil)
            let rotated = try #require(Self.cookie(refreshed), "refresh sets the rotated cookie")
            #expect(rotated.attributes == Self.attributes && rotated.value != signedIn.value)
            let access = try #require(refreshed.json["access_token"] as? String)
            #expect(try await api.send(.get, "me", token: access).status == .ok)

            // The rotated-away cookie again: 401, the cookie cleared, and the sign-in ended.
            let replay = try await api.send(.post, "auth/refresh", headers: Self.sending(signedIn.value))
            #expect(replay.status == .unauthorized)
            let cleared = try #require(Self.cookie(replay), "a refused cookie is cleared")
            #expect(cleared.value.isEmpty && cleared.attributes.contains("Max-Age=0"))
            #expect(try await api.send(.post, "auth/refresh", headers: Self.sending(rotated.value)).status == .unauthorized)

            // A client without Sec-Fetch-Site that refreshes by cookie gets the body's token too.
            let again = try await api.send(.post, "auth/login", json: ["email": "cookie@example.com", "password": "correct horse battery"])
            let other = try #require(Self.cookie(again))
            let plain = try await api.send(.post, "auth/refresh", headers: Self.sending(other.value, browser: false))
            #expect(plain.status == .ok && plain.json["refresh_token"] as? String == Self.cookie(plain)?.value)

            // Nothing presented at all.
            #expect(try await api.send(.post, "auth/refresh").status == .unprocessableContent)
            #expect(try await api.send(.post, "auth/refresh", headers: Self.browser).status == .unprocessableContent)
        }
    }

    @Test(arguments: StoreKind.allCases) func logoutByCookieEndsTheSignInAndClearsTheCookie(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        try await server.run { api in
            _ = try await api.register("leaving@example.com")
            let login = try await api.send(.post, "auth/login", json: ["email": "leaving@example.com", "password": "correct horse battery"], headers: Self.browser)
            let cookie = try #require(Self.cookie(login))
            let logout = try await api.send(.post, "auth/logout", headers: Self.sending(cookie.value))
            #expect(logout.status == .noContent)
            let cleared = try #require(Self.cookie(logout), "logout clears the cookie")
            #expect(cleared.value.isEmpty && cleared.attributes == Self.attributes.map { $0.hasPrefix("Max-Age=") ? "Max-Age=0" : $0 })
            #expect(try await api.send(.post, "auth/refresh", headers: Self.sending(cookie.value)).status == .unauthorized)
            // The body still works for other clients, and wins over a cookie.
            let session = try await api.send(.post, "auth/login", json: ["email": "leaving@example.com", "password": "correct horse battery"])
            let token = try #require(session.json["refresh_token"] as? String)
            #expect(try await api.send(.post, "auth/logout", json: ["refresh_token": token], headers: Self.sending("stale")).status == .noContent)
            #expect(try await api.send(.post, "auth/refresh", json: ["refresh_token": token]).status == .unauthorized)
        }
    }
}
