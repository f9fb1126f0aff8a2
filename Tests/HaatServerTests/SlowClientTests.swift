import Foundation
import Hummingbird
import StoreFixtures
import Testing
@testable import HaatServer

/// `ConnectionLimits` over real sockets: a client that sends its head or its body too
/// slowly, or keeps a connection idle, is cut; beyond the cap a connection is refused; a
/// lead socket is none of these. Limits are a second or two here, so the tests are quick.
struct SlowClientTests {
    static func server(header: Double = 1, body: Double = 1, idle: Double = 1.5, maxConnections: Int = 1000) async throws -> TestServer {
        try await TestServer(.sqlite) { configuration in
            configuration.connectionLimits.headerTimeout = .milliseconds(Int64(header * 1000))
            configuration.connectionLimits.bodyTimeout = .milliseconds(Int64(body * 1000))
            configuration.connectionLimits.idleTimeout = .milliseconds(Int64(idle * 1000))
            configuration.connectionLimits.maxConnections = maxConnections
        }
    }

    static func probe<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await RawWebSocketProbe.onThreadOfItsOwn(work)
    }

    static let health = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

    @Test func aHeadTrickledALineEvery400msIsCutAtTheHeaderTimeout() async throws {
        try await Self.server(header: 1).run { api in
            let port = try #require(api.client.port)
            let (closedAfter, answer) = await Self.probe { () -> (Double?, String) in
                guard let connection = RawHTTPConnection(port: port) else { return (nil, "") }
                let lines = ["GET /api/v1/health HTTP/1.1\r\n"] + (1...20).map { "X-Slow-\($0): \($0)\r\n" }
                return (connection.trickle(lines, every: 0.4), connection.text)
            }
            let after = try #require(closedAfter, "the connection was kept open for 8 s")
            #expect(after >= 0.7 && after < 3, "closed after \(after) s")
            #expect(!answer.contains("200"), "\(answer)")
        }
    }

    @Test func aBodyTrickledAByteEvery400msIsCutAtTheBodyTimeout() async throws {
        try await Self.server(header: 5, body: 1).run { api in
            let port = try #require(api.client.port)
            let closedAfter = await Self.probe { () -> Double? in
                guard let connection = RawHTTPConnection(port: port) else { return nil }
                connection.send("POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 60\r\n\r\n")
                return connection.trickle(Array(repeating: " ", count: 20), every: 0.4)
            }
            let after = try #require(closedAfter, "the connection was kept open for 8 s")
            #expect(after >= 0.7 && after < 3, "closed after \(after) s")
        }
    }

    /// Within the limits, the same requests are served: a head in pieces, a body at a
    /// steady rate, a second request on a kept-alive connection before it went idle.
    @Test func clientsWithinTheLimitsAreServed() async throws {
        try await Self.server(header: 1.5, body: 1, idle: 1.5).run { api in
            let port = try #require(api.client.port)
            let answers = await Self.probe { () -> [String?] in
                guard let connection = RawHTTPConnection(port: port) else { return [] }
                _ = connection.trickle(["GET /api/v1/health HTTP/1.1\r\n", "Host: 127.0.0.1\r\n"], every: 0.3)
                connection.send("\r\n")
                let first = connection.response()
                connection.read(for: 0.5)
                // 16 KiB in 3.2 s: longer than the 1 s allowance, at 5 KiB/s, above the 4 KiB/s minimum.
                let padding = String(repeating: "x", count: 16 * 1024 - 80)
                let body = #"{"email": "nobody@example.com", "password": "not the password", "pad": "\#(padding)"}"#
                connection.send("POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n")
                let bytes = Array(body.utf8)
                let pieces = stride(from: 0, to: bytes.count, by: 2048).map { String(decoding: bytes[$0..<min($0 + 2048, bytes.count)], as: UTF8.self) }
                _ = connection.trickle(pieces, every: 0.4)
                return [first, connection.response()]
            }
            #expect(answers.first??.hasPrefix("HTTP/1.1 200") == true, "\(answers)")
            #expect(answers.last??.hasPrefix("HTTP/1.1 401") == true, "\(answers)")
        }
    }

    @Test func anIdleKeptAliveConnectionIsClosedAfterTheIdleTimeout() async throws {
        try await Self.server(header: 5, idle: 1.5).run { api in
            let port = try #require(api.client.port)
            let (answer, closedAfter) = await Self.probe { () -> (String?, Double?) in
                guard let connection = RawHTTPConnection(port: port) else { return (nil, nil) }
                connection.send(Self.health)
                return (connection.response(), connection.closedWithin(6))
            }
            #expect(answer?.hasPrefix("HTTP/1.1 200") == true, "\(answer ?? "no answer")")
            let after = try #require(closedAfter, "the idle connection was kept open for 6 s")
            #expect(after >= 1.2 && after < 4, "closed after \(after) s")
        }
    }

    /// The test client holds one connection, so a cap of 3 leaves room for two more.
    @Test func beyondTheCapAConnectionIsClosedAtOnce() async throws {
        try await Self.server(header: 20, idle: 20, maxConnections: 3).run { api in
            #expect(try await api.send(.get, "health").status == .ok)
            let port = try #require(api.client.port)
            let outcome = await Self.probe { () -> [String] in
                var log: [String] = []
                guard let first = RawHTTPConnection(port: port), let second = RawHTTPConnection(port: port) else { return ["no connection"] }
                for connection in [first, second] {
                    connection.send(Self.health)
                    log.append(connection.response().map { String($0.prefix(15)) } ?? "no answer")
                }
                guard let third = RawHTTPConnection(port: port) else { return log + ["no connection"] }
                third.send(Self.health)
                log.append(third.closedWithin(2).map { $0 < 1 ? "closed at once" : "closed late" } ?? "kept open")
                log.append(third.text.isEmpty ? "nothing sent" : third.text)
                // One leaves: there is room again, once the server has seen it go (how soon
                // depends on the machine's load: asked again for up to 2 s, not timed).
                first.halfClose()
                first.read(for: 1)
                var answer = "no answer"
                for _ in 0..<20 where answer == "no answer" {
                    Thread.sleep(forTimeInterval: 0.1)
                    guard let fourth = RawHTTPConnection(port: port) else { return log + ["no connection"] }
                    fourth.send(Self.health)
                    answer = fourth.response().map { String($0.prefix(15)) } ?? "no answer"
                }
                log.append(answer)
                return log
            }
            #expect(outcome == ["HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "closed at once", "nothing sent", "HTTP/1.1 200 OK"])
        }
    }

    /// The lead socket answers to its pings (every 25 s), not to the idle, header or body
    /// timeouts: silent for three idle periods, it is still open and answers a ping.
    @Test func aLeadSocketStaysOpenPastTheIdleTimeout() async throws {
        let server = try await Self.server(header: 1, body: 1, idle: 1)
        server.configuration.notificationPingInterval = .seconds(60)
        try await server.run { api in
            // On a connection of its own: the test client's first one may sit idle past 1 s.
            let ticket = try await api.withNewConnection { api in
                let session = try await api.register("asha@example.com", role: "creator")
                let token = try #require(session["access_token"] as? String)
                return try #require(try await api.send(.post, "creator/notifications/ticket", token: token).json["ticket"] as? String)
            }
            let port = try #require(api.client.port)
            let (head, closedAfter, pong) = await Self.probe { () -> (String?, Double?, [UInt8]) in
                guard let connection = RawHTTPConnection(port: port) else { return (nil, nil, []) }
                connection.send("GET /api/v1/creator/notifications?ticket=\(ticket) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                let head = connection.response(within: 3)
                let closedAfter = connection.closedWithin(3.5)
                // A masked ping with no payload; the answer is a pong (0x8A, length 0).
                connection.send(bytes: [0x89, 0x80, 1, 2, 3, 4])
                connection.read(for: 1)
                return (head, closedAfter, connection.received)
            }
            #expect(head?.hasPrefix("HTTP/1.1 101") == true, "\(head ?? "no answer")")
            #expect(closedAfter == nil, "the socket was closed after \(closedAfter ?? 0) s")
            #expect(pong.starts(with: [0x8A, 0x00]), "\(pong)")
        }
    }
}
