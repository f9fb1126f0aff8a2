import ArgumentParser
import Foundation
import HaatCore
import HaatStore
import HaatServer

/// `haat admin …`: what only the operator of a server may do.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Operator commands (admin accounts are made only here).",
        subcommands: [CreateUser.self]
    )

    struct CreateUser: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create-user", abstract: "Create an account of any role.")

        @OptionGroup var store: StoreOptions
        @Option(help: "The account's email (case-insensitive, unique).")
        var email: String
        @Option(help: "The password, 10 to 128 characters.")
        var password: String
        @Option(help: "The name shown to others.")
        var name: String
        @Option(help: "admin, creator or customer.")
        var role: String

        func validate() throws {
            guard EmailAddress(email) != nil else { throw ValidationError("--email must be an email address") }
            guard Passwords.isAcceptable(password) else {
                throw ValidationError("--password must be \(Passwords.minimumLength) to \(Passwords.maximumLength) characters")
            }
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty, name.count <= 80 else { throw ValidationError("--name must be 1 to 80 characters") }
            guard Role(rawValue: role) != nil else { throw ValidationError("--role must be admin, creator or customer") }
        }

        func run() async throws {
            do {
                let haatStore = try await store.location().openStore()
                let account = try await haatStore.createAccount(email: EmailAddress(email)!, name: name.trimmingCharacters(in: .whitespaces),
                                                                role: Role(rawValue: role)!, passwordHash: try await Passwords().hash(password))
                progress("created \(account.role.rawValue) \(account.email) (id \(account.id))")
            } catch {
                throw fail(error)
            }
        }
    }
}
