import Foundation
import HaatContent
import HaatCore
import HaatStore
import Logging

/// What `haat serve` does once before it listens (DESIGN.md: new or changed bundles
/// become pending revisions at start).
enum StartupWork {
    static func run(store: any HaatStore, publishing: Publishing, siteFolder: String, logger: Logger) async throws {
        if FileManager.default.fileExists(atPath: publishing.content.root.path) {
            do {
                let report = try await ContentImporter(content: publishing.content, store: store).run()
                logger.info("imported content: \(report.recorded.count) new or changed revisions pending approval")
            } catch let errors as ContentErrors {
                // `path:line: message`, as every command prints content problems.
                for diagnostic in errors.diagnostics { FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8)) }
                logger.warning("content has problems (listed above); nothing was imported, serving the current site")
            }
        }
        // A rebuild this server was running when it stopped will not finish: say so.
        let abandoned = try await store.failUnfinishedBuilds(reason: "the server stopped before this build finished; request a new one")
        if abandoned > 0 { logger.warning("\(abandoned) unfinished admin rebuilds were marked failed") }
        if !FileManager.default.fileExists(atPath: siteFolder + "/index.html") {
            logger.warning("\(siteFolder)/index.html does not exist yet: run haat build first")
        }
    }
}
