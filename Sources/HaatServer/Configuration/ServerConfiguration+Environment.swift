import Foundation
import HaatContent
import HaatCore

/// A start-up setting that cannot be used, said so that the operator knows what to set.
public struct ConfigurationError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

extension ServerConfiguration {
    /// `haat serve`'s configuration from its flags, site.yml and the environment (API.md
    /// "Command line and configuration"), with what the operator should be told (demo
    /// mode's throwaway secret). Payments are nil in demo mode without Razorpay keys:
    /// the caller starts test payments.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment, host: String, port: Int,
                                       siteFolder: String, demo: Bool, site: SiteConfig?,
                                       publishing: Publishing) throws -> (configuration: ServerConfiguration, notes: [String]) {
        var notes: [String] = []
        var secret = environment["HAAT_JWT_SECRET"] ?? ""
        if secret.isEmpty {
            guard demo else {
                throw ConfigurationError("HAAT_JWT_SECRET must be set to a random secret of at least \(SigningSecret.minimumBytes) bytes "
                    + "(e.g. `openssl rand -hex 32`), or run with --demo")
            }
            secret = (0..<4).map { _ in UUID().uuidString }.joined()
            notes.append("Demo mode: generated a throwaway HAAT_JWT_SECRET (sessions end when the server stops); not for production.")
        } else if let problem = SigningSecret.problem(secret) {
            // Set but weak: refused in demo mode too, rather than silently replaced.
            throw ConfigurationError("HAAT_JWT_SECRET \(problem); set a random secret (e.g. `openssl rand -hex 32`)")
        }
        var configuration = ServerConfiguration(host: host, port: port, siteFolder: siteFolder, jwtSecret: secret)
        configuration.preparesStoreAtStart = true
        configuration.publishing = publishing
        // In this order, each refusal naming the first setting that cannot be used.
        configuration.connectionLimits = try ConnectionLimits(environment: environment)
        configuration.allowedOrigins = try parsed(environment, "HAAT_ALLOWED_ORIGINS", AllowedOrigins.init(parsing:)) ?? .none
        configuration.payments = try PaymentSettings(environment: environment, demo: demo)
        configuration.sms = try SMSSettings(environment: environment, demo: demo) { line in
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
        let verification = environment["HAAT_PHONE_VERIFICATION"].flatMap { $0.isEmpty ? nil : $0 } ?? PhoneVerification.required.rawValue
        guard let phoneVerification = PhoneVerification(rawValue: verification) else {
            throw ConfigurationError("HAAT_PHONE_VERIFICATION must be required or off, not \"\(verification)\"")
        }
        if phoneVerification == .required, configuration.sms == nil {
            throw ConfigurationError("HAAT_PHONE_VERIFICATION=required (the default) needs an SMS provider to text codes: set HAAT_SMS_PROVIDER "
                + "(msg91 or twilio) and its settings, or HAAT_PHONE_VERIFICATION=off, or run with --demo")
        }
        configuration.phoneVerification = phoneVerification
        let push = try PushSettings.fromEnvironment(environment, demo: demo)
        configuration.push = push.settings
        notes.append(push.note)
        configuration.keepsTestAlertLog = demo
        if let zone = environment["HAAT_TIMEZONE"].flatMap({ $0.isEmpty ? nil : $0 }) {
            guard let timeZone = TimeZone(identifier: zone) else {
                throw ConfigurationError("HAAT_TIMEZONE must be a time zone such as Asia/Kolkata, not \"\(zone)\"")
            }
            configuration.timeZone = timeZone
        }
        // Pages of the site may open the lead socket wherever the API is served from.
        if let baseURL = site?.baseURL {
            configuration.allowedOrigins.insert(originOf: baseURL)
            configuration.siteURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        }
        configuration.apiURL = site?.apiURL ?? configuration.apiURL
        configuration.plans = site?.plans ?? []
        configuration.freeContacts = site?.freeContacts ?? 2
        if let text = environment["HAAT_FREE_CONTACTS"] {
            guard let value = Int(text), value >= 0 else { throw ConfigurationError("HAAT_FREE_CONTACTS must be a whole number ≥ 0, not \"\(text)\"") }
            configuration.freeContacts = value
        }
        if let text = environment["HAAT_BCRYPT_COST"] {
            // For load tests only: registrations at cost 12 would take minutes to seed.
            guard let cost = UInt8(text), (4...31).contains(cost) else { throw ConfigurationError("HAAT_BCRYPT_COST must be 4 to 31, not \"\(text)\"") }
            configuration.bcryptCost = cost
        }
        if let text = environment["HAAT_RATE_LIMIT_SCALE"] {
            guard let scale = Double(text), scale > 0 else { throw ConfigurationError("HAAT_RATE_LIMIT_SCALE must be a positive number, not \"\(text)\"") }
            configuration.rateLimits.scale = scale
        }
        configuration.trustedProxies = try parsed(environment, "HAAT_TRUSTED_PROXIES", TrustedProxies.init(parsing:)) ?? .none
        return (configuration, notes)
    }

    /// The variable `name` parsed by `parse`, nil when unset; a parse error names the variable.
    private static func parsed<Value>(_ environment: [String: String], _ name: String, _ parse: (String) throws -> Value) throws -> Value? {
        guard let text = environment[name] else { return nil }
        do {
            return try parse(text)
        } catch {
            throw ConfigurationError("\(name): \(error), in \"\(text)\"")
        }
    }
}

extension ConnectionLimits {
    /// `HAAT_HEADER_TIMEOUT`, `HAAT_BODY_TIMEOUT`, `HAAT_IDLE_TIMEOUT` (seconds),
    /// `HAAT_BODY_MIN_RATE` (bytes a second) and `HAAT_MAX_CONNECTIONS`, each else its default.
    init(environment: [String: String]) throws {
        self.init()
        func seconds(_ name: String) throws -> Duration? {
            guard let text = environment[name] else { return nil }
            guard let value = Double(text), value > 0, value <= 86_400 else {
                throw ConfigurationError("\(name) must be a number of seconds above 0 (at most 86400), not \"\(text)\"")
            }
            return .milliseconds(Int64((value * 1000).rounded()))
        }
        func count(_ name: String) throws -> Int? {
            guard let text = environment[name] else { return nil }
            guard let value = Int(text), value > 0 else { throw ConfigurationError("\(name) must be a whole number above 0, not \"\(text)\"") }
            return value
        }
        headerTimeout = try seconds("HAAT_HEADER_TIMEOUT") ?? headerTimeout
        bodyTimeout = try seconds("HAAT_BODY_TIMEOUT") ?? bodyTimeout
        idleTimeout = try seconds("HAAT_IDLE_TIMEOUT") ?? idleTimeout
        bodyMinimumRate = try count("HAAT_BODY_MIN_RATE") ?? bodyMinimumRate
        maxConnections = try count("HAAT_MAX_CONNECTIONS") ?? maxConnections
    }
}

extension PaymentSettings {
    static let requiredVariables = ["RAZORPAY_KEY_ID", "RAZORPAY_KEY_SECRET", "RAZORPAY_WEBHOOK_SECRET"]

    /// Razorpay's keys from the environment, or nil in demo mode when none is set (test
    /// payments). A key missing outside demo mode is a start-up error naming it.
    init?(environment: [String: String], demo: Bool) throws {
        let values = Self.requiredVariables.map { environment[$0].flatMap { $0.isEmpty ? nil : $0 } }
        let missing = zip(Self.requiredVariables, values).filter { $0.1 == nil }.map(\.0)
        if demo, missing.count == Self.requiredVariables.count { return nil }
        guard missing.isEmpty, let keyID = values[0], let keySecret = values[1], let webhookSecret = values[2] else {
            let list = missing.joined(separator: ", ")
            throw ConfigurationError("\(list) \(missing.count == 1 ? "is" : "are") not set: Razorpay's key id and key secret are in its Dashboard "
                + "(Account & Settings → API keys), the webhook secret is the one chosen for the webhook to /api/v1/payments/webhook"
                + (demo ? "; or unset all three for test payments" : "; or run with --demo for test payments"))
        }
        let base = environment["RAZORPAY_API_BASE"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.razorpayAPIBase
        guard let url = URL(string: base), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw ConfigurationError("RAZORPAY_API_BASE must be an http(s) URL such as \(Self.razorpayAPIBase), not \"\(base)\"")
        }
        self.init(apiBase: base, keyID: keyID, keySecret: keySecret, webhookSecret: webhookSecret)
    }
}
