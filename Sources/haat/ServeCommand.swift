import ArgumentParser
import Foundation
import HaatContent
import HaatServer
import HaatSite
import Logging

/// `haat serve`: its flags, then HaatServer's configuration from the environment, the
/// store, and the application, which prepares the store itself before it listens.
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
        let logger = { var logger = Logger(label: "haat"); logger.logLevel = .info; return logger }()
        do {
            let location = try store.location()
            let publishing = Publishing(content: content.folder, themeFolder: Theme.resolve("default"), media: location.media,
                                        cacheFolder: URL(fileURLWithPath: location.cacheFolder))
            let (configuration, notes) = try ServerConfiguration.fromEnvironment(
                host: host, port: port, siteFolder: site, demo: demo, site: try? content.folder.loadCatalog().get().site, publishing: publishing)
            notes.forEach(progress)
            let haatStore = try await location.openStore()
            let (host, site) = (host, site)
            try await PaymentSetup.serve(configuration) { configuration, listening in
                try await buildApplication(configuration: configuration, store: haatStore, logger: logger) { port in
                    listening(port)
                    progress("Serving \(site)/ and the API on http://\(host):\(port)/ (health: http://\(host):\(port)/api/v1/health)")
                }.runService()
            }
        } catch {
            throw fail(error)
        }
    }
}
