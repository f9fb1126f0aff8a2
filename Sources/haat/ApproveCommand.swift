import ArgumentParser
import Foundation
import HaatCore
import HaatStore
import HaatContent

struct ApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Import changed bundles, then approve the current revisions of the named creators (or --all)."
    )

    @OptionGroup var content: ContentOptions
    @OptionGroup var store: StoreOptions
    @Flag(help: "Approve every creator with a revision awaiting review (for demos and first imports).")
    var all = false
    @Argument(help: "Creator slugs to approve.")
    var slugs: [String] = []

    func validate() throws {
        if all == !slugs.isEmpty {
            throw ValidationError("name the creators to approve, or pass --all (not both)")
        }
        if let bad = slugs.first(where: { Slug($0) == nil }) {
            throw ValidationError("\"\(bad)\" is not a creator slug (\(Slug.rule))")
        }
    }

    func run() async throws {
        do {
            if let problem = content.folder.missingFolderProblem() { throw ContentErrors([problem]) }
            let location = try store.location()
            let haatStore = try await location.openStore()
            let report = try await ContentImporter(content: content.folder, store: haatStore,
                                                   cache: ImportCache(folder: URL(fileURLWithPath: location.cacheFolder), content: content.folder)).run()
            if !report.recorded.isEmpty { progress("Imported \(report.recorded.count) new or changed revisions.") }
            let targets: [Slug] = all
                ? try await haatStore.creators(status: .pending).map(\.slug)
                : slugs.compactMap(Slug.init)
            let approver = Approver(store: haatStore, media: location.media, content: content.folder)
            for record in try await approver.approve(targets, by: "cli") {
                progress("approved \(record.slug) (revision \(record.currentSHA256.prefix(12)))")
            }
            progress(targets.isEmpty ? "Nothing awaits approval." : "\(targets.count) creator\(targets.count == 1 ? "" : "s") approved; run haat build to publish.")
        } catch {
            throw fail(error)
        }
    }
}
