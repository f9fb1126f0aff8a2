import Foundation
import HaatStore
import Hummingbird
import HummingbirdCore
import Logging
import ServiceLifecycle
import HaatContent

/// Builds the whole `haat serve` application; the executable and the tests both call it.
/// The API lives under `/api/v1`; everything else is the built site. `onServerRunning`
/// gets the port listened on (the one the system chose when the configuration says 0).
public func buildApplication(configuration: ServerConfiguration, store: any HaatStore, hub: (any NotificationHub)? = nil,
                             logger: Logger = Logger(label: "haat"),
                             onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }) async -> some ApplicationProtocol {
    let pushDelivery = configuration.push.map { PushDelivery(store: store, settings: $0, logger: logger) }
    let testAlertLog = configuration.keepsTestAlertLog ? TestAlertLog() : nil
    let textAlerts = configuration.sms?.alertGateway.map {
        LeadTextAlerts(store: store, gateway: $0, timeZone: configuration.timeZone, siteURL: configuration.siteURL,
                       interval: configuration.textAlertInterval, testLog: testAlertLog, logger: logger)
    }
    var hub = hub ?? notificationHub(for: store, keepAlive: configuration.notificationPingInterval)
    if let pushDelivery {
        hub = PushWakingHub(inner: hub, delivery: pushDelivery)
        if let testAlertLog { hub = TestAlertLoggingHub(inner: hub, log: testAlertLog) }
    }
    let router = Router(context: HaatRequestContext.self)
    router.middlewares.add(SecurityHeadersMiddleware(policy: configuration.securityHeaders))
    if !configuration.trustedProxies.isEmpty { router.middlewares.add(ForwardedClientMiddleware(trusted: configuration.trustedProxies)) }
    router.middlewares.add(APIErrorMiddleware())
    router.middlewares.add(NotFoundMiddleware(siteFolder: configuration.siteFolder))
    router.middlewares.add(SiteCacheHeadersMiddleware())
    router.middlewares.add(FileMiddleware(configuration.siteFolder, searchForIndexHtml: true, logger: logger))

    await registerAPI(on: router.group("api/v1"), configuration: configuration, store: store, hub: hub, testAlertLog: testAlertLog,
                      logger: logger)
    let leadSockets = LeadNotificationSocket(store: store, hub: hub)
    let (limits, origins) = (configuration.connectionLimits, configuration.allowedOrigins)
    let cap = ConnectionCap(maximum: limits.maxConnections)
    var application = Application(
        router: router,
        // HTTP, and the lead socket's upgrade on its path.
        server: HTTPServerBuilder { responder in
            HaatServerChannel(responder: responder, leadSockets: leadSockets, limits: limits, cap: cap, origins: origins)
        },
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "haat"),
        services: [LeadSocketsClosing(registry: leadSockets.registry)] + (pushDelivery.map { [$0] } ?? []) + (textAlerts.map { [$0] } ?? []),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger
    )
    if configuration.preparesStoreAtStart {
        application.beforeServerStarts {
            try await StartupWork.run(store: store, publishing: configuration.publishing, siteFolder: configuration.siteFolder, logger: logger)
        }
    }
    return application
}

/// The lead hub for `store`: a store several instances share fans leads out to them all;
/// otherwise leads stay in this process.
func notificationHub(for store: any HaatStore, keepAlive: Duration) -> any NotificationHub {
    if let shared = store as? any SharedStore {
        return BroadcastNotificationHub(broadcast: shared.broadcast(named: "haat_leads"), keepAlive: keepAlive)
    }
    return LocalNotificationHub(keepAlive: keepAlive)
}

/// On a graceful shutdown, every lead socket gets a 1001 close (its dashboard reconnects
/// elsewhere at once) before the server stops.
struct LeadSocketsClosing: Service {
    let registry: LeadSocketRegistry

    func run() async throws {
        try? await gracefulShutdown()
        await registry.closeAll()
    }
}

/// Registers every `/api/v1` route, each resource's routes taking their dependencies
/// explicitly, and returns the table of what was registered.
@discardableResult
func registerAPI(on group: RouterGroup<HaatRequestContext>, configuration: ServerConfiguration, store: any HaatStore,
                 hub: any NotificationHub = LocalNotificationHub(), testAlertLog: TestAlertLog? = nil,
                 logger: Logger = Logger(label: "haat")) async -> APIRouter {
    let tokens = await AccessTokens(secret: configuration.jwtSecret, lifetime: configuration.accessTokenLifetime)
    let authenticator = Authenticator(tokens: tokens, store: store)
    // Instances sharing a store share its limits; one process keeps them in memory.
    let limiter: any RequestLimiter = (store as? any SharedRateLimits).map(StoreLimiter.init) ?? RateLimiter()
    group.add(middleware: NULRefusal.Query())
    let api = APIRouter(group: group)
    HealthRoutes().register(on: api)
    OpenAPIRoutes().register(on: api)
    let passwords = Passwords(cost: configuration.bcryptCost, yieldsToRequests: configuration.bcryptYieldsToRequests)
    let sessions = Sessions(store: store, tokens: tokens, refreshTokenLifetime: configuration.refreshTokenLifetime)
    AuthRoutes(store: store, passwords: passwords, decoyHash: passwords.makeDecoyHash(), authenticator: authenticator,
               limiter: limiter, configuration: configuration, sessions: sessions).register(on: api)
    PhoneRoutes(store: store, authenticator: authenticator, passwords: passwords, sessions: sessions, codes: OneTimeCodes(secret: configuration.jwtSecret),
                sms: configuration.sms, policy: configuration.codePolicy, verification: configuration.phoneVerification, hub: hub, logger: logger)
        .register(on: api)
    ContactRoutes(store: store, authenticator: authenticator, contactLimit: ContactLimitCounter(for: store), hub: hub, configuration: configuration).register(on: api)
    CreatorRoutes(store: store, authenticator: authenticator).register(on: api)
    PushRoutes(store: store, authenticator: authenticator, settings: configuration.push).register(on: api)
    AlertRoutes(store: store, authenticator: authenticator, canText: configuration.sms?.alertGateway != nil, testLog: testAlertLog)
        .register(on: api)
    // The socket's path without an upgrade (a plain GET): say how to open it. It is not
    // in the OpenAPI document, which leaves the WebSocket out.
    group.get(RouterPath("creator/notifications")) { _, _ -> Response in
        throw APIError.badRequest("This is a WebSocket: open it with a ticket from POST /api/v1/creator/notifications/ticket.")
    }
    PlanRoutes(plans: configuration.plans).register(on: api)
    PaymentRoutes(store: store, authenticator: authenticator, limiter: limiter, configuration: configuration, logger: logger).register(on: api)
    ReviewAndReportRoutes(store: store, authenticator: authenticator, limiter: limiter).register(on: api)
    let publishing = configuration.publishing
    AdminCreatorRoutes(store: store, authenticator: authenticator,
                       approver: Approver(store: store, media: publishing.media, content: publishing.content),
                       rebuilder: SiteRebuilder(store: store, publishing: publishing, siteFolder: configuration.siteFolder, logger: logger),
                       hub: hub)
        .register(on: api)
    CreatorProfileRoutes(store: store, authenticator: authenticator, editor: ProfileEditor(content: publishing.content, store: store),
                         previews: PreviewTheme(folder: publishing.themeFolder), limiter: limiter, limits: configuration.rateLimits)
        .register(on: api)
    AdminMonitorRoutes(store: store, authenticator: authenticator).register(on: api)
    AdminAccountRoutes(store: store, authenticator: authenticator, plans: configuration.plans).register(on: api)
    AdminReviewAndReportRoutes(store: store, authenticator: authenticator).register(on: api)
    api.refuseOtherMethods()
    return api
}
