import Foundation
import Hummingbird
import Logging

/// Builds the whole `haat serve` application; the executable and the tests both call it.
/// The API lives under `/api/v1`; everything else is the built site.
public func buildApplication(configuration: ServerConfiguration, logger: Logger = Logger(label: "haat")) -> some ApplicationProtocol {
    let router = Router()
    router.middlewares.add(NotFoundMiddleware(siteFolder: configuration.siteFolder))
    router.middlewares.add(SiteCacheHeadersMiddleware())
    router.middlewares.add(FileMiddleware(configuration.siteFolder, searchForIndexHtml: true, logger: logger))
    let api = router.group("api/v1")
    HealthRoutes().register(on: api)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "haat"),
        logger: logger
    )
}
