import Foundation
import HaatCore
import HaatStore
import HaatContent

/// What `haat serve` needs to start: where to listen, what to serve, and the API's
/// secrets and limits (API.md "Command line and configuration").
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The built site, served under `/`.
    public var siteFolder: String
    /// Signs access tokens (`HAAT_JWT_SECRET`); `haat serve` checks it by `SigningSecret`'s rules.
    public var jwtSecret: String
    public var accessTokenLifetime: TimeInterval = 15 * 60
    public var refreshTokenLifetime: TimeInterval = 30 * 24 * 3600
    /// bcrypt's cost; 12 in production, lower in tests.
    public var bcryptCost: UInt8 = 12
    /// bcrypt at the lowest scheduling priority (`Passwords.yieldsToRequests`); tests turn it off.
    public var bcryptYieldsToRequests = true
    public var rateLimits: RateLimits = RateLimits()
    /// Free contact reveals per customer: `HAAT_FREE_CONTACTS`, else site.yml, else 2.
    public var freeContacts: Int = 2
    /// What a customer can buy (site.yml's `plans`).
    public var plans: [Plan] = []
    /// Where the pages' JavaScript finds the API (site.yml's `api_url`): the pages'
    /// Content-Security-Policy lets them connect there.
    public var apiURL = "/api/v1"
    /// Razorpay's keys and where to reach it; nil when payments are not set up (the
    /// payment routes then answer 502 and nothing is charged).
    public var payments: PaymentSettings?
    /// Where one-time codes are texted from; nil: no provider (codes cannot be sent).
    public var sms: SMSSettings?
    /// Web Push of leads to creators' devices; nil: off (its routes answer 404).
    public var push: PushSettings?
    /// The operator's time zone (`HAAT_TIMEZONE`): text alerts keep its quiet hours.
    public var timeZone = TimeZone(identifier: "Asia/Kolkata")!
    /// How often waiting leads are looked for, to text them.
    public var textAlertInterval: Duration = .seconds(30)
    /// Demo mode: the server remembers the alerts it sends each creator, for the
    /// dashboard's "Test alerts" panel (`GET /creator/alerts/log`, `TestAlertLog`).
    public var keepsTestAlertLog = false
    /// The site's public address (site.yml's `base_url`), for links in texts.
    public var siteURL = ""
    /// The limits on one-time codes (API.md "Phone numbers and one-time codes").
    public var codePolicy = CodePolicy()
    /// `HAAT_PHONE_VERIFICATION`: `required` (what `serve` defaults to) or `off` (this
    /// type's default, for servers embedded in tests that do not verify numbers).
    public var phoneVerification: PhoneVerification = .off
    /// Where admin approvals and rebuilds find the content, theme, media and build cache.
    public var publishing = Publishing(content: ContentFolder(path: "content"), themeFolder: URL(fileURLWithPath: "themes/default"),
                                       media: MediaLibrary(path: "media"), cacheFolder: nil)
    /// Proxies whose `X-Forwarded-For` names the client (`HAAT_TRUSTED_PROXIES`); none by default.
    public var trustedProxies: TrustedProxies = .none
    /// How often the lead socket sends `{"type": "ping"}` (API.md: at least every 30 s).
    public var notificationPingInterval: Duration = .seconds(25)
    /// Web origins besides the request's own host whose pages may open the lead socket:
    /// site.yml's `base_url` and `HAAT_ALLOWED_ORIGINS`.
    public var allowedOrigins: AllowedOrigins = .none
    /// Header, body and idle timeouts and the connection cap (`HAAT_HEADER_TIMEOUT`, …).
    public var connectionLimits = ConnectionLimits()
    /// Before listening, import changed content and mark the rebuilds a stopped server
    /// left unfinished as failed (`StartupWork`): what `haat serve` does; tests start
    /// from a store they prepared themselves.
    public var preparesStoreAtStart = false

    public init(host: String = "127.0.0.1", port: Int = 8080, siteFolder: String = "site", jwtSecret: String) {
        self.host = host
        self.port = port
        self.siteFolder = siteFolder
        self.jwtSecret = jwtSecret
    }

    /// API.md's default limits, each multiplied by `scale` (`HAAT_RATE_LIMIT_SCALE`).
    public struct RateLimits: Sendable {
        /// Failed logins (API.md "Phone numbers and one-time codes", last item): per email
        /// from one address, per address, and per email from all addresses, so a stranger
        /// failing against someone's email cannot lock its owner out.
        public var failedLoginsPerEmailAndAddress = 5
        public var failedLoginsPerAddress = 20
        public var failedLoginsPerEmail = 50
        public var loginWindow: TimeInterval = 15 * 60
        public var registrationsPerAddress = 10
        public var registrationWindow: TimeInterval = 3600
        public var contactsPerAccount = 30
        public var contactWindow: TimeInterval = 60
        /// Razorpay orders an account may create per hour (each opens a Checkout window).
        public var ordersPerAccount = 20
        public var orderWindow: TimeInterval = 3600
        /// Portfolio images an account may upload per hour (each is decoded and re-encoded).
        public var imagesPerAccount = 60
        public var imageWindow: TimeInterval = 3600
        public var scale: Double = 1

        public init() {}

        func limit(_ count: Int, per window: TimeInterval) -> RateLimiter.Limit {
            RateLimiter.Limit(count: max(1, Int((Double(count) * scale).rounded())), window: window)
        }
    }
}
