import Foundation
import HaatCore
import StoreFixtures
import Testing
@testable import HaatServer

/// One creator account can give two of its profiles the very same text (and so the same
/// content hash) through the API alone. Both go live; the admin's rebuild neither traps
/// nor mixes them up.
struct IdenticalProfilesTests {
    static let maker = "maker@example.com"

    @Test(arguments: StoreKind.allCases) func twoProfilesSavedWithOneTextBothGoLive(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        try server.usePublishing([:])
        try await server.run { api in
            let admin = try await server.adminToken(api)
            let maker = try #require(try await api.register(Self.maker, role: "creator")["access_token"] as? String)
            let text = TestServer.creatorFile(name: "Aaji's Oven", account: Self.maker, number: 10042, story: "Cakes from Aaji's kitchen.")
            var hashes: Set<String> = []
            for slug in ["aajis-oven", "aajis-oven-copy"] {
                let created = try await api.send(.post, "creator/profiles", json: ["slug": slug, "name": "Aaji's Oven", "category": "cakes", "city": "pune"], token: maker)
                #expect(created.status == .created, "\(created.text)")
                let base = try #require(created.json["content_sha256"] as? String)
                let saved = try await api.send(.put, "creator/profiles/\(slug)/source", json: ["text": text, "base_sha256": base], token: maker)
                #expect(saved.status == .ok, "\(saved.text)")
                hashes.insert(try #require(saved.json["content_sha256"] as? String))
                let approved = try await api.send(.post, "admin/creators/\(slug)/approve", token: admin)
                #expect(approved.status == .ok, "\(approved.text)")
            }
            #expect(hashes.count == 1, "one text, one content hash")

            #expect(try await server.rebuild(api, admin: admin)["status"] as? String == "succeeded")
            for slug in ["aajis-oven", "aajis-oven-copy"] {
                let page = try await server.page(api, "/creators/\(slug)/")
                #expect(page.status == 200 && page.html.contains("rel=\"canonical\" href=\"https://haat.example/creators/\(slug)/\""), "\(slug)")
            }
            // The server is still there to answer.
            #expect(try await api.send(.get, "health").status == .ok)
        }
    }
}
