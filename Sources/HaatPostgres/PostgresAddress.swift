import Foundation
import NIOSSL
import PostgresNIO

/// A `postgres://user:password@host:port/database?sslmode=…` URL (what `--db` and
/// `HAAT_DB` take) as PostgresNIO's client configuration, or a message that says what to
/// fix. `host` may be a Unix socket folder (`?host=/var/run/postgresql`), as libpq allows.
public struct PostgresAddress: Sendable, Equatable {
    public enum TLSMode: String, Sendable {
        case disable, prefer, require
    }

    public let host: String
    public let port: Int
    public let username: String
    public let password: String?
    public let database: String
    public let tls: TLSMode

    public static func isPostgresURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(url text: String) throws {
        guard Self.isPostgresURL(text), let url = URLComponents(string: text) else {
            throw AddressError("\(Self.redacted(text)) is not a PostgreSQL URL: use postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        let query = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        guard let username = url.user, !username.isEmpty else {
            throw AddressError("\(Self.redacted(text)) names no user: postgres://USER@HOST/DATABASE")
        }
        let database = String(url.path.drop { $0 == "/" })
        guard !database.isEmpty else { throw AddressError("\(Self.redacted(text)) names no database: postgres://USER@HOST/DATABASE") }
        let host = query["host"] ?? url.host ?? ""
        guard !host.isEmpty else { throw AddressError("\(Self.redacted(text)) names no host") }
        let isLocal = host.hasPrefix("/") || host == "localhost" || host == "127.0.0.1" || host == "::1"
        let mode = query["sslmode"] ?? (isLocal ? "disable" : "prefer")
        guard let tls = TLSMode(rawValue: mode == "verify-full" || mode == "verify-ca" ? "require" : mode) else {
            throw AddressError("sslmode=\(mode) is not one of disable, prefer, require")
        }
        self.host = host
        self.port = url.port ?? 5432
        self.username = username.removingPercentEncoding ?? username
        self.password = url.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database
        self.tls = tls
    }

    public var configuration: PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if host.hasPrefix("/") {
            configuration = .init(unixSocketPath: host + "/.s.PGSQL.\(port)", username: username, password: password, database: database)
        } else {
            let tlsConfiguration: PostgresClient.Configuration.TLS = switch tls {
            case .disable: .disable
            case .prefer: .prefer(.makeClientConfiguration())
            case .require: .require(.makeClientConfiguration())
            }
            configuration = .init(host: host, port: port, username: username, password: password, database: database, tls: tlsConfiguration)
        }
        // Haat's prepared statements (the reveal's) are planned once per connection: their
        // plans are index lookups whatever the values, and planning cost more than running
        // them. Other queries are planned each time, as unnamed statements always are.
        configuration.options.additionalStartupParameters = [("plan_cache_mode", "force_generic_plan")]
        return configuration
    }

    /// The same address for one connection of its own (the start-up check and migrations).
    public func connectionConfiguration() throws -> PostgresConnection.Configuration {
        if host.hasPrefix("/") {
            return .init(unixSocketPath: host + "/.s.PGSQL.\(port)", username: username, password: password, database: database)
        }
        let tlsConfiguration: PostgresConnection.Configuration.TLS = switch tls {
        case .disable: .disable
        case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        return .init(host: host, port: port, username: username, password: password, database: database, tls: tlsConfiguration)
    }

    /// The URL without its password, for messages and logs.
    public static func redacted(_ text: String) -> String {
        guard var url = URLComponents(string: text), url.password != nil else { return text }
        url.password = "***"
        return url.string ?? text
    }

    public struct AddressError: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}
