import Foundation
import StoreFixtures
import Testing
@testable import HaatServer

/// The lead socket opens only for pages of the site itself (the host asked, site.yml's
/// `base_url`) and of `HAAT_ALLOWED_ORIGINS`; another site's page gets 403 before any
/// upgrade. Clients that are not browsers (no `Origin`, or a `ws:` one) are let through.
struct LeadSocketOriginTests {
    /// The status line and body of the answer to an upgrade with `origin` (the ticket is
    /// made up: an upgrade still answers 101, then closes with 4401).
    static func upgrade(port: Int, origin: String?, host: String = "127.0.0.1") async -> String {
        await RawWebSocketProbe.onThreadOfItsOwn {
            guard let connection = RawHTTPConnection(port: port) else { return "no connection" }
            connection.send("GET /api/v1/creator/notifications?ticket=made-up HTTP/1.1\r\nHost: \(host)\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + (origin.map { "Origin: \($0)\r\n" } ?? "") + "\r\n")
            return connection.response() ?? "no answer"
        }
    }

    @Test func onlyTheSitesOwnAndConfiguredOriginsMayOpenTheSocket() async throws {
        let server = try await TestServer(.sqlite) { configuration in
            configuration.allowedOrigins = try! AllowedOrigins(parsing: "https://partner.example, http://localhost:3000")
            configuration.allowedOrigins.insert(originOf: "https://haat.example")
        }
        try await server.run { api in
            let port = try #require(api.client.port)
            for origin in [nil, "http://127.0.0.1:\(port)", "https://haat.example", "HTTPS://Haat.Example:443", "https://partner.example",
                           "http://localhost:3000", "ws://127.0.0.1"] {
                let answer = await Self.upgrade(port: port, origin: origin, host: "127.0.0.1:\(port)")
                #expect(answer.hasPrefix("HTTP/1.1 101"), "\(origin ?? "no Origin"): \(answer)")
            }
            for origin in ["https://evil.example", "http://haat.example", "https://haat.example.evil.example", "http://127.0.0.1:1",
                           "null", "https://partner.example/page", "http://localhost:3001", ""] {
                let answer = await Self.upgrade(port: port, origin: origin, host: "127.0.0.1:\(port)")
                #expect(answer.hasPrefix("HTTP/1.1 403"), "\(origin): \(answer)")
                #expect(answer.contains(#"{"error":{"code":"forbidden","message":"#), "\(origin): \(answer)")
                #expect(!answer.lowercased().contains("sec-websocket-accept"), "never upgraded: \(answer)")
            }
            // The site's own origin is the host the request came to, whatever it is called.
            #expect(await Self.upgrade(port: port, origin: "https://api.haat.example", host: "api.haat.example").hasPrefix("HTTP/1.1 101"))
            #expect(await Self.upgrade(port: port, origin: "https://api.haat.example", host: "other.example").hasPrefix("HTTP/1.1 403"))
        }
    }

    @Test func originsAreParsedAndComparedAsOrigins() throws {
        let origins = try AllowedOrigins(parsing: " https://Haat.Example/ ,http://127.0.0.1:8080, https://[::1]:8443,https://a.example:443")
        #expect(origins.origins == ["https://haat.example", "http://127.0.0.1:8080", "https://[::1]:8443", "https://a.example"])
        #expect(origins.allows(origin: "https://haat.example:443", host: nil))
        #expect(origins.allows(origin: "https://[::1]:8443", host: nil))
        #expect(!origins.allows(origin: "http://127.0.0.1", host: nil))
        #expect(origins.allows(origin: "http://127.0.0.1", host: "127.0.0.1:80"))
        #expect(!origins.allows(origin: "https://haat.example.", host: nil))
        #expect(AllowedOrigins.none.allows(origin: nil, host: nil))
        #expect(AllowedOrigins.none.allows(origin: "wss://anything.example", host: nil))
        #expect(!AllowedOrigins.none.allows(origin: "http://x.example", host: nil))
        #expect(try AllowedOrigins(parsing: "").origins.isEmpty)
        for bad in ["haat.example", "ftp://haat.example", "https://haat.example/path", "https://user@haat.example", "https://", "*"] {
            #expect(throws: AllowedOrigins.Invalid.self, "\(bad)") { try AllowedOrigins(parsing: "https://ok.example, \(bad)") }
        }
    }
}
