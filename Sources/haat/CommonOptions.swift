import ArgumentParser
import Foundation
import HaatCore
import HaatStore

/// `--db` and `--content`, shared by every command that touches the store or content.
struct StoreOptions: ParsableArguments {
    @Option(help: "A SQLite file path or a postgres:// URL (default: $HAAT_DB, else data/haat.sqlite).")
    var db: String?

    func location() throws -> StoreLocation {
        try StoreLocation(database: db, media: nil)
    }
}

struct ContentOptions: ParsableArguments {
    @Option(help: "The content folder.")
    var content: String = "content"

    var folder: ContentFolder { ContentFolder(path: content) }
}

/// Prints a failure the way API.md promises (`path:line: message` for content) and
/// exits with status 1.
func fail(_ error: any Error) -> ExitCode {
    if let errors = error as? ContentErrors {
        for diagnostic in errors.diagnostics { printError(diagnostic.description) }
        printError("\(errors.diagnostics.count) problem\(errors.diagnostics.count == 1 ? "" : "s") found; nothing was changed.")
    } else {
        printError("error: \(error)")
    }
    return ExitCode.failure
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Progress goes to standard output, flushed at once so a watcher sees it live.
@Sendable func progress(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
