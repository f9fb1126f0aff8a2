import Foundation
import HaatCore
import HaatSite
import HaatStore
import Testing
@testable import HaatServer
import HaatContent

/// A TestServer with a content folder, the real default theme and a media folder, so the
/// admin API can approve and rebuild for real; plus accounts of every role.
extension TestServer {
    static var themeFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("themes/default")
    }

    static let catalog: [String: String] = [
        "site.yml": """
            title: Haat Test
            base_url: https://haat.example
            api_url: /api/v1
            language: en
            free_contacts: 1
            plans:
              - {id: month, name: "One month", amount_paise: 9900, period_days: 30}
            """,
        "categories.yml": "cakes: {name: Cakes & Bakes, description: Custom cakes, icon: cake}\n",
        "cities.yml": "pune: {name: Pune, state: Maharashtra, localities: [Kothrud, Baner]}\n",
    ]

    /// A valid creator file owned by `account`, with a phone ending in `number`.
    static func creatorFile(name: String, account: String, number: Int, story: String = "We bake cakes.") -> String {
        """
        ---
        name: \(name)
        category: cakes
        city: pune
        area: Kothrud
        account: \(account)
        contact:
          phone: "+91 50000 \(String(format: "%05d", number))"
        services:
          - {title: Birthday cake, price_from: 800}
        ---
        \(story)

        """
    }

    var contentFolder: URL { folder.appendingPathComponent("content") }

    /// Writes `files` (paths under content/) and points the admin's approvals and rebuilds at them.
    func usePublishing(_ files: [String: String]) throws {
        try writeContent(Self.catalog.merging(files) { $1 })
        configuration.publishing = Publishing(content: ContentFolder(path: contentFolder.path), themeFolder: Self.themeFolder,
                                              media: MediaLibrary(path: folder.appendingPathComponent("media").path),
                                              cacheFolder: folder.appendingPathComponent("cache"))
        configuration.plans = [Plan(id: Slug("month")!, name: "One month", amount: Money(paise: 9900), periodDays: 30)]
        configuration.freeContacts = 1
    }

    func writeContent(_ files: [String: String]) throws {
        for (path, text) in files {
            let url = contentFolder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
    }

    /// Imports the content folder and approves these creators, as `haat approve` does;
    /// their owners confirmed unless `confirmingOwners` is false.
    func importAndApprove(_ slugs: [String], confirmingOwners: Bool = true) async throws {
        let publishing = configuration.publishing
        _ = try await ContentImporter(content: publishing.content, store: store).run()
        let approver = Approver(store: store, media: publishing.media, content: publishing.content)
        for slug in slugs {
            try await approver.approve(Slug(slug)!, by: "test")
            if confirmingOwners { _ = try await store.confirmOwner(of: Slug(slug)!, by: "test", now: Date()) }
        }
    }

    /// An admin account (made in the store, as `haat admin create-user` does) and its access token.
    func adminToken(_ api: Client, email: String = "root@example.com") async throws -> String {
        let password = "an admin password"
        _ = try await store.createAccount(email: EmailAddress(email)!, name: "Root Admin", role: .admin,
                                          passwordHash: try await Passwords(cost: 4, yieldsToRequests: false).hash(password))
        let login = try await api.send(.post, "auth/login", json: ["email": email, "password": password])
        return try #require(login.json["access_token"] as? String, "\(login.text)")
    }

    /// Requests a rebuild and waits (up to 30 s) for it to end; returns the build's JSON.
    func rebuild(_ api: Client, admin: String) async throws -> [String: Any] {
        let started = try await api.send(.post, "admin/rebuild", token: admin)
        #expect(started.status == .accepted, "\(started.text)")
        let id = try #require(started.json["build_id"] as? String)
        for _ in 0..<300 {
            let build = try await api.send(.get, "admin/builds/\(id)", token: admin)
            if let status = build.json["status"] as? String, status == "succeeded" || status == "failed" { return build.json }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("build \(id) did not end in 30 s")
        return [:]
    }

    /// A page of the served site: its status and HTML.
    func page(_ api: Client, _ path: String) async throws -> (status: Int, html: String) {
        try await api.client.execute(uri: path, method: .get) { response in (Int(response.status.code), String(buffer: response.body)) }
    }
}
