import Foundation
import HaatCore
import HaatStore
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import Logging
import NIOCore
import StoreFixtures
import Testing
@testable import HaatServer

/// Starts the real application on a fresh store of `kind` (a temporary SQLite file or a
/// scratch PostgreSQL database) and speaks real HTTP to it. Every response is checked
/// never to be a 500: bad input must get a 4xx.
final class TestServer: @unchecked Sendable {
    let folder: URL
    /// The store, and SQL for what no API shows (rows written, times moved into the past).
    let database: OpenedStore
    var store: any HaatStore { database.store }
    var configuration: ServerConfiguration

    /// The folder and the store go when the test is done with the server (its store may
    /// be read after `run`).
    deinit {
        try? FileManager.default.removeItem(at: folder)
        let close = database.close
        Task { try? await close() }
    }

    init(_ kind: StoreKind, configure: (inout ServerConfiguration) -> Void = { _ in }) async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("haat-api-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("site"), withIntermediateDirectories: true)
        database = try await kind.open()
        configuration = ServerConfiguration(host: "127.0.0.1", port: 0, siteFolder: folder.appendingPathComponent("site").path,
                                            jwtSecret: "test-secret-" + UUID().uuidString + UUID().uuidString)
        configuration.bcryptCost = 4
        configuration.bcryptYieldsToRequests = false
        // The whole suite runs at once on two cores: a test's client may open its
        // connection and send nothing for longer than a slow client is allowed (10 s),
        // and the server rightly closed it mid-test (connectionClosing, readTimeout).
        // Slow clients have their own tests (SlowClientTests), with their own limits.
        configuration.connectionLimits.headerTimeout = .seconds(600)
        configuration.connectionLimits.bodyTimeout = .seconds(600)
        configuration.connectionLimits.idleTimeout = .seconds(600)
        configure(&configuration)
    }

    /// A response, its status and its body as JSON (when it is JSON).
    struct Reply {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let text: String
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:] }
        var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
        var errorMessage: String? { (json["error"] as? [String: Any])?["message"] as? String }
    }

    /// A client that sends JSON to `/api/v1/…`.
    struct Client {
        let client: any TestClientProtocol
        /// Set on a client from `sendConcurrently`: its requests go over this connection.
        private var connection: TestClient?

        init(client: any TestClientProtocol) { self.client = client }

        /// JSON unless `headers` say otherwise (an image upload sends `bytes`).
        func send(_ method: HTTPRequest.Method, _ path: String, json: Any? = nil, raw: String? = nil, bytes: Data? = nil, token: String? = nil,
                  headers extra: HTTPFields = [:]) async throws -> Reply {
            var headers: HTTPFields = [.contentType: "application/json"]
            for field in extra { headers[field.name] = field.value }
            if let token { headers[.authorization] = "Bearer \(token)" }
            var body: ByteBuffer?
            if let json { body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)) }
            if let raw { body = ByteBuffer(string: raw) }
            if let bytes { body = ByteBuffer(bytes: bytes) }
            let uri = "/api/v1/" + path
            let reply: Reply
            if let connection {
                let response = try await connection.execute(.init(uri, method: method, authority: "localhost", headers: headers, body: body))
                reply = Reply(status: response.status, headers: response.headers, text: String(buffer: response.body ?? ByteBuffer()))
            } else {
                reply = try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
                    Reply(status: response.status, headers: response.headers, text: String(buffer: response.body))
                }
            }
            #expect(reply.status != .internalServerError, "\(method) \(path) answered 500: \(reply.text)")
            return reply
        }

        /// Sends `count` requests at once, each on a connection of its own, and returns the
        /// replies in the order of their indexes. One connection would not do: the server
        /// answers requests pipelined on one connection one after another, so they would not
        /// race inside it, and with the whole suite sharing two cores the last of a long
        /// pipeline can outwait the test client's read timeout.
        func sendConcurrently(_ count: Int, _ request: @escaping @Sendable (Int, Client) async throws -> Reply) async throws -> [Reply] {
            try await withThrowingTaskGroup(of: (Int, Reply).self) { group in
                for index in 0..<count {
                    group.addTask { (index, try await withNewConnection { try await request(index, $0) }) }
                }
                return try await group.reduce(into: [Reply?](repeating: nil, count: count)) { $0[$1.0] = $1.1 }.map { $0! }
            }
        }

        /// `body` with a client whose requests go over a connection opened now, and closed
        /// after: a server with short timeouts (SlowClientTests) may have closed an older,
        /// idle one.
        func withNewConnection<Value: Sendable>(_ body: (Client) async throws -> Value) async throws -> Value {
            let connection = TestClient(host: "127.0.0.1", port: try #require(client.port), configuration: .init(timeout: .seconds(120)))
            connection.connect()
            var client = self
            client.connection = connection
            do {
                let value = try await body(client)
                try await connection.shutdown()
                return value
            } catch {
                try? await connection.shutdown()
                throw error
            }
        }

        /// Registers a customer (or `role`) and returns the session JSON.
        func register(_ email: String, password: String = "correct horse battery", role: String? = nil) async throws -> [String: Any] {
            var body: [String: Any] = ["email": email, "password": password, "name": "Test \(email.prefix(5))"]
            if let role { body["role"] = role }
            let reply = try await send(.post, "auth/register", json: body)
            #expect(reply.status == .created, "\(reply.text)")
            return reply.json
        }
    }

    /// `StoreFixtures.publishCreator` on this server's store.
    func publishCreator(_ slug: String, account: String = "owner@example.com", number: Int = 10001, whatsapp: Bool = true,
                        ownerConfirmed: Bool = true) async throws {
        try await StoreFixtures.publishCreator(slug, owner: account, number: number, whatsapp: whatsapp, ownerConfirmed: ownerConfirmed, in: store)
    }

    func run(logger: Logger = Logger(label: "haat"), _ test: @escaping @Sendable (Client) async throws -> Void) async throws {
        let app = await buildApplication(configuration: configuration, store: store, logger: logger)
        try await app.test(.live) { client in try await test(Client(client: client)) }
    }
}
