import Foundation
import Logging
import PostgresNIO
import StoreFixtures
import Testing
@testable import HaatPostgres

struct PostgresAddressTests {
    @Test func urlsBecomeConfigurations() throws {
        let address = try PostgresAddress(url: "postgres://haat:s%40cret@db.example:6543/haat?sslmode=require")
        #expect(address == (try PostgresAddress(url: "postgresql://haat:s%40cret@db.example:6543/haat?sslmode=require")))
        #expect(address.host == "db.example" && address.port == 6543 && address.username == "haat")
        #expect(address.password == "s@cret" && address.database == "haat" && address.tls == .require)
        // Local servers default to no TLS, others to TLS when offered.
        #expect(try PostgresAddress(url: "postgres://haat@localhost/haat").tls == .disable)
        #expect(try PostgresAddress(url: "postgres://haat@db.example/haat").tls == .prefer)
        #expect(try PostgresAddress(url: "postgres://haat@x/haat?host=/var/run/postgresql").host == "/var/run/postgresql")
    }

    @Test func aWrongURLSaysWhatIsMissingAndNeverShowsThePassword() {
        for (url, hint) in [("mysql://u@h/d", "not a PostgreSQL URL"), ("postgres://h/d", "names no user"),
                            ("postgres://u:pw@h", "names no database"), ("postgres://u@h/d?sslmode=maybe", "sslmode")] {
            let error = #expect(throws: PostgresAddress.AddressError.self) { try PostgresAddress(url: url) }
            #expect(error?.description.contains(hint) == true, "\(url): \(error?.description ?? "")")
            #expect(error?.description.contains(":pw@") == false)
        }
    }
}

struct PostgresDatabaseTests {
    @Test func migrationsCreateTheWholeSchema() async throws {
        let scratch = try await ScratchDatabase.make()
        let database = try await PostgresDatabase(address: try PostgresAddress(url: scratch.url))
        #expect(try await database.appliedMigrations() == PostgresSchema.migrations.map(\.name))
        var tables: Set<String> = []
        for try await name in try await database.client.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").decode(String.self) {
            tables.insert(name)
        }
        #expect(tables == ["haat_schema_migrations", "owner_confirmations", "revisions", "revision_images", "creators", "moderation_events", "accounts",
                           "refresh_tokens", "contacts", "leads", "lead_acknowledgements", "notification_tickets", "contact_attempts",
                           "subscriptions", "payment_orders", "payment_events", "reviews", "reports", "builds", "audit_log", "lead_sequences",
                           "one_time_codes", "rate_windows", "push_subscriptions", "lead_sms"])
        database.close()
        try await scratch.drop()
    }

    @Test func instancesStartingTogetherMigrateOnce() async throws {
        let scratch = try await ScratchDatabase.make()
        let address = try PostgresAddress(url: scratch.url)
        // Four instances start at the same moment: the lock makes three of them wait.
        let databases = try await withThrowingTaskGroup(of: PostgresDatabase.self) { group in
            for _ in 0..<4 { group.addTask { try await PostgresDatabase(address: address) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for database in databases {
            #expect(try await database.appliedMigrations() == PostgresSchema.migrations.map(\.name))
        }
        // And a later start changes nothing.
        let later = try await PostgresDatabase(address: address)
        #expect(try await later.appliedMigrations() == PostgresSchema.migrations.map(\.name))
        (databases + [later]).forEach { $0.close() }
        try await scratch.drop()
    }

    @Test func aRefusedConnectionSaysWhatToCheck() async throws {
        var url = try #require(URLComponents(string: try ScratchDatabase.clusterURL))
        url.password = "not-the-password"
        let error = await #expect(throws: PostgresDatabase.StartupError.self) {
            _ = try await PostgresDatabase(address: try PostgresAddress(url: url.string!))
        }
        #expect(error?.description.contains("refused") == true, "\(error?.description ?? "")")
        #expect(error?.description.contains("not-the-password") == false)
    }
}
