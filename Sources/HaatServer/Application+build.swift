import Foundation
import HaatStore
import Hummingbird
import Logging

/// Builds the whole `haat serve` application; the executable and the tests both call it.
/// The API lives under `/api/v1`; everything else is the built site.
public func buildApplication(configuration: ServerConfiguration, store: any HaatStore,
                             logger: Logger = Logger(label: "haat")) async -> some ApplicationProtocol {
    let router = Router(context: HaatRequestContext.self)
    router.middlewares.add(APIErrorMiddleware())
    router.middlewares.add(NotFoundMiddleware(siteFolder: configuration.siteFolder))
    router.middlewares.add(SiteCacheHeadersMiddleware())
    router.middlewares.add(FileMiddleware(configuration.siteFolder, searchForIndexHtml: true, logger: logger))

    await registerAPI(on: router.group("api/v1"), configuration: configuration, store: store)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "haat"),
        logger: logger
    )
}

/// Registers every `/api/v1` route, each resource's routes taking their dependencies
/// explicitly, and returns the table of what was registered.
@discardableResult
func registerAPI(on group: RouterGroup<HaatRequestContext>, configuration: ServerConfiguration, store: any HaatStore) async -> APIRouter {
    let tokens = await AccessTokens(secret: configuration.jwtSecret, lifetime: configuration.accessTokenLifetime)
    let authenticator = Authenticator(tokens: tokens, store: store)
    let limiter = RateLimiter()
    let api = APIRouter(group: group)
    HealthRoutes().register(on: api)
    OpenAPIRoutes().register(on: api)
    let passwords = Passwords(cost: configuration.bcryptCost)
    AuthRoutes(store: store, passwords: passwords, decoyHash: passwords.makeDecoyHash(), tokens: tokens, authenticator: authenticator,
               limiter: limiter, configuration: configuration).register(on: api)
    ContactRoutes(store: store, authenticator: authenticator, limiter: limiter, configuration: configuration).register(on: api)
    PlanRoutes(plans: configuration.plans).register(on: api)
    api.refuseOtherMethods()
    return api
}
