import ArgumentParser
import Foundation
import HaatCore
import HaatServer
import HaatSite
import HaatStore
import Hummingbird
import Logging
import RazorpayFake
import HaatContent

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the lead API under /api/v1 and the built site under /."
    )

    @Option(help: "The address to listen on.")
    var host: String = "127.0.0.1"
    @Option(help: "The port to listen on.")
    var port: Int = 8080
    @OptionGroup var content: ContentOptions
    @Option(help: "The built site folder to serve (admin rebuilds write here).")
    var site: String = "site"
    @OptionGroup var store: StoreOptions
    @Flag(help: "Demo mode: for trying Haat out locally (generated secrets; test payments unless Razorpay keys are set).")
    var demo = false

    func run() async throws {
        var logger = Logger(label: "haat")
        logger.logLevel = .info
        do {
            let location = try store.location()
            let haatStore = try await location.openStore()
            if FileManager.default.fileExists(atPath: content.folder.root.path) {
                // New or changed bundles become pending revisions at start, as DESIGN.md says.
                do {
                    let report = try await ContentImporter(content: content.folder, store: haatStore).run()
                    logger.info("imported content: \(report.recorded.count) new or changed revisions pending approval")
                } catch let errors as ContentErrors {
                    for diagnostic in errors.diagnostics { printError(diagnostic.description) }
                    logger.warning("content has problems (listed above); nothing was imported, serving the current site")
                }
            }
            let environment = ProcessInfo.processInfo.environment
            var secret = environment["HAAT_JWT_SECRET"] ?? ""
            if secret.isEmpty {
                guard demo else {
                    throw ValidationError("HAAT_JWT_SECRET must be set to a random secret of at least \(SigningSecret.minimumBytes) bytes (e.g. `openssl rand -hex 32`), or run with --demo")
                }
                secret = (0..<4).map { _ in UUID().uuidString }.joined()
                progress("Demo mode: generated a throwaway HAAT_JWT_SECRET (sessions end when the server stops); not for production.")
            } else if let problem = SigningSecret.problem(secret) {
                // Set but weak: refused in demo mode too, rather than silently replaced.
                throw ValidationError("HAAT_JWT_SECRET \(problem); set a random secret (e.g. `openssl rand -hex 32`)")
            }
            var configuration = ServerConfiguration(host: host, port: port, siteFolder: site, jwtSecret: secret)
            configuration.connectionLimits = try Self.connectionLimits(environment: environment)
            configuration.allowedOrigins = try Self.allowedOrigins(environment: environment)
            configuration.payments = try PaymentSetup.settings(environment: environment, demo: demo)
            configuration.publishing = Publishing(content: content.folder, themeFolder: Theme.resolve("default"), media: location.media,
                                                  cacheFolder: URL(fileURLWithPath: location.cacheFolder))
            // A rebuild this server was running when it stopped will not finish: say so.
            let abandoned = try await haatStore.failUnfinishedBuilds(reason: "the server stopped before this build finished; request a new one")
            if abandoned > 0 { logger.warning("\(abandoned) unfinished admin rebuilds were marked failed") }
            let catalog = try? content.folder.loadCatalog().get()
            configuration.freeContacts = try Self.freeContacts(environment: environment, site: catalog?.site)
            configuration.plans = catalog?.site.plans ?? []
            // Pages of the site may open the lead socket wherever the API is served from.
            if let baseURL = catalog?.site.baseURL { configuration.allowedOrigins.insert(originOf: baseURL) }
            configuration.apiURL = catalog?.site.apiURL ?? configuration.apiURL
            if let text = environment["HAAT_BCRYPT_COST"] {
                // For load tests only: registrations at cost 12 would take minutes to seed.
                guard let cost = UInt8(text), (4...31).contains(cost) else { throw ValidationError("HAAT_BCRYPT_COST must be 4 to 31, not \"\(text)\"") }
                configuration.bcryptCost = cost
            }
            if let text = environment["HAAT_RATE_LIMIT_SCALE"] {
                guard let scale = Double(text), scale > 0 else { throw ValidationError("HAAT_RATE_LIMIT_SCALE must be a positive number, not \"\(text)\"") }
                configuration.rateLimits.scale = scale
            }
            if let text = environment["HAAT_TRUSTED_PROXIES"] {
                do {
                    configuration.trustedProxies = try TrustedProxies(parsing: text)
                } catch {
                    throw ValidationError("HAAT_TRUSTED_PROXIES: \(error), in \"\(text)\"")
                }
            }
            if !FileManager.default.fileExists(atPath: site + "/index.html") {
                logger.warning("\(site)/index.html does not exist yet: run haat build first")
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                let testWebhooks: FakeWebhooks?
                if configuration.payments == nil {
                    let started = try await PaymentSetup.startTestPayments(webhookURL: PaymentSetup.webhookURL(host: host, port: port), in: &group)
                    (configuration.payments, testWebhooks) = (started.settings, started.webhooks)
                    progress("Demo mode: test payments through a local stand-in for Razorpay at \(configuration.payments?.apiBase ?? "") (no money moves); set RAZORPAY_KEY_ID, RAZORPAY_KEY_SECRET and RAZORPAY_WEBHOOK_SECRET for real ones.")
                } else {
                    testWebhooks = nil
                }
                let hub = notificationHub(for: haatStore, keepAlive: configuration.notificationPingInterval)
                let (host, site) = (host, site)
                let app = await buildApplication(configuration: configuration, store: haatStore, hub: hub, logger: logger) { port in
                    // With --port 0 the system chooses: say which, and aim the test webhooks there.
                    testWebhooks?.url = PaymentSetup.webhookURL(host: host, port: port)
                    progress("Serving \(site)/ and the API on http://\(host):\(port)/ (health: http://\(host):\(port)/api/v1/health)")
                }
                group.addTask { try await app.runService() }
                do {
                    try await group.next()
                } catch {
                    group.cancelAll()
                    throw error
                }
                // Stopped by a signal, which the test payments server heard too.
                try await group.waitForAll()
            }
        } catch {
            throw fail(error)
        }
    }

    /// `HAAT_HEADER_TIMEOUT`, `HAAT_BODY_TIMEOUT`, `HAAT_IDLE_TIMEOUT` (seconds),
    /// `HAAT_BODY_MIN_RATE` (bytes a second) and `HAAT_MAX_CONNECTIONS`, each else its default.
    static func connectionLimits(environment: [String: String]) throws -> ConnectionLimits {
        var limits = ConnectionLimits()
        func seconds(_ name: String) throws -> Duration? {
            guard let text = environment[name] else { return nil }
            guard let value = Double(text), value > 0, value <= 86_400 else {
                throw ValidationError("\(name) must be a number of seconds above 0 (at most 86400), not \"\(text)\"")
            }
            return .milliseconds(Int64((value * 1000).rounded()))
        }
        func count(_ name: String) throws -> Int? {
            guard let text = environment[name] else { return nil }
            guard let value = Int(text), value > 0 else { throw ValidationError("\(name) must be a whole number above 0, not \"\(text)\"") }
            return value
        }
        limits.headerTimeout = try seconds("HAAT_HEADER_TIMEOUT") ?? limits.headerTimeout
        limits.bodyTimeout = try seconds("HAAT_BODY_TIMEOUT") ?? limits.bodyTimeout
        limits.idleTimeout = try seconds("HAAT_IDLE_TIMEOUT") ?? limits.idleTimeout
        limits.bodyMinimumRate = try count("HAAT_BODY_MIN_RATE") ?? limits.bodyMinimumRate
        limits.maxConnections = try count("HAAT_MAX_CONNECTIONS") ?? limits.maxConnections
        return limits
    }

    /// `HAAT_ALLOWED_ORIGINS`: other sites whose pages may open the lead socket.
    static func allowedOrigins(environment: [String: String]) throws -> AllowedOrigins {
        guard let text = environment["HAAT_ALLOWED_ORIGINS"] else { return .none }
        do {
            return try AllowedOrigins(parsing: text)
        } catch {
            throw ValidationError("HAAT_ALLOWED_ORIGINS: \(error), in \"\(text)\"")
        }
    }

    /// `HAAT_FREE_CONTACTS`, else site.yml's `free_contacts`, else 2.
    static func freeContacts(environment: [String: String], site: SiteConfig?) throws -> Int {
        if let text = environment["HAAT_FREE_CONTACTS"] {
            guard let value = Int(text), value >= 0 else { throw ValidationError("HAAT_FREE_CONTACTS must be a whole number ≥ 0, not \"\(text)\"") }
            return value
        }
        return site?.freeContacts ?? 2
    }
}
