import ArgumentParser
import Foundation
import HaatBench

/// `haat-bench`: what `make bench` runs besides `haat` itself (synthetic content, the
/// image benchmark's pictures, the notification load, sign-in by code, discovery's evaluation), kept out
/// of `haat --help`, which shows what an operator uses.
@main
struct HaatBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "haat-bench",
        abstract: "Haat's benchmark helpers (used by make bench).",
        subcommands: [Generate.self, BenchNotify.self, BenchPush.self, BenchCodes.self, BenchPhotos.self, DiscoverCommand.self]
    )

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a deterministic synthetic content tree, and the same content as a Hugo site.")

        @Option(help: "How many creators.")
        var creators: Int = 1000
        @Option(help: "Where the Haat content folder is written (replaced).")
        var content: String
        @Option(help: "Where the equivalent Hugo site is written (replaced), if wanted.")
        var hugo: String?
        @Option(help: "The folder of the six shared portfolio images.")
        var images: String = "bench/images"
        @Option(help: "The folder with the Hugo configuration and layouts.")
        var hugoLayouts: String = "bench/hugo"
        @Option(help: "The Haat theme whose assets the Hugo site publishes too.")
        var theme: String = "themes/default"

        func run() async throws {
            let creators = SyntheticContent(creators: creators).generate()
            let contentURL = URL(fileURLWithPath: content)
            try? FileManager.default.removeItem(at: contentURL)
            try BenchWriters.writeHaat(creators, to: contentURL, images: URL(fileURLWithPath: images))
            if let hugo {
                try BenchWriters.writeHugo(creators, to: URL(fileURLWithPath: hugo), images: URL(fileURLWithPath: images),
                                           layouts: URL(fileURLWithPath: hugoLayouts), theme: URL(fileURLWithPath: theme))
            }
            print("wrote \(creators.count) creators to \(content)\(hugo.map { " and \($0)" } ?? "")")
        }
    }
}
