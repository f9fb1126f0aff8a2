import Foundation
import StoreFixtures
import Testing
@testable import HaatServer

/// A body that ends before its `Content-Length` (the client half-closes its side) is the
/// client's error: 400 `bad_request` in API.md's error shape, never a 500.
struct TruncatedBodyTests {
    @Test func aBodyCutShortOfItsContentLengthIs400() async throws {
        try await TestServer(.sqlite).run { api in
            let port = try #require(api.client.port)
            for path in ["auth/login", "auth/register", "auth/refresh"] {
                let answer = await RawWebSocketProbe.onThreadOfItsOwn { () -> String? in
                    guard let connection = RawHTTPConnection(port: port) else { return nil }
                    connection.send("POST /api/v1/\(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
                        + #"{"email": "a"#)
                    connection.halfClose()
                    return connection.response()
                }
                let text = try #require(answer, "\(path): no answer")
                #expect(text.hasPrefix("HTTP/1.1 400"), "\(path): \(text)")
                #expect(text.contains(#"{"error":{"code":"bad_request","message":"#), "\(path): \(text)")
            }
        }
    }
}
