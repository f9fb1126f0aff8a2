import AsyncHTTPClient
import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import NIOHTTP1
import NIOFoundationCompat

/// A real `haat serve` process on a port the system chose (`--port 0`; the port is read
/// from its "Serving … on http://127.0.0.1:PORT/" line), its output in a log file.
final class ServeProcess: @unchecked Sendable {
    let process: Process
    private(set) var port = 0
    let log: URL

    var api: APIClient { APIClient(base: "http://127.0.0.1:\(port)/api/v1") }

    struct DidNotStart: Error, CustomStringConvertible {
        let log: String
        var description: String { "haat serve did not start:\n\(log)" }
    }

    /// What `haat serve` needs to start outside demo mode, for tests that make no payments:
    /// a JWT secret (shared by every instance given it), a cheap bcrypt cost for quick
    /// sign-ups, and Razorpay settings that point nowhere.
    static func environment(secret: String = "a secret long enough for the tests " + UUID().uuidString) -> [String: String] {
        [
            "HAAT_JWT_SECRET": secret,
            "HAAT_BCRYPT_COST": "4",
            // No SMS provider here: codes are PhoneCodeTests' business.
            "HAAT_PHONE_VERIFICATION": "off",
            "RAZORPAY_KEY_ID": "rzp_test_unused", "RAZORPAY_KEY_SECRET": "unused", "RAZORPAY_WEBHOOK_SECRET": "unused",
            "RAZORPAY_API_BASE": "http://127.0.0.1:9",
        ]
    }

    static func start(_ name: String, in folder: URL, database: String, environment: [String: String]) async throws -> ServeProcess {
        let log = folder.appendingPathComponent("\(name).log")
        try Data().write(to: log)
        let output = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = CommandLineTests.executable
        process.arguments = ["serve", "--port", "0", "--db", database, "--content", "content", "--site", "site"]
        process.currentDirectoryURL = folder
        process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { _, path in path }
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let started = ServeProcess(process: process, log: log)
        for _ in 0..<600 {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let match = text.firstMatch(of: /on http:\/\/127\.0\.0\.1:(\d+)\//), let port = Int(match.1) {
                started.port = port
                return started
            }
            guard process.isRunning else { throw DidNotStart(log: text) }
            try await Task.sleep(for: .milliseconds(50))
        }
        await started.stop()
        throw DidNotStart(log: (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    private init(process: Process, log: URL) {
        self.process = process
        self.log = log
    }

    /// Ends the process at once, as a crash or a power cut would: no shutdown code runs.
    func kill() async {
        _ = Foundation.kill(process.processIdentifier, SIGKILL)
        _ = await exited(within: .seconds(10))
    }

    /// SIGTERM, as a service manager stops it; SIGKILL if it has not exited within 20 s
    /// (a graceful shutdown lets requests in flight finish).
    func stop() async {
        guard process.isRunning else { return }
        process.terminate()
        if await !exited(within: .seconds(20)) { await kill() }
    }

    /// Exit is polled for, never waited on with a blocked thread: the test process has as
    /// many threads for its tasks as the machine has cores, and its other tests need them.
    private func exited(within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while process.isRunning {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }
}

/// JSON over real HTTP to one server's `/api/v1`.
struct APIClient: Sendable {
    let base: String

    struct Reply: @unchecked Sendable {
        let status: Int
        let json: [String: Any]
    }

    /// `timeout` bounds the wait for a connection too: a stopped server's port is retried
    /// until then.
    func send(_ method: NIOHTTP1.HTTPMethod, _ path: String, json: [String: Any]? = nil, token: String? = nil,
              timeout: TimeAmount = .seconds(30)) async throws -> Reply {
        var request = HTTPClientRequest(url: base + "/" + path)
        request.method = method
        request.headers.add(name: "Content-Type", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json { request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: json))) }
        let response = try await HTTPClient.shared.execute(request, timeout: timeout)
        let body = try await response.body.collect(upTo: 1 << 20)
        let object = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
        return Reply(status: Int(response.status.code), json: object)
    }

    /// Registers an account and returns its access token.
    func register(_ email: String, role: String = "customer") async throws -> String {
        let reply = try await send(.POST, "auth/register", json: ["email": email, "password": "correct horse battery", "name": "Test", "role": role])
        guard reply.status == 201, let token = reply.json["access_token"] as? String else { throw Refused(what: "register \(email)", reply: reply) }
        return token
    }

    func login(_ email: String, password: String = "correct horse battery") async throws -> String {
        let reply = try await send(.POST, "auth/login", json: ["email": email, "password": password])
        guard reply.status == 200, let token = reply.json["access_token"] as? String else { throw Refused(what: "login \(email)", reply: reply) }
        return token
    }

    /// A creator's single-use ticket for the lead socket.
    func ticket(_ token: String) async throws -> String {
        let reply = try await send(.POST, "creator/notifications/ticket", token: token)
        guard let ticket = reply.json["ticket"] as? String else { throw Refused(what: "ticket", reply: reply) }
        return ticket
    }

    struct Refused: Error, CustomStringConvertible {
        let what: String
        let reply: Reply
        var description: String { "\(what) answered \(reply.status): \(reply.json)" }
    }
}

/// Leads as a creator's socket receives them: `(seq, contact_id)` in arrival order.
enum LeadSocket {
    struct Lead: Equatable, Sendable {
        let seq: Int
        let contactID: String
    }

    /// Opens the socket at `base` (http://…/api/v1) with `ticket`, calls `onOpen` once it is
    /// open, and collects leads until `until` says enough, or `timeout` passes; acknowledges
    /// nothing.
    static func collect(base: String, ticket: String, timeout: Duration = .seconds(10), onOpen: @escaping @Sendable () -> Void = {},
                        until enough: @escaping @Sendable ([Lead]) -> Bool) async throws -> [Lead] {
        let logger = { var logger = Logger(label: "lead-socket"); logger.logLevel = .critical; return logger }()
        let url = base.replacingOccurrences(of: "http://", with: "ws://") + "/creator/notifications?ticket=" + ticket
        let received = Received()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                _ = try await WebSocketClient.connect(url: url, logger: logger) { inbound, _, _ in
                    onOpen()
                    if enough(received.leads) { return }
                    for try await message in inbound.messages(maxSize: 1 << 16) {
                        guard case .text(let text) = message,
                              let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                              object["type"] as? String == "lead", let seq = object["seq"] as? Int,
                              let contactID = (object["lead"] as? [String: Any])?["contact_id"] as? String else { continue }
                        if enough(received.append(Lead(seq: seq, contactID: contactID))) { return }
                    }
                }
            }
            group.addTask { try await Task.sleep(for: timeout) }
            try await group.next()
            group.cancelAll()
        }
        return received.leads
    }

    private final class Received: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [Lead] = []
        var leads: [Lead] { lock.withLock { list } }
        func append(_ lead: Lead) -> [Lead] { lock.withLock { list.append(lead); return list } }
    }
}
