import ArgumentParser
import Foundation
import HaatCore
import HaatStore
import HaatServer
import HaatSQLite

/// `haat admin …`: what only the operator of a server may do.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Operator commands (admin accounts are made only here).",
        subcommands: [CreateUser.self, Backup.self]
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
                                                                role: Role(rawValue: role)!, passwordHash: try await Passwords().hash(password),
                                                                // The operator vouches for the email: the account owns its profiles.
                                                                emailVouched: true)
                progress("created \(account.role.rawValue) \(account.email) (id \(account.id))")
            } catch {
                throw fail(error)
            }
        }
    }

    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy the SQLite database while it is in use (online backup), to a file that appears only when complete.")

        @OptionGroup var store: StoreOptions
        @Option(help: "Where the copy goes (replaced if it exists).")
        var to: String

        func run() async throws {
            do {
                let location = try store.location()
                guard !location.isPostgres else {
                    throw ValidationError("haat admin backup copies a SQLite file; back up PostgreSQL with pg_dump or your provider's snapshots")
                }
                guard FileManager.default.fileExists(atPath: location.database) else {
                    throw ValidationError("no database at \(location.database): pass --db or set HAAT_DB")
                }
                let started = Date()
                try SQLiteStore(path: location.database).backup(to: to)
                let bytes = (try? FileManager.default.attributesOfItem(atPath: to))?[.size] as? NSNumber
                print("backed up \(location.database) to \(to) (\(bytes.map { "\($0.intValue / 1024) KiB, " } ?? "")\(String(format: "%.2f", Date().timeIntervalSince(started))) s)")
            } catch let error as ValidationError {
                throw error
            } catch {
                throw fail(error)
            }
        }
    }
}
