import Foundation
import Hummingbird
import HummingbirdTesting
import HaatStore
import StoreFixtures
import Testing
@testable import HaatServer

/// `haat serve` serves the built site: pages, fingerprinted assets with long cache
/// headers, the site's 404 page, and the API's health check — over real HTTP.
struct StaticSiteTests {
    static func withSite(_ test: (URL) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("haat-serve-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = [
            "index.html": "<h1>Home</h1>",
            "creators/sugar-bloom/index.html": "<h1>Sugar Bloom</h1>",
            "assets/app.0123456789.css": "body{}",
            "search/manifest.0123456789.json": "{}",
            "sitemap.xml": "<urlset/>",
            "404.html": "<h1>Not here</h1>",
        ]
        for (path, text) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try await test(folder)
    }

    @Test(arguments: StoreKind.allCases) func servesPagesAssetsHealthAndNotFound(_ kind: StoreKind) async throws {
        try await Self.withSite { folder in
            let database = try await kind.open()
            let app = await buildApplication(configuration: ServerConfiguration(host: "127.0.0.1", port: 0, siteFolder: folder.path,
                                                                                jwtSecret: String(repeating: "s", count: 40)), store: database.store)
            try await app.test(.live) { client in
                try await client.execute(uri: "/api/v1/health", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
                    #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                }
                try await client.execute(uri: "/creators/sugar-bloom/", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body) == "<h1>Sugar Bloom</h1>")
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                    #expect(response.headers[.cacheControl] == "public, max-age=0, must-revalidate")
                }
                try await client.execute(uri: "/assets/app.0123456789.css", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType]?.hasPrefix("text/css") == true)
                    #expect(response.headers[.cacheControl] == "public, max-age=31536000, immutable")
                }
                try await client.execute(uri: "/search/manifest.0123456789.json", method: .get) { response in
                    #expect(response.headers[.cacheControl] == "public, max-age=31536000, immutable")
                }
                try await client.execute(uri: "/sitemap.xml", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.cacheControl] == "public, max-age=0, must-revalidate")
                }
                try await client.execute(uri: "/creators/nobody/", method: .get) { response in
                    #expect(response.status == .notFound)
                    #expect(String(buffer: response.body) == "<h1>Not here</h1>")
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                }
                try await client.execute(uri: "/api/v1/nothing", method: .get) { response in
                    #expect(response.status == .notFound)
                    #expect(String(buffer: response.body).contains(#""code":"not_found""#))
                }
            }
            try await database.close()
        }
    }
}
