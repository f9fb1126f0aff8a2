import Foundation
import Hummingbird
import StoreFixtures
import Testing
@testable import HaatServer

/// API.md's limits, counted as the issue found them wanting: failed logins per email and
/// address, per address and per email, keyed by the email the account lookup reads, and
/// every limit exact under concurrent requests. Clients come from distinct addresses
/// through a trusted proxy on loopback.
struct RateLimitTests {
    static func proxied(_ kind: StoreKind = .sqlite) async throws -> TestServer {
        try await TestServer(kind) { $0.trustedProxies = try! TrustedProxies(parsing: "127.0.0.1, ::1") }
    }

    static func login(_ api: TestServer.Client, _ email: String, _ password: String, from address: String) async throws -> TestServer.Reply {
        try await api.send(.post, "auth/login", json: ["email": email, "password": password],
                           headers: [ForwardedClientMiddleware.forwardedFor: address])
    }

    @Test(arguments: StoreKind.allCases) func aStrangerFailingAgainstAnEmailDoesNotLockItsOwnerOut(_ kind: StoreKind) async throws {
        try await Self.proxied(kind).run { api in
            _ = try await api.register("owner@example.com")
            for _ in 0..<5 {
                #expect(try await Self.login(api, "owner@example.com", "a wrong guess", from: "203.0.113.66").status == .unauthorized)
            }
            let stranger = try await Self.login(api, "owner@example.com", "correct horse battery", from: "203.0.113.66")
            #expect(stranger.status == .tooManyRequests && Int(stranger.headers[.retryAfter] ?? "") ?? 0 > 0)
            let owner = try await Self.login(api, "owner@example.com", "correct horse battery", from: "198.51.100.7")
            #expect(owner.status == .ok, "the owner, from its own address: \(owner.text)")
        }
    }

    @Test func failedLoginsPerEmailFromAllAddressesStopAtFifty() async throws {
        try await Self.proxied().run { api in
            _ = try await api.register("owner@example.com")
            for index in 0..<50 {
                let reply = try await Self.login(api, "owner@example.com", "a wrong guess", from: "203.0.113.\(index)")
                #expect(reply.status == .unauthorized)
            }
            let fiftyFirst = try await Self.login(api, "owner@example.com", "a wrong guess", from: "198.51.100.1")
            #expect(fiftyFirst.status == .tooManyRequests)
            // Another email from a fresh address is untouched.
            _ = try await api.register("other@example.com")
            #expect(try await Self.login(api, "other@example.com", "correct horse battery", from: "198.51.100.2").status == .ok)
        }
    }

    @Test func aCorrectPasswordIsNotCountedAsAFailure() async throws {
        try await TestServer(.sqlite).run { api in
            _ = try await api.register("owner@example.com")
            for _ in 0..<4 { _ = try await api.send(.post, "auth/login", json: ["email": "owner@example.com", "password": "a wrong guess"]) }
            for _ in 0..<5 {
                let reply = try await api.send(.post, "auth/login", json: ["email": "owner@example.com", "password": "correct horse battery"])
                #expect(reply.status == .ok)
            }
            let fifth = try await api.send(.post, "auth/login", json: ["email": "owner@example.com", "password": "a wrong guess"])
            #expect(fifth.status == .unauthorized, "four failures and five sign-ins leave one failure to go")
            let sixth = try await api.send(.post, "auth/login", json: ["email": "owner@example.com", "password": "a wrong guess"])
            #expect(sixth.status == .tooManyRequests)
        }
    }

    /// The limiter's key is the email as the account lookup normalises it: trailing line
    /// breaks or separators are the same email, limited with it.
    @Test func anEmailWithTrailingWhitespaceIsLimitedAsTheSameEmail() async throws {
        try await TestServer(.sqlite).run { api in
            _ = try await api.register("customer@example.com")
            for _ in 0..<5 { _ = try await api.send(.post, "auth/login", json: ["email": "customer@example.com", "password": "a wrong guess"]) }
            for variant in ["customer@example.com\n", "customer@example.com\r", "customer@example.com\r\n", "customer@example.com\u{2028}",
                            " Customer@Example.com "] {
                for password in ["a wrong guess", "correct horse battery"] {
                    let reply = try await api.send(.post, "auth/login", json: ["email": variant, "password": password])
                    #expect(reply.status == .tooManyRequests, "\(variant.debugDescription) with \(password): \(reply.status)")
                }
            }
        }
    }

    @Test(arguments: StoreKind.allCases) func concurrentWrongLoginsNeverPassTheLimit(_ kind: StoreKind) async throws {
        try await TestServer(kind).run { api in
            _ = try await api.register("owner@example.com")
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<12 {
                    group.addTask { try await api.send(.post, "auth/login", json: ["email": "owner@example.com", "password": "a wrong guess"]).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .unauthorized }.count == 5, "\(statuses)")
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 7, "\(statuses)")
        }
    }

    /// A window that ended a day ago is cleared when limits are next counted, whether or
    /// not its key ever comes again.
    @Test func endedRateWindowsAreClearedFromTheStore() async throws {
        let server = try await TestServer(.postgres)
        try await server.database.execute("INSERT INTO rate_windows (key, started_at, count) VALUES ('contact:gone', $1, 3), ('contact:recent', $2, 1)",
                                          [.time(Date().addingTimeInterval(-2 * 86400)), .time(Date().addingTimeInterval(-3600))])
        try await server.run { api in
            let login = try await api.send(.post, "auth/login", json: ["email": "nobody@example.com", "password": "a wrong guess"])
            #expect(login.status == .unauthorized)
        }
        let keys = try await server.database.texts("SELECT key FROM rate_windows ORDER BY key")
        #expect(!keys.contains("contact:gone") && keys.contains("contact:recent"), "\(keys)")
    }

    @Test func concurrentRegistrationsNeverPassTheLimit() async throws {
        try await TestServer(.sqlite).run { api in
            let statuses = try await api.sendConcurrently(12) { index, api in
                try await api.send(.post, "auth/register", json: ["email": "r\(index)@example.com", "password": "long enough pass", "name": "R"])
            }.map(\.status)
            #expect(statuses.filter { $0 == .created }.count == 10, "\(statuses)")
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 2, "\(statuses)")
        }
    }

    @Test(arguments: StoreKind.allCases) func concurrentContactAttemptsNeverPassTheLimit(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind) { $0.freeContacts = 100 }
        for index in 0..<35 { try await server.publishCreator("maker-\(index)", account: "maker\(index)@example.com", number: 20000 + index) }
        try await server.run { api in
            let token = try #require(try await api.register("asha@example.com")["access_token"] as? String)
            let statuses = try await api.sendConcurrently(35) { index, api in
                try await api.send(.post, "creators/maker-\(index)/contact", json: [:], token: token)
            }.map(\.status)
            #expect(statuses.filter { $0 == .ok }.count == 30, "\(statuses)")
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 5, "\(statuses)")
        }
    }
}
