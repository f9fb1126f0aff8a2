import Foundation
import HaatPostgres
import Logging
import PostgresNIO

/// A throwaway database on the test cluster that `make test` starts (scripts/with-postgres.sh),
/// made for one test and dropped after it.
public struct ScratchDatabase: Sendable {
    public let url: String
    public let name: String

    public static var clusterURL: String {
        get throws {
            guard let url = ProcessInfo.processInfo.environment["HAAT_TEST_POSTGRES"] else {
                throw Missing()
            }
            return url
        }
    }

    public struct Missing: Error, CustomStringConvertible {
        public var description: String { "HAAT_TEST_POSTGRES is not set: run the tests with make test, or with scripts/with-postgres.sh swift test" }
    }

    struct BadClusterURL: Error, CustomStringConvertible {
        let url: String
        var description: String { "HAAT_TEST_POSTGRES is not a URL: \(url)" }
    }

    public static func make() async throws -> ScratchDatabase {
        let cluster = try clusterURL
        let name = "haat_test_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        try await maintenance(cluster) { client in
            try await client.query("CREATE DATABASE \(unescaped: name)")
        }
        guard var url = URLComponents(string: cluster) else { throw BadClusterURL(url: cluster) }
        url.path = "/" + name
        guard let string = url.string else { throw BadClusterURL(url: cluster) }
        return ScratchDatabase(url: string, name: name)
    }

    /// Drops the database, ending any connection still open to it.
    public func drop() async throws {
        try await Self.maintenance(try Self.clusterURL) { client in
            try await client.query("DROP DATABASE IF EXISTS \(unescaped: name) WITH (FORCE)")
        }
    }

    /// Runs `body` with a client of the cluster's maintenance database.
    static func maintenance(_ url: String, _ body: (PostgresClient) async throws -> Void) async throws {
        let client = PostgresClient(configuration: try PostgresAddress(url: url).configuration, backgroundLogger: Logger(label: "test"))
        let running = Task { await client.run() }
        defer { running.cancel() }
        try await body(client)
    }
}
