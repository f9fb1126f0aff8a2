import ArgumentParser
import Foundation
import HaatCore
import HaatSite
import HaatStore
import HaatContent

struct BuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Import changed bundles, then render every approved creator into a static site."
    )

    @OptionGroup var content: ContentOptions
    @Option(help: "A theme name under themes/ or a path to a theme folder.")
    var theme: String = "default"
    @Option(help: "Where the site is written.")
    var out: String = "site"
    @OptionGroup var store: StoreOptions

    func run() async throws {
        do {
            // Nothing, not even an empty database, is created for a wrong --content.
            if let problem = content.folder.missingFolderProblem() { throw ContentErrors([problem]) }
            let location = try store.location()
            let options = SiteBuilder.Options(
                content: content.folder, themeFolder: Theme.resolve(theme), output: URL(fileURLWithPath: out),
                store: try await location.openStore(), media: location.media, cacheFolder: URL(fileURLWithPath: location.cacheFolder), log: progress)
            let summary = try await SiteBuilder(options: options).build()
            progress(summary.description)
        } catch {
            throw fail(error)
        }
    }
}

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the content folder and report every problem, changing nothing."
    )

    @OptionGroup var content: ContentOptions
    /// Accepted like on every command (API.md); checking content needs no store.
    @OptionGroup var store: StoreOptions

    func run() async throws {
        do {
            let (catalog, bundles) = try ContentImporter.validate(content.folder)
            progress("\(bundles.count) creators, \(catalog.categories.count) categories, \(catalog.cities.count) cities: no problems found.")
        } catch {
            throw fail(error)
        }
    }
}
