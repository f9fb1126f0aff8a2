import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import SMSFake

/// `haat-bench codes`: new customers signing in by one-time code, as on a phone. Runs
/// the MSG91 stand-in on `--provider-port` (the `haat serve` under test is started with
/// `MSG91_API_BASE` pointing there), then for each of `--numbers` mobile numbers asks
/// the API for a sign-in code, reads the code from the text the stand-in received, and
/// verifies it (creating the account), `--connections` numbers at a time. Each number
/// comes from an address of its own (`X-Forwarded-For`, for a server that trusts
/// loopback as its proxy), as phones do, so the per-address limits apply as they would.
/// Prints one `BENCH` line: requests/s over the whole run and each request's p50/p99.
struct BenchCodes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "codes", abstract: "Sign-in by one-time code against a running haat serve.")

    static let authKey = "bench-msg91-auth-key"
    static let templateID = "bench-otp-template"

    @Option(help: "The server, e.g. http://127.0.0.1:8080.")
    var url: String
    @Option(help: "The port the MSG91 stand-in listens on (the server's MSG91_API_BASE).")
    var providerPort: Int
    @Option(help: "How many numbers sign in.")
    var numbers = 1000
    @Option(help: "The first number's last 8 digits (numbers are +91 70 followed by 8 digits).")
    var first = 0
    @Option(help: "How many numbers are signing in at once.")
    var connections = 32
    @Option(help: "A file to write each new account's access token to, one a line.")
    var tokens: String?

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    func run() async throws {
        // The stand-in's server would log each start and stop beside the figures.
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .critical
            return handler
        }
        let provider = FakeMSG91(authKey: Self.authKey, templateID: Self.templateID)
        let listening = AsyncStream<Void>.makeStream()
        let fake = Task { try await provider.application(port: providerPort) { _ in listening.continuation.yield() }.runService() }
        defer { fake.cancel() }
        for await _ in listening.stream { break }

        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let results: [Session.Result]
        let started = ContinuousClock.now
        do {
            results = try await signIn(Session(client: client, base: url + "/api/v1", provider: provider.log))
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        if let tokens {
            try results.map(\.token).joined(separator: "\n").appending("\n").write(toFile: tokens, atomically: true, encoding: .utf8)
        }
        let requests = results.count * 2
        print(String(format: "BENCH %d numbers, %d requests in %.2f s, %.0f req/s; code request p50 %@ p99 %@; verify p50 %@ p99 %@",
                     results.count, requests, seconds, Double(requests) / seconds,
                     Self.milliseconds(results.map(\.request), 0.5), Self.milliseconds(results.map(\.request), 0.99),
                     Self.milliseconds(results.map(\.verify), 0.5), Self.milliseconds(results.map(\.verify), 0.99)))
    }

    /// Every number signed in, `connections` at a time.
    private func signIn(_ session: Session) async throws -> [Session.Result] {
        try await withThrowingTaskGroup(of: [Session.Result].self) { group in
            for worker in 0..<connections {
                group.addTask {
                    var results: [Session.Result] = []
                    for index in stride(from: worker, to: numbers, by: connections) {
                        results.append(try await session.signIn(number: first + index))
                    }
                    return results
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
    }

    static func milliseconds(_ durations: [Duration], _ quantile: Double) -> String {
        let sorted = durations.sorted()
        guard !sorted.isEmpty else { return "-" }
        let value = sorted[min(sorted.count - 1, Int(Double(sorted.count) * quantile))]
        return String(format: "%.1f ms", value / .milliseconds(1))
    }

    /// One number's sign-in: its two requests, each timed alone (reading the text from
    /// the stand-in is not the server's time).
    struct Session: Sendable {
        let client: HTTPClient
        let base: String
        let provider: FakeSMSLog

        struct Result: Sendable {
            let request: Duration
            let verify: Duration
            let token: String
        }

        func signIn(number: Int) async throws -> Result {
            let phone = String(format: "+9170%08d", number)
            let address = "10.\(number >> 16 & 255).\(number >> 8 & 255).\(number & 255)"
            let clock = ContinuousClock()
            var otpID = ""
            let request = try await clock.measure {
                let (status, json) = try await post("auth/otp", ["phone": phone, "purpose": "sign_in"], from: address)
                guard status == 202, let id = json["otp_id"] as? String else { throw Failure(description: "POST /auth/otp for \(phone): \(status) \(json)") }
                otpID = id
            }
            guard let code = provider.lastText(to: phone)?.variables["otp"] else { throw Failure(description: "no text reached \(phone)") }
            var token = ""
            let verify = try await clock.measure {
                let (status, json) = try await post("auth/otp/verify", ["otp_id": otpID, "code": code, "name": "Bench \(number)"], from: address)
                guard status == 200, let access = json["access_token"] as? String else {
                    throw Failure(description: "POST /auth/otp/verify for \(phone): \(status) \(json)")
                }
                token = access
            }
            return Result(request: request, verify: verify, token: token)
        }

        private func post(_ path: String, _ body: [String: Any], from address: String) async throws -> (Int, [String: Any]) {
            var request = HTTPClientRequest(url: base + "/" + path)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "X-Forwarded-For", value: address)
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
            let response = try await client.execute(request, timeout: .seconds(30))
            let bytes = try await response.body.collect(upTo: 1 << 20)
            let json = (try? JSONSerialization.jsonObject(with: Data(buffer: bytes))) as? [String: Any] ?? [:]
            return (Int(response.status.code), json)
        }
    }
}
