import Foundation
import HaatCore
import HaatImages
import HaatSite
import HaatStore
import HaatSQLite
import HaatContent

/// Hugo-style test sites: a whole little content tree written from `path → text` pairs
/// into a fresh temporary folder, with its own SQLite store, built with the real
/// default theme. Nothing is shared between tests.
final class TestSite: @unchecked Sendable {
    let root: URL
    let store: SQLiteStore
    let location: StoreLocation

    /// The three configuration files most tests share; tests that care override them.
    static let config: [String: String] = [
        "content/site.yml": """
            title: Haat Test
            base_url: https://haat.example
            api_url: /api/v1
            language: en
            free_contacts: 2
            plans:
              - {id: month, name: "One month", amount_paise: 9900, period_days: 30}
            """,
        "content/categories.yml": """
            cakes: {name: Cakes & Bakes, description: Custom cakes, icon: cake}
            mehendi: {name: Mehendi, description: Bridal mehendi, icon: henna}
            """,
        "content/cities.yml": """
            pune: {name: Pune, state: Maharashtra, localities: [Kothrud, Baner]}
            nashik: {name: Nashik, state: Maharashtra, localities: [Gangapur]}
            """,
    ]

    /// A real JPEG of the given size (the build decodes it); `seed` makes the bytes distinct.
    static func jpeg(width: Int = 800, height: Int = 600, seed: UInt8 = 0) -> Data {
        try! SyntheticImage.make(width: width, height: height, shade: Int(seed))
    }

    /// A valid creator file; tests pass the fields they care about.
    static func creator(name: String, category: String = "cakes", city: String = "pune", area: String? = "Kothrud",
                        phone: String = "+91 50000 10001", account: String = "owner@example.com",
                        services: String = "  - {title: Birthday cake, price_from: 800}",
                        portfolio: [String] = [], tags: [String] = [], languages: [String] = [], story: String = "We bake cakes.") -> String {
        var text = "---\nname: \(name)\ncategory: \(category)\ncity: \(city)\n"
        if let area { text += "area: \(area)\n" }
        if !languages.isEmpty { text += "languages: [\(languages.joined(separator: ", "))]\n" }
        text += "account: \(account)\ncontact:\n  phone: \"\(phone)\"\nservices:\n\(services)\n"
        if !portfolio.isEmpty { text += "portfolio:\n" + portfolio.map { "  - image: \($0)\n" }.joined() }
        if !tags.isEmpty { text += "tags: [\(tags.joined(separator: ", "))]\n" }
        return text + "---\n\(story)\n"
    }

    init(_ files: [String: String], images: [String: Data] = [:]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("haat-test-\(UUID().uuidString)", isDirectory: true)
        location = try StoreLocation(database: root.appendingPathComponent("data/haat.sqlite").path, media: nil, environment: [:])
        store = try SQLiteStore(path: location.database)
        try write(files)
        for (path, data) in images { try write(data, to: path) }
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    var content: ContentFolder { ContentFolder(path: root.appendingPathComponent("content").path) }
    var siteFolder: URL { root.appendingPathComponent("site") }
    var importCache: ImportCache { ImportCache(folder: URL(fileURLWithPath: location.cacheFolder), content: content) }

    static var themeFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("themes/default")
    }

    func write(_ files: [String: String]) throws {
        for (path, text) in files { try write(Data(text.utf8), to: path) }
    }

    func write(_ data: Data, to path: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    func remove(_ path: String) throws {
        try FileManager.default.removeItem(at: root.appendingPathComponent(path))
    }

    @discardableResult
    func build(themeFolder: URL = TestSite.themeFolder, log: @escaping @Sendable (String) -> Void = { _ in },
               beforeWrite: (@Sendable (String) throws -> Void)? = nil) async throws -> SiteBuilder.Summary {
        let options = SiteBuilder.Options(content: content, themeFolder: themeFolder, output: siteFolder,
                                          store: store, media: location.media, cacheFolder: URL(fileURLWithPath: location.cacheFolder),
                                          log: log, beforeWrite: beforeWrite)
        return try await SiteBuilder(options: options).build()
    }

    /// Imports the content and approves the named creators' current revisions.
    func approve(_ slugs: String...) async throws {
        _ = try await ContentImporter(content: content, store: store, cache: importCache).run()
        let approver = Approver(store: store, media: location.media, content: content)
        for slug in slugs { try await approver.approve(Slug(slug)!, by: "test") }
    }

    /// Imports, approves everything pending and builds.
    @discardableResult
    func approveAllAndBuild() async throws -> SiteBuilder.Summary {
        _ = try await ContentImporter(content: content, store: store, cache: importCache).run()
        let approver = Approver(store: store, media: location.media, content: content)
        for creator in try await store.creators(status: .pending) { try await approver.approve(creator.slug, by: "test") }
        return try await build()
    }

    /// A file of the built site, by its path under `site/` (`creators/x/index.html`).
    func page(_ path: String) -> String? {
        FileManager.default.contents(atPath: siteFolder.appendingPathComponent(path).path).map { String(decoding: $0, as: UTF8.self) }
    }

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: siteFolder.appendingPathComponent(path).path) }

    /// Every file under `site/`, relative path → (bytes, modification time).
    func snapshot() -> [String: (Data, Date)] {
        var result: [String: (Data, Date)] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: siteFolder.path) else { return [:] }
        while let path = enumerator.nextObject() as? String {
            let url = siteFolder.appendingPathComponent(path)
            guard enumerator.fileAttributes?[.type] as? FileAttributeType == .typeRegular,
                  let data = FileManager.default.contents(atPath: url.path),
                  let date = enumerator.fileAttributes?[.modificationDate] as? Date else { continue }
            result[path] = (data, date)
        }
        return result
    }
}
