import Foundation
import Testing

/// The command line is a contract too (API.md): exit statuses, `path:line: message`
/// errors, the build's summary line. These run the real `haat` executable.
struct CommandLineTests {
    /// `haat` sits beside the test bundle in SwiftPM's build folder.
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("haat")
    }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    struct Run {
        let status: Int32
        let output: String
        let errors: String
    }

    /// Runs `haat` in `folder` with a clean environment.
    static func haat(_ arguments: [String], in folder: URL, environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { _, path in path }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: out, as: UTF8.self), errors: String(decoding: err, as: UTF8.self))
    }

    /// A scratch folder with a copy of the default theme and the given content files.
    static func workspace(_ files: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("haat-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("themes"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("themes/default"), to: folder.appendingPathComponent("themes/default"))
        for (path, text) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return folder
    }

    static let config = [
        "content/site.yml": "title: Haat Test\nbase_url: https://haat.example\n",
        "content/categories.yml": "cakes: {name: Cakes, description: Cakes, icon: cake}\n",
        "content/cities.yml": "pune: {name: Pune, state: Maharashtra, localities: [Kothrud]}\n",
    ]

    static func creator(_ name: String, category: String = "cakes") -> String {
        "---\nname: \(name)\ncategory: \(category)\ncity: pune\naccount: a@example.com\ncontact:\n  phone: \"+91 50000 10001\"\nservices:\n  - {title: Cake, price_from: 800}\n---\nStory.\n"
    }

    @Test func buildApproveAndRebuild() throws {
        let folder = try Self.workspace(Self.config.merging(["content/creators/sugar-bloom/index.md": Self.creator("Sugar Bloom")]) { $1 })
        defer { try? FileManager.default.removeItem(at: folder) }

        let first = try Self.haat(["build"], in: folder)
        #expect(first.status == 0, "\(first.errors)")
        let summary = try #require(first.output.split(separator: "\n").last.map(String.init))
        #expect(summary.wholeMatch(of: /\d+ pages written, 0 unchanged, 0 removed in \d+\.\d\d s/) != nil, "\(summary)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("data/haat.sqlite").path), "the default store")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("site/creators/sugar-bloom/index.html").path), "not approved yet")

        let approve = try Self.haat(["approve", "sugar-bloom"], in: folder)
        #expect(approve.status == 0, "\(approve.errors)")
        #expect(try Self.haat(["build"], in: folder).status == 0)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("site/creators/sugar-bloom/index.html").path))

        let again = try Self.haat(["build"], in: folder)
        #expect(again.output.split(separator: "\n").last?.hasPrefix("0 pages written, ") == true, "\(again.output)")
    }

    @Test func badContentExitsOneWithEveryErrorAsPathLineMessage() throws {
        let folder = try Self.workspace(Self.config.merging([
            "content/creators/sugar-bloom/index.md": Self.creator("Sugar Bloom", category: "cake"),
            "content/creators/cocoa-lane/index.md": Self.creator("Cocoa Lane").replacingOccurrences(of: "city: pune", with: "citty: pune"),
        ]) { $1 })
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try Self.haat(["build", "--out", "public"], in: folder)
        #expect(run.status == 1)
        let lines = run.errors.split(separator: "\n").map(String.init)
        #expect(lines.contains("content/creators/sugar-bloom/index.md:3: unknown category \"cake\" (did you mean \"cakes\"?): use a key of categories.yml"))
        #expect(lines.contains("content/creators/cocoa-lane/index.md:4: unknown key \"citty\" in front matter (did you mean \"city\"?)"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("public").path), "nothing is written")
    }

    @Test func approveNeedsSlugsOrAll() throws {
        let folder = try Self.workspace(Self.config)
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try Self.haat(["approve"], in: folder)
        #expect(run.status != 0)
        #expect(run.errors.contains("name the creators to approve, or pass --all"))
        let unknown = try Self.haat(["approve", "nobody"], in: folder)
        #expect(unknown.status == 1)
        #expect(unknown.errors.contains("no creator \"nobody\""))
    }

    @Test func dbOptionAndEnvironmentChooseTheStore() throws {
        let folder = try Self.workspace(Self.config.merging(["content/creators/sugar-bloom/index.md": Self.creator("Sugar Bloom")]) { $1 })
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try Self.haat(["approve", "--all", "--db", "elsewhere/x.sqlite"], in: folder).status == 0)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("elsewhere/x.sqlite").path))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("elsewhere/cache").path), "the cache beside the database")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("data").path))
    }
}

extension CommandLineTests {
    @Test func aMissingContentFolderIsReportedAndCreatesNothing() throws {
        let folder = try Self.workspace([:])
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try Self.haat(["build", "--content", "nowhere"], in: folder)
        #expect(run.status == 1)
        #expect(run.errors.contains("nowhere:1: no such content folder: create it or pass --content DIR"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("data").path))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("site").path))
    }
}

extension CommandLineTests {
    @Test func adminCreateUserMakesAccountsOfAnyRoleOnce() throws {
        let folder = try Self.workspace([:])
        defer { try? FileManager.default.removeItem(at: folder) }
        let arguments = ["admin", "create-user", "--email", "Root@Example.com", "--password", "a long admin password", "--name", "Root", "--role", "admin"]
        let first = try Self.haat(arguments, in: folder)
        #expect(first.status == 0, "\(first.errors)")
        #expect(first.output.contains("created admin root@example.com"))
        let again = try Self.haat(arguments, in: folder)
        #expect(again.status == 1 && again.errors.contains("already exists"))
        let badRole = try Self.haat(["admin", "create-user", "--email", "x@example.com", "--password", "a long password", "--name", "X", "--role", "owner"], in: folder)
        #expect(badRole.status != 0 && badRole.errors.contains("--role must be admin, creator or customer"))
    }

    @Test func serveRefusesToStartWithoutASecretOutsideDemoMode() throws {
        let folder = try Self.workspace(Self.config)
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try Self.haat(["serve", "--port", "0"], in: folder)
        #expect(run.status == 1)
        #expect(run.errors.contains("HAAT_JWT_SECRET must be set"))
    }

    @Test func serveRefusesAGuessableSecretEvenInDemoMode() throws {
        let folder = try Self.workspace(Self.config)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Razorpay half set up: a server that let the secret through stops there, rather
        // than starting and never exiting.
        var environment = ["HAAT_JWT_SECRET": String(repeating: "a", count: 40), "RAZORPAY_KEY_ID": "rzp_test_Abc"]
        let run = try Self.haat(["serve", "--port", "0"], in: folder, environment: environment)
        #expect(run.status != 0)
        #expect(run.errors.contains("HAAT_JWT_SECRET is one character repeated"), "\(run.errors)")
        #expect(!run.output.contains("Serving"))
        environment["HAAT_JWT_SECRET"] = String(repeating: "0123456789abcdef", count: 3)
        let demo = try Self.haat(["serve", "--port", "0", "--demo"], in: folder, environment: environment)
        #expect(demo.status != 0 && demo.errors.contains("HAAT_JWT_SECRET is 16 characters repeated"), "\(demo.errors)")
        environment["HAAT_JWT_SECRET"] = "too short"
        let short = try Self.haat(["serve", "--port", "0"], in: folder, environment: environment)
        #expect(short.status != 0 && short.errors.contains("HAAT_JWT_SECRET is 9 bytes long; it must be at least 32"), "\(short.errors)")
    }

    @Test func serveNamesEachMissingRazorpaySecretOutsideDemoMode() throws {
        let folder = try Self.workspace(Self.config)
        defer { try? FileManager.default.removeItem(at: folder) }
        let secret = "a secret long enough for the tests " + UUID().uuidString
        let run = try Self.haat(["serve", "--port", "0"], in: folder, environment: ["HAAT_JWT_SECRET": secret, "RAZORPAY_KEY_ID": "rzp_test_Abc"])
        #expect(run.status == 1)
        #expect(run.errors.contains("RAZORPAY_KEY_SECRET, RAZORPAY_WEBHOOK_SECRET are not set"), "\(run.errors)")
        let badBase = try Self.haat(["serve", "--port", "0"], in: folder, environment: [
            "HAAT_JWT_SECRET": secret, "RAZORPAY_KEY_ID": "rzp_test_Abc", "RAZORPAY_KEY_SECRET": "k", "RAZORPAY_WEBHOOK_SECRET": "w",
            "RAZORPAY_API_BASE": "api.razorpay.com",
        ])
        #expect(badBase.status == 1 && badBase.errors.contains("RAZORPAY_API_BASE must be an http(s) URL"), "\(badBase.errors)")
    }

    @Test func serveNamesWhatAnSMSProviderIsMissing() throws {
        let folder = try Self.workspace(Self.config)
        defer { try? FileManager.default.removeItem(at: folder) }
        let msg91 = try Self.haat(["serve", "--port", "0", "--demo"], in: folder, environment: ["HAAT_SMS_PROVIDER": "msg91", "MSG91_AUTH_KEY": "k"])
        #expect(msg91.status == 1 && msg91.errors.contains("MSG91_TEMPLATE_ID is not set, which HAAT_SMS_PROVIDER=msg91 needs"), "\(msg91.errors)")
        let twilio = try Self.haat(["serve", "--port", "0", "--demo"], in: folder, environment: ["HAAT_SMS_PROVIDER": "twilio"])
        #expect(twilio.status == 1 && twilio.errors.contains("TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM are not set"), "\(twilio.errors)")
        let other = try Self.haat(["serve", "--port", "0", "--demo"], in: folder, environment: ["HAAT_SMS_PROVIDER": "pigeon"])
        #expect(other.status == 1 && other.errors.contains("HAAT_SMS_PROVIDER must be msg91 or twilio, not \"pigeon\""), "\(other.errors)")
        let base = try Self.haat(["serve", "--port", "0", "--demo"], in: folder, environment: [
            "HAAT_SMS_PROVIDER": "twilio", "TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "t", "TWILIO_FROM": "+14155550100", "TWILIO_API_BASE": "twilio",
        ])
        #expect(base.status == 1 && base.errors.contains("TWILIO_API_BASE must be an http(s) URL"), "\(base.errors)")
        // Outside demo mode, verification (on by default) needs a provider; "off" needs none.
        var production = ServeProcess.environment()
        production["HAAT_PHONE_VERIFICATION"] = nil
        let unsent = try Self.haat(["serve", "--port", "0"], in: folder, environment: production)
        #expect(unsent.status == 1 && unsent.errors.contains("HAAT_PHONE_VERIFICATION=required (the default) needs an SMS provider"), "\(unsent.errors)")
        production["HAAT_PHONE_VERIFICATION"] = "maybe"
        let unknown = try Self.haat(["serve", "--port", "0"], in: folder, environment: production)
        #expect(unknown.status == 1 && unknown.errors.contains("HAAT_PHONE_VERIFICATION must be required or off, not \"maybe\""), "\(unknown.errors)")
    }

    @Test func serveRefusesATrustedProxyListThatIsNotAddresses() throws {
        let folder = try Self.workspace(Self.config)
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try Self.haat(["serve", "--port", "0", "--demo"], in: folder,
                                environment: ["HAAT_TRUSTED_PROXIES": "127.0.0.1, my-proxy"])
        #expect(run.status == 1)
        #expect(run.errors.contains("HAAT_TRUSTED_PROXIES: \"my-proxy\" is not an IP address or a CIDR range"), "\(run.errors)")
    }

    @Test func serveRefusesConnectionSettingsThatAreNotNumbersOrOrigins() throws {
        let folder = try Self.workspace(Self.config)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, value, message) in [
            ("HAAT_ALLOWED_ORIGINS", "https://ok.example, partner.example", "HAAT_ALLOWED_ORIGINS: \"partner.example\" is not an origin"),
            ("HAAT_HEADER_TIMEOUT", "ten", "HAAT_HEADER_TIMEOUT must be a number of seconds above 0"),
            ("HAAT_BODY_TIMEOUT", "0", "HAAT_BODY_TIMEOUT must be a number of seconds above 0"),
            ("HAAT_IDLE_TIMEOUT", "-5", "HAAT_IDLE_TIMEOUT must be a number of seconds above 0"),
            ("HAAT_BODY_MIN_RATE", "1.5", "HAAT_BODY_MIN_RATE must be a whole number above 0"),
            ("HAAT_MAX_CONNECTIONS", "lots", "HAAT_MAX_CONNECTIONS must be a whole number above 0"),
        ] {
            // Razorpay half set up: a server that let the setting through stops there.
            let run = try Self.haat(["serve", "--port", "0"], in: folder, environment: [
                name: value, "HAAT_JWT_SECRET": "a secret long enough for the tests " + UUID().uuidString, "RAZORPAY_KEY_ID": "rzp_test_Abc",
            ])
            #expect(run.status == 1 && run.errors.contains(message), "\(name): \(run.errors)")
        }
    }

    @Test func newScaffoldsAProfileThatBuildsAndRefusesWhatIsWrong() throws {
        let folder = try Self.workspace(Self.config)
        defer { try? FileManager.default.removeItem(at: folder) }
        let made = try Self.haat(["new", "sugar-bloom", "--name", "Sugar \"Bloom\"", "--category", "cakes", "--city", "pune",
                                  "--account", "owner@example.com"], in: folder)
        #expect(made.status == 0, "\(made.errors)")
        #expect(made.output.contains("created content/creators/sugar-bloom/index.md"))
        let text = try String(contentsOf: folder.appendingPathComponent("content/creators/sugar-bloom/index.md"), encoding: .utf8)
        #expect(text.contains("account: owner@example.com") && text.contains("name: \"Sugar \\\"Bloom\\\"\""))
        // The scaffold is valid content: the whole tree checks, and it builds (pending, so no page yet).
        #expect(try Self.haat(["check"], in: folder).status == 0)
        let built = try Self.haat(["build"], in: folder)
        #expect(built.status == 0 && built.output.contains("1 new revisions pending approval"), "\(built.output)\(built.errors)")

        let again = try Self.haat(["new", "sugar-bloom", "--name", "X", "--category", "cakes", "--city", "pune", "--account", "o@example.com"], in: folder)
        #expect(again.status != 0 && again.errors.contains("already exists"))
        let badCategory = try Self.haat(["new", "other-one", "--name", "X", "--category", "bakes", "--city", "pune", "--account", "o@example.com"], in: folder)
        #expect(badCategory.status != 0 && badCategory.errors.contains("--category bakes is not in categories.yml; one of: cakes"), "\(badCategory.errors)")
        let badSlug = try Self.haat(["new", "Not A Slug", "--name", "X", "--category", "cakes", "--city", "pune", "--account", "o@example.com"], in: folder)
        #expect(badSlug.status != 0 && badSlug.errors.contains("a slug is 2 to 64"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("content/creators/other-one").path))
    }

    /// Every command on a PostgreSQL database named by --db (the test cluster of make test).
    @Test func theCommandsWorkOnPostgreSQL() throws {
        guard let cluster = ProcessInfo.processInfo.environment["HAAT_TEST_POSTGRES"] else {
            Issue.record("HAAT_TEST_POSTGRES is not set: run the tests with make test, or with scripts/with-postgres.sh swift test")
            return
        }
        let name = "haat_cli_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        let psql = Process()
        psql.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        psql.arguments = [cluster, "-qc", "CREATE DATABASE \(name)"]
        try psql.run()
        psql.waitUntilExit()
        #expect(psql.terminationStatus == 0)
        var url = try #require(URLComponents(string: cluster))
        url.path = "/" + name
        let database = try #require(url.string)

        let folder = try Self.workspace(Self.config.merging(["content/creators/sugar-bloom/index.md": Self.creator("Sugar Bloom")]) { $1 })
        defer { try? FileManager.default.removeItem(at: folder) }
        let media = ["HAAT_MEDIA": folder.appendingPathComponent("media").path]
        let approved = try Self.haat(["approve", "--all", "--db", database], in: folder, environment: media)
        #expect(approved.status == 0 && approved.output.contains("1 creator approved"), "\(approved.output)\(approved.errors)")
        let built = try Self.haat(["build", "--db", database], in: folder, environment: media)
        #expect(built.status == 0, "\(built.errors)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("site/creators/sugar-bloom/index.html").path))
        let admin = try Self.haat(["admin", "create-user", "--db", database, "--email", "root@example.com", "--password", "an admin password",
                                   "--name", "Root", "--role", "admin"], in: folder, environment: media)
        #expect(admin.status == 0, "\(admin.errors)")

        // Without a shared media folder, or with a wrong password: a clear refusal, never a crash.
        let noMedia = try Self.haat(["build", "--db", database], in: folder)
        #expect(noMedia.status != 0 && noMedia.errors.contains("HAAT_MEDIA is required"), "\(noMedia.errors)")
        url.password = "wrong"
        let refused = try Self.haat(["build", "--db", try #require(url.string)], in: folder, environment: media)
        #expect(refused.status != 0 && refused.errors.contains("refused"), "\(refused.errors)")
        #expect(!refused.errors.contains("wrong"), "the password is never printed")
    }

    @Test func anOnlineBackupHoldsEverythingAndRefusesWhatItCannotCopy() throws {
        let folder = try Self.workspace(Self.config.merging(["content/creators/sugar-bloom/index.md": Self.creator("Sugar Bloom")]) { $1 })
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try Self.haat(["approve", "--all"], in: folder).status == 0)
        let backup = try Self.haat(["admin", "backup", "--to", "backups/haat.sqlite"], in: folder)
        #expect(backup.status == 0 && backup.output.contains("backed up data/haat.sqlite to backups/haat.sqlite"), "\(backup.output)\(backup.errors)")
        // The copy is a working database with the approval in it: a build from it publishes the creator.
        try FileManager.default.removeItem(at: folder.appendingPathComponent("data/haat.sqlite"))
        let built = try Self.haat(["build", "--db", "backups/haat.sqlite", "--out", "from-backup"], in: folder,
                                  environment: ["HAAT_MEDIA": folder.appendingPathComponent("data/media").path])
        #expect(built.status == 0, "\(built.errors)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("from-backup/creators/sugar-bloom/index.html").path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("backups").path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)

        let missing = try Self.haat(["admin", "backup", "--db", "nowhere.sqlite", "--to", "x.sqlite"], in: folder)
        #expect(missing.status != 0 && missing.errors.contains("no database at nowhere.sqlite"), "\(missing.errors)")
        let postgres = try Self.haat(["admin", "backup", "--db", "postgres://u@localhost/haat", "--to", "x.sqlite"], in: folder,
                                     environment: ["HAAT_MEDIA": "/tmp"])
        #expect(postgres.status != 0 && postgres.errors.contains("pg_dump"), "\(postgres.errors)")
    }
}
