import Foundation
import StoreFixtures
import Testing
@testable import HaatServer

/// API.md "Conventions": access tokens' `exp` and `iat` are whole seconds.
struct AccessTokenTests {
    @Test func expiryAndIssueTimesAreWholeSeconds() async throws {
        try await TestServer(.sqlite).run { api in
            let session = try await api.register("whole@example.com")
            let token = try #require(session["access_token"] as? String)
            var payload = String(token.split(separator: ".")[1])
                .replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            payload += String(repeating: "=", count: (4 - payload.count % 4) % 4)
            let json = try #require(Data(base64Encoded: payload).map { String(decoding: $0, as: UTF8.self) })
            // The text itself, not a parsed number: 1796617476.058 must not appear as such.
            let iat = try #require(json.firstMatch(of: /"iat":(-?[0-9.eE+]+)/)?.1, "\(json)")
            let exp = try #require(json.firstMatch(of: /"exp":(-?[0-9.eE+]+)/)?.1, "\(json)")
            let issued = try #require(Int(iat), "iat \(iat) is not a whole number")
            let expires = try #require(Int(exp), "exp \(exp) is not a whole number")
            #expect(expires - issued == 900)
            #expect(abs(Double(issued) - Date().timeIntervalSince1970) < 60)
            // And the server still accepts what it issued.
            #expect(try await api.send(.get, "me", token: token).status == .ok)
        }
    }
}
