import Foundation
import HaatCore
import HaatServer
import HaatStore
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import NIOCore
import StoreFixtures
import Testing
@testable import HaatPostgres

/// Two `haat serve` applications on one PostgreSQL, as scale-out runs them: what one
/// instance commits, the other's sockets hear of.
struct ScaleOutTests {
    /// A server on `database`, sharing `secret` (tokens work on every instance). Its hub
    /// is the one `buildApplication` picks for a store shared by instances: the fan-out.
    static func application(_ database: HaatPostgres.PostgresDatabase, secret: String, site: URL) async -> some ApplicationProtocol {
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0, siteFolder: site.path, jwtSecret: secret)
        configuration.bcryptCost = 4
        configuration.bcryptYieldsToRequests = false
        configuration.freeContacts = 2
        configuration.rateLimits.contactsPerAccount = 4
        return await buildApplication(configuration: configuration, store: PostgresStore(database: database))
    }

    static func post(_ client: some TestClientProtocol, _ path: String, _ body: [String: Any], token: String? = nil) async throws -> [String: Any] {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: "/api/v1/" + path, method: .post, headers: headers,
                                        body: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body))) { response in
            (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:]
        }
    }

    @Test func aLeadRevealedOnOneInstanceReachesTheCreatorsSocketOnTheOther() async throws {
        let scratch = try await ScratchDatabase.make()
        let address = try PostgresAddress(url: scratch.url)
        let databaseA = try await HaatPostgres.PostgresDatabase(address: address)
        let databaseB = try await HaatPostgres.PostgresDatabase(address: address)
        try await publishCreator("asha-cakes", owner: "asha@example.com", number: 10001, in: PostgresStore(database: databaseA))
        let site = FileManager.default.temporaryDirectory.appendingPathComponent("haat-scale-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: site) }
        let secret = UUID().uuidString + UUID().uuidString
        let instanceA = await Self.application(databaseA, secret: secret, site: site)
        let instanceB = await Self.application(databaseB, secret: secret, site: site)

        let arrival = try await instanceA.test(.live) { clientA in
            try await instanceB.test(.live) { clientB in
                let creator = try #require(try await Self.post(clientB, "auth/register", ["email": "asha@example.com", "password": "correct horse battery",
                                                                                      "name": "Asha", "role": "creator"])["access_token"] as? String)
                let customer = try #require(try await Self.post(clientA, "auth/register", ["email": "meera@example.com", "password": "correct horse battery",
                                                                                       "name": "Meera"])["access_token"] as? String)
                // The ticket comes from instance A; the socket opens on instance B.
                let ticket = try #require(try await Self.post(clientA, "creator/notifications/ticket", [:], token: creator)["ticket"] as? String)
                let opened = AsyncStream<Void>.makeStream()
                let received = AsyncStream<Date>.makeStream()
                let socket = Task {
                    try await clientB.ws("/api/v1/creator/notifications?ticket=\(ticket)") { inbound, _, _ in
                        opened.continuation.yield()
                        for try await message in inbound.messages(maxSize: 1 << 16) {
                            guard case .text(let text) = message, text.contains(#""type":"lead""#) else { continue }
                            received.continuation.yield(Date())
                            break
                        }
                    }
                }
                for await _ in opened.stream { break }
                try await Task.sleep(for: .milliseconds(200))  // B is listening on the channel by now
                let reveal = try await Self.post(clientA, "creators/asha-cakes/contact", [:], token: customer)
                // From the reveal's answer (the lead is committed by then) to the socket on B.
                let revealedAt = Date()
                #expect(reveal["phone"] as? String == "+915000010001", "\(reveal)")
                let timeout = Task { try await Task.sleep(for: .seconds(3)); received.continuation.finish() }
                var arrivedAt: Date?
                for await date in received.stream { arrivedAt = date; break }
                timeout.cancel()
                socket.cancel()
                return arrivedAt.map { max(0, $0.timeIntervalSince(revealedAt)) }
            }
        }
        let seconds = try #require(arrival, "the lead never reached the socket on the other instance")
        #expect(seconds < 1, "the lead took \(seconds) s")
        databaseA.close()
        databaseB.close()
        try await scratch.drop()
    }

    /// Every rate limit is counted in the store: two instances allow together what one
    /// allows, contacts, failed logins and registrations alike, whichever instance a request reaches.
    @Test func twoInstancesShareEveryRateLimit() async throws {
        let scratch = try await ScratchDatabase.make()
        let address = try PostgresAddress(url: scratch.url)
        let databaseA = try await HaatPostgres.PostgresDatabase(address: address)
        let databaseB = try await HaatPostgres.PostgresDatabase(address: address)
        let site = FileManager.default.temporaryDirectory.appendingPathComponent("haat-scale-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: site) }
        let secret = UUID().uuidString + UUID().uuidString
        let instanceA = await Self.application(databaseA, secret: secret, site: site)
        let instanceB = await Self.application(databaseB, secret: secret, site: site)
        try await instanceA.test(.live) { clientA in
            try await instanceB.test(.live) { clientB in
                @Sendable func status(_ client: some TestClientProtocol, _ path: String, _ body: [String: Any]) async throws -> Int {
                    try await client.execute(uri: "/api/v1/" + path, method: .post, headers: [.contentType: "application/json"],
                                             body: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body))) { Int($0.status.code) }
                }
                let meera = try #require(try await Self.post(clientA, "auth/register", ["email": "meera@example.com", "password": "correct horse battery",
                                                                                     "name": "Meera"])["access_token"] as? String)
                // Ten reveals at once, half on each instance: four pass the account's contact
                // limit (here 4 a minute), counted in the reveals' own statements.
                let reveals = try await withThrowingTaskGroup(of: Int.self) { group in
                    for index in 0..<10 {
                        group.addTask {
                            try await (index % 2 == 0 ? clientA : clientB).execute(uri: "/api/v1/creators/no-such-maker/contact", method: .post,
                                                                                   headers: [.authorization: "Bearer \(meera)"]) { Int($0.status.code) }
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(reveals.filter { $0 == 404 }.count == 4 && reveals.filter { $0 == 429 }.count == 6, "\(reveals)")
                // Five failed logins for one email from one address, split across the instances.
                var failed: [Int] = []
                for index in 0..<5 {
                    let body: [String: Any] = ["email": "meera@example.com", "password": "wrong password"]
                    failed.append(try await index % 2 == 0 ? status(clientA, "auth/login", body) : status(clientB, "auth/login", body))
                }
                #expect(failed == [401, 401, 401, 401, 401])
                #expect(try await status(clientB, "auth/login", ["email": "meera@example.com", "password": "wrong password"]) == 429)
                #expect(try await status(clientA, "auth/login", ["email": "meera@example.com", "password": "correct horse battery"]) == 429)
                // Registrations per address: nine more on either instance, then both refuse.
                for index in 0..<9 {
                    let body: [String: Any] = ["email": "r\(index)@example.com", "password": "correct horse battery", "name": "R"]
                    #expect(try await (index % 2 == 0 ? status(clientA, "auth/register", body) : status(clientB, "auth/register", body)) == 201)
                }
                #expect(try await status(clientA, "auth/register", ["email": "late@example.com", "password": "correct horse battery", "name": "L"]) == 429)
                #expect(try await status(clientB, "auth/register", ["email": "late@example.com", "password": "correct horse battery", "name": "L"]) == 429)
            }
        }
        databaseA.close()
        databaseB.close()
        try await scratch.drop()
    }
}
