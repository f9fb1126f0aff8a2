import ArgumentParser

/// The `haat` command line: a thin layer that parses arguments and calls the libraries.
@main
struct Haat: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "haat",
        abstract: "Haat: a local creators' marketplace — static site generator and lead API.",
        subcommands: [BuildCommand.self, NewCommand.self, ApproveCommand.self, ServeCommand.self, CheckCommand.self, AdminCommand.self]
    )
}
