import Foundation
import HaatCore

/// What `haat serve` needs to start: where to listen, what to serve, and the API's
/// secrets and limits (API.md "Command line and configuration").
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The built site, served under `/`.
    public var siteFolder: String
    /// Signs access tokens; at least 32 bytes (`HAAT_JWT_SECRET`).
    public var jwtSecret: String
    public var accessTokenLifetime: TimeInterval = 15 * 60
    public var refreshTokenLifetime: TimeInterval = 30 * 24 * 3600
    /// bcrypt's cost; 12 in production, lower in tests.
    public var bcryptCost: UInt8 = 12
    public var rateLimits: RateLimits = RateLimits()
    /// Free contact reveals per customer: `HAAT_FREE_CONTACTS`, else site.yml, else 2.
    public var freeContacts: Int = 2
    /// What a customer can buy (site.yml's `plans`).
    public var plans: [Plan] = []
    /// How often the lead socket sends `{"type": "ping"}` (API.md: at least every 30 s).
    public var notificationPingInterval: Duration = .seconds(25)

    public init(host: String = "127.0.0.1", port: Int = 8080, siteFolder: String = "site", jwtSecret: String) {
        self.host = host
        self.port = port
        self.siteFolder = siteFolder
        self.jwtSecret = jwtSecret
    }

    /// API.md's default limits, each multiplied by `scale` (`HAAT_RATE_LIMIT_SCALE`).
    public struct RateLimits: Sendable {
        public var failedLoginsPerEmail = 5
        public var failedLoginsPerAddress = 20
        public var loginWindow: TimeInterval = 15 * 60
        public var registrationsPerAddress = 10
        public var registrationWindow: TimeInterval = 3600
        public var contactsPerAccount = 30
        public var contactWindow: TimeInterval = 60
        public var scale: Double = 1

        public init() {}

        func limit(_ count: Int, per window: TimeInterval) -> RateLimiter.Limit {
            RateLimiter.Limit(count: max(1, Int((Double(count) * scale).rounded())), window: window)
        }
    }

    public static let minimumSecretBytes = 32
}
