import Foundation
import StoreFixtures
import Testing
@testable import HaatServer

/// A request the HTTP parser refuses is answered 400 and closed at once, whether it is a
/// connection's first request or a later one. The first request of a connection is read
/// while the lead socket's upgrade is still possible, where nothing used to answer: the
/// connection stayed open, silent, until its header timeout (found by schemathesis, whose
/// probe of a NUL in a header waited 10 s).
struct MalformedRequestTests {
    static let refused = [
        "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Probe: \u{0}\r\n\r\n",
        "GARBAGE\r\n\r\n",
        "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: nine\r\n\r\n",
    ]

    @Test(arguments: refused) func aFirstRequestTheParserRefusesIs400AtOnce(_ request: String) async throws {
        try await TestServer(.sqlite).run { api in
            let port = try #require(api.client.port)
            let (answer, closed) = await RawWebSocketProbe.onThreadOfItsOwn { () -> (String?, Bool) in
                guard let connection = RawHTTPConnection(port: port) else { return (nil, false) }
                connection.send(request)
                // Generous for a loaded machine: the old server never answered, only closed.
                let answer = connection.response(within: 10)
                return (answer, connection.closedByServer || connection.closedWithin(5) != nil)
            }
            let text = try #require(answer, "no answer")
            #expect(text.hasPrefix("HTTP/1.1 400"), "\(text)")
            #expect(text.lowercased().contains("connection: close"), "\(text)")
            #expect(closed, "the connection stayed open")
        }
    }

    @Test func aLaterRequestTheParserRefusesIs400Too() async throws {
        try await TestServer(.sqlite).run { api in
            let port = try #require(api.client.port)
            let answers = await RawWebSocketProbe.onThreadOfItsOwn { () -> [String?] in
                guard let connection = RawHTTPConnection(port: port) else { return [] }
                connection.send("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                let first = connection.response(within: 10)
                connection.send(Self.refused[0])
                return [first, connection.response(within: 10)]
            }
            #expect(answers.first??.hasPrefix("HTTP/1.1 200") == true, "\(answers)")
            #expect(answers.last??.hasPrefix("HTTP/1.1 400") == true, "\(answers)")
        }
    }
}
