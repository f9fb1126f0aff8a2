import Foundation
import HaatCore
import HaatImages
import HaatStore
import Hummingbird
import ImageFixtures
import StoreFixtures
import Testing
@testable import HaatServer
import HaatContent

/// API.md "Creator profiles" over real HTTP against a real content folder: starting a
/// profile, saving its text with conflict detection and line-numbered errors, images
/// checked by decoding and cleaned, and nothing going live before an admin approves.
struct CreatorProfileTests {
    static let maker = "maker@example.com"

    static func bed(_ kind: StoreKind) async throws -> TestServer {
        let server = try await TestServer(kind)
        try server.usePublishing([
            "creators/cake-two/index.md": TestServer.creatorFile(name: "Cake Two", account: "other@example.com", number: 10002),
        ])
        return server
    }

    static func imageHeaders(_ type: String) -> HTTPFields { [.contentType: type] }

    /// The profile's file on disk.
    static func file(_ server: TestServer, _ slug: String, _ name: String = "index.md") -> Data? {
        FileManager.default.contents(atPath: server.contentFolder.appendingPathComponent("creators/\(slug)/\(name)").path)
    }

    @Test(arguments: StoreKind.allCases) func creatingAProfileFromTheTemplate(_ kind: StoreKind) async throws {
        let server = try await Self.bed(kind)
        _ = try await ContentImporter(content: server.configuration.publishing.content, store: server.store).run()
        try await server.run { api in
            let maker = try #require(try await api.register(Self.maker, role: "creator")["access_token"] as? String)
            let customer = try #require(try await api.register("asha@example.com")["access_token"] as? String)

            let created = try await api.send(.post, "creator/profiles", json: ["slug": "sweet-tooth", "name": "Sweet Tooth", "category": "cakes", "city": "pune"], token: maker)
            #expect(created.status == .created, "\(created.text)")
            #expect(created.json["slug"] as? String == "sweet-tooth" && created.json["status"] as? String == "pending")
            #expect(created.json["approved_sha256"] is NSNull && created.json["changed_since_approval"] as? Bool == false)
            #expect(created.json["verified"] as? Bool == false && (created.json["content_sha256"] as? String)?.count == 64)
            let text = try #require(Self.file(server, "sweet-tooth").map { String(decoding: $0, as: UTF8.self) })
            #expect(text.contains("account: \(Self.maker)") && text.contains("name: \"Sweet Tooth\""))

            let list = try await api.send(.get, "creator/profiles", token: maker)
            #expect((list.json["items"] as? [[String: Any]])?.map { $0["slug"] as? String } == ["sweet-tooth"])
            #expect(list.json["next_cursor"] is NSNull)
            // Someone else's profile (cake-two) is not listed; a customer has no profiles.
            #expect(try await api.send(.get, "creator/profiles", token: customer).status == .forbidden)

            let taken = try await api.send(.post, "creator/profiles", json: ["slug": "cake-two", "name": "Mine Now", "category": "cakes", "city": "pune"], token: maker)
            #expect(taken.status == .conflict && taken.errorCode == "conflict")
            #expect(String(decoding: Self.file(server, "cake-two") ?? Data(), as: UTF8.self).contains("other@example.com"))
            for (field, body) in [("slug", ["slug": "Bad Slug!", "name": "X Y", "category": "cakes", "city": "pune"]),
                                  ("category", ["slug": "new-one", "name": "X Y", "category": "pottery", "city": "pune"]),
                                  ("city", ["slug": "new-one", "name": "X Y", "category": "cakes", "city": "atlantis"]),
                                  ("city", ["slug": "new-one", "name": "X Y", "category": "cakes"])] {
                let refused = try await api.send(.post, "creator/profiles", json: body, token: maker)
                #expect(refused.status == .unprocessableContent && refused.errorMessage?.contains(field) == true, "\(refused.text)")
            }
            #expect(Self.file(server, "new-one") == nil)
        }
    }

    @Test(arguments: StoreKind.allCases) func savingTextWithConflictsAndLineNumberedErrors(_ kind: StoreKind) async throws {
        let server = try await Self.bed(kind)
        try await server.run { api in
            let maker = try #require(try await api.register(Self.maker, role: "creator")["access_token"] as? String)
            _ = try await api.send(.post, "creator/profiles", json: ["slug": "sweet-tooth", "name": "Sweet Tooth", "category": "cakes", "city": "pune"], token: maker)
            let source = try await api.send(.get, "creator/profiles/sweet-tooth/source", token: maker)
            #expect(source.status == .ok && source.json["status"] as? String == "pending" && (source.json["images"] as? [Any])?.isEmpty == true)
            let base = try #require(source.json["content_sha256"] as? String)
            // The form's fields, parsed on the server (the browser never parses YAML).
            let fields = try #require(source.json["profile"] as? [String: Any])
            #expect(fields["name"] as? String == "Sweet Tooth" && fields["categories"] as? [String] == ["cakes"] && fields["account"] as? String == Self.maker)
            #expect((fields["services"] as? [[String: Any]])?.first?["price_from"] as? Int == 500)
            let original = try #require(source.json["text"] as? String)
            #expect(original.data(using: .utf8) == Self.file(server, "sweet-tooth"))

            // Two mistakes on known lines: every one is reported with its line.
            let broken = TestServer.creatorFile(name: "Sweet Tooth", account: Self.maker, number: 10009)
                .replacingOccurrences(of: "category: cakes", with: "categroy: cakes")
                .replacingOccurrences(of: "price_from: 800", with: "price_from: lots")
            let invalid = try await api.send(.put, "creator/profiles/sweet-tooth/source", json: ["text": broken, "base_sha256": base], token: maker)
            #expect(invalid.status == .unprocessableContent && invalid.errorCode == "validation_failed", "\(invalid.text)")
            let details = try #require((invalid.json["error"] as? [String: Any])?["details"] as? [[String: Any]])
            let lines = Set(details.compactMap { $0["line"] as? Int })
            #expect(lines.contains(3), "categroy is on line 3: \(details)")
            #expect(lines.contains(10), "the price is on line 10: \(details)")
            #expect(details.contains { ($0["message"] as? String)?.contains("category") == true })

            // The account that manages the profile stays.
            let stolen = TestServer.creatorFile(name: "Sweet Tooth", account: "thief@example.com", number: 10009)
            let refused = try await api.send(.put, "creator/profiles/sweet-tooth/source", json: ["text": stolen, "base_sha256": base], token: maker)
            #expect(refused.status == .unprocessableContent)
            #expect(((refused.json["error"] as? [String: Any])?["details"] as? [[String: Any]])?.first?["line"] as? Int == 6, "\(refused.text)")
            #expect(Self.file(server, "sweet-tooth") == original.data(using: .utf8), "a refused save changes nothing")

            let edited = TestServer.creatorFile(name: "Sweet Tooth", account: Self.maker, number: 10009, story: "Eggless cakes, baked to order.")
            let saved = try await api.send(.put, "creator/profiles/sweet-tooth/source", json: ["text": edited, "base_sha256": base], token: maker)
            #expect(saved.status == .ok && saved.json["status"] as? String == "pending", "\(saved.text)")
            let newSHA = try #require(saved.json["content_sha256"] as? String)
            #expect(newSHA != base)
            #expect(Self.file(server, "sweet-tooth") == edited.data(using: .utf8))
            #expect(try await server.store.creator(Slug("sweet-tooth")!)?.currentSHA256 == newSHA)
            #expect(try await server.store.revision(of: Slug("sweet-tooth")!, sha256: newSHA)?.text == edited)

            // A save from a stale copy would lose the edit above: 409, and nothing changes.
            let stale = try await api.send(.put, "creator/profiles/sweet-tooth/source", json: ["text": original, "base_sha256": base], token: maker)
            #expect(stale.status == .conflict && stale.errorCode == "conflict")
            #expect(Self.file(server, "sweet-tooth") == edited.data(using: .utf8))

            let huge = String(repeating: "x", count: 300 * 1024)
            let tooLarge = try await api.send(.put, "creator/profiles/sweet-tooth/source", json: ["text": huge, "base_sha256": newSHA], token: maker)
            #expect(tooLarge.status == .contentTooLarge && tooLarge.errorCode == "payload_too_large")
            let missing = try await api.send(.put, "creator/profiles/sweet-tooth/source", json: ["text": edited], token: maker)
            #expect(missing.status == .unprocessableContent && missing.errorMessage?.contains("base_sha256") == true)

            let preview = try await api.send(.post, "creator/profiles/sweet-tooth/preview", json: ["text": edited], token: maker)
            #expect(preview.status == .ok)
            #expect((preview.json["html"] as? String)?.contains("Eggless cakes, baked to order.") == true)
            #expect((preview.json["profile"] as? [String: Any])?["story"] as? String == "Eggless cakes, baked to order.\n")
            let badPreview = try await api.send(.post, "creator/profiles/sweet-tooth/preview", json: ["text": broken], token: maker)
            #expect(badPreview.status == .unprocessableContent && ((badPreview.json["error"] as? [String: Any])?["details"] as? [Any])?.isEmpty == false)
        }
    }

    @Test(arguments: StoreKind.allCases) func uploadsAreDecodedCleanedNamedSafelyAndLimited(_ kind: StoreKind) async throws {
        let server = try await Self.bed(kind)
        try await server.run { api in
            let maker = try #require(try await api.register(Self.maker, role: "creator")["access_token"] as? String)
            _ = try await api.send(.post, "creator/profiles", json: ["slug": "sweet-tooth", "name": "Sweet Tooth", "category": "cakes", "city": "pune"], token: maker)
            let camera = ExifFixture.inserting(orientation: 6, latitude: (18, 31, 7), into: try SyntheticImage.make(width: 800, height: 600))

            let uploaded = try await api.send(.post, "creator/profiles/sweet-tooth/images?name=My%20Cake!!.JPG", bytes: camera, token: maker,
                                              headers: Self.imageHeaders("image/jpeg"))
            #expect(uploaded.status == .created, "\(uploaded.text)")
            #expect(uploaded.json["name"] as? String == "my-cake.jpg")
            #expect(uploaded.json["width"] as? Int == 600 && uploaded.json["height"] as? Int == 800, "turned upright")
            let stored = try #require(Self.file(server, "sweet-tooth", "my-cake.jpg"))
            #expect(uploaded.json["bytes"] as? Int == stored.count)
            #expect(stored.range(of: Data("Exif".utf8)) == nil && stored.range(of: ExifFixture.latitudeBytes) == nil, "GPS stripped")

            // The same name again never replaces a file: it gets a number.
            let again = try await api.send(.post, "creator/profiles/sweet-tooth/images?name=my-cake.jpg", bytes: camera, token: maker, headers: Self.imageHeaders("image/jpeg"))
            #expect(again.json["name"] as? String == "my-cake-2.jpg")

            let png = try SyntheticImage.make(width: 40, height: 30, format: .png)
            for (type, body, why) in [("text/plain", camera, "wrong type"), ("image/png", camera, "a JPEG sent as PNG"),
                                      ("image/jpeg", png, "a PNG sent as JPEG"), ("image/jpeg", camera.prefix(camera.count / 2), "truncated"),
                                      ("image/webp", Data("RIFF....WEBPVP8 nothing".utf8), "not an image")] {
                let refused = try await api.send(.post, "creator/profiles/sweet-tooth/images?name=x.jpg", bytes: Data(body), token: maker, headers: Self.imageHeaders(type))
                #expect(refused.status == .unprocessableContent && refused.errorCode == "validation_failed", "\(why): \(refused.text)")
            }
            let oversized = try await api.send(.post, "creator/profiles/sweet-tooth/images?name=big.jpg", bytes: Data(count: 8 * 1024 * 1024 + 1),
                                               token: maker, headers: Self.imageHeaders("image/jpeg"))
            #expect(oversized.status == .contentTooLarge && oversized.errorCode == "payload_too_large")
            #expect(try await api.send(.get, "creator/profiles/sweet-tooth/source", token: maker).json["images"] as? [[String: Any]] != nil)
            let listed = try await api.send(.get, "creator/profiles/sweet-tooth/source", token: maker).json["images"] as? [[String: Any]]
            #expect(listed?.map { $0["name"] as? String } == ["my-cake-2.jpg", "my-cake.jpg"])

            let thumbnail = try await api.send(.get, "creator/profiles/sweet-tooth/images/my-cake.jpg", token: maker)
            #expect(thumbnail.status == .ok && thumbnail.headers[.contentType] == "image/jpeg")

            // A referenced image cannot go; an unreferenced one can.
            let source = try await api.send(.get, "creator/profiles/sweet-tooth/source", token: maker)
            let text = try #require(source.json["text"] as? String)
                .replacingOccurrences(of: "# portfolio:\n#   - image: photo-1.jpg\n#     caption: What the photo shows", with: "portfolio:\n  - image: my-cake.jpg\n    caption: A birthday cake")
            #expect(text.contains("image: my-cake.jpg"))
            let saved = try await api.send(.put, "creator/profiles/sweet-tooth/source", json: ["text": text, "base_sha256": source.json["content_sha256"] as Any], token: maker)
            #expect(saved.status == .ok, "\(saved.text)")
            // The admin's queue shows the new picture, from the revision as recorded.
            let admin = try await server.adminToken(api)
            let diff = try await api.send(.get, "admin/creators/sweet-tooth/diff", token: admin)
            #expect(diff.json["pictures"] as? [[String: String]] == [["name": "my-cake.jpg", "change": "added"]], "\(diff.text)")
            let picture = try await api.send(.get, "admin/creators/sweet-tooth/images/my-cake.jpg", token: admin)
            #expect(picture.status == .ok && picture.headers[.contentType] == "image/jpeg" && !picture.text.isEmpty)
            #expect(try await api.send(.get, "admin/creators/sweet-tooth/images/my-cake-2.jpg", token: admin).status == .notFound, "not in the revision")
            #expect(try await api.send(.get, "admin/creators/sweet-tooth/images/my-cake.jpg", token: maker).status == .forbidden)
            let inUse = try await api.send(.delete, "creator/profiles/sweet-tooth/images/my-cake.jpg", token: maker)
            #expect(inUse.status == .conflict && inUse.errorCode == "conflict")
            #expect(Self.file(server, "sweet-tooth", "my-cake.jpg") != nil)
            #expect(try await api.send(.delete, "creator/profiles/sweet-tooth/images/my-cake-2.jpg", token: maker).status == .noContent)
            #expect(Self.file(server, "sweet-tooth", "my-cake-2.jpg") == nil)
            #expect(try await api.send(.delete, "creator/profiles/sweet-tooth/images/nothing.jpg", token: maker).status == .notFound)
            #expect(try await api.send(.delete, "creator/profiles/sweet-tooth/images/..%2Findex.md", token: maker).status == .notFound)
            #expect(Self.file(server, "sweet-tooth") != nil)

            // At most 30 images a profile.
            let small = try SyntheticImage.make(width: 32, height: 24)
            for number in 2...30 {
                try small.write(to: server.contentFolder.appendingPathComponent("creators/sweet-tooth/filler-\(number).jpg"))
            }
            let tooMany = try await api.send(.post, "creator/profiles/sweet-tooth/images?name=one-more.jpg", bytes: small, token: maker, headers: Self.imageHeaders("image/jpeg"))
            #expect(tooMany.status == .unprocessableContent && tooMany.errorMessage?.contains("30") == true, "\(tooMany.text)")
        }
    }

    /// A name that is a path, starts with a dot or hides a control character is refused,
    /// not quietly stored under another name (`../evil.jpg` was stored as `evil.jpg`).
    @Test(arguments: StoreKind.allCases) func uploadNamesThatArePathsOrHideCharactersAreRefused(_ kind: StoreKind) async throws {
        let server = try await Self.bed(kind)
        try await server.run { api in
            let maker = try #require(try await api.register(Self.maker, role: "creator")["access_token"] as? String)
            _ = try await api.send(.post, "creator/profiles", json: ["slug": "sweet-tooth", "name": "Sweet Tooth", "category": "cakes", "city": "pune"], token: maker)
            let photo = try SyntheticImage.make(width: 64, height: 48)
            let folder = server.contentFolder.appendingPathComponent("creators/sweet-tooth")
            let creators = server.contentFolder.appendingPathComponent("creators")
            let before = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            let around = try FileManager.default.contentsOfDirectory(atPath: creators.path).sorted()
            for name in ["../evil.jpg", "..%2Fevil.jpg", "sub/evil.jpg", "..%5Cevil.jpg", "evil%5Cx.jpg", ".hidden.jpg", ".jpg",
                         "evil%0A.jpg", "evil%0D%0A.jpg", "evil%09.jpg", "evil%7F.jpg", "evil%C2%85.jpg", "%2Fetc%2Fevil.jpg"] {
                let refused = try await api.send(.post, "creator/profiles/sweet-tooth/images?name=\(name)", bytes: photo, token: maker,
                                                 headers: Self.imageHeaders("image/jpeg"))
                #expect(refused.status == .unprocessableContent && refused.errorCode == "validation_failed", "\(name): \(refused.text)")
                #expect(refused.errorMessage?.hasPrefix("name ") == true, "\(name): \(refused.text)")
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == before, "nothing written in the bundle")
            #expect(try FileManager.default.contentsOfDirectory(atPath: creators.path).sorted() == around, "nor beside it")
            #expect(!FileManager.default.fileExists(atPath: server.contentFolder.appendingPathComponent("evil.jpg").path))
            // Other odd characters are still only tidied.
            let tidied = try await api.send(.post, "creator/profiles/sweet-tooth/images?name=Cake%20..%20one.jpg", bytes: photo, token: maker,
                                            headers: Self.imageHeaders("image/jpeg"))
            #expect(tidied.status == .created && tidied.json["name"] as? String == "cake-one.jpg", "\(tidied.text)")
        }
    }

    @Test(arguments: StoreKind.allCases) func anotherCreatorsProfileIsNotFoundOnEveryRoute(_ kind: StoreKind) async throws {
        let server = try await Self.bed(kind)
        _ = try await ContentImporter(content: server.configuration.publishing.content, store: server.store).run()
        try SyntheticImage.make(width: 64, height: 48).write(to: server.contentFolder.appendingPathComponent("creators/cake-two/photo.jpg"))
        try await server.run { api in
            let maker = try #require(try await api.register(Self.maker, role: "creator")["access_token"] as? String)
            let before = Self.file(server, "cake-two")
            let image = try SyntheticImage.make(width: 64, height: 48)
            let calls: [(HTTPRequest.Method, String, [String: Any]?, Data?)] = [
                (.get, "creator/profiles/cake-two/source", nil, nil),
                (.put, "creator/profiles/cake-two/source", ["text": TestServer.creatorFile(name: "Mine", account: Self.maker, number: 10001), "base_sha256": "x"], nil),
                (.post, "creator/profiles/cake-two/preview", ["text": "---\nname: x\n---\n"], nil),
                (.post, "creator/profiles/cake-two/images?name=a.jpg", nil, image),
                (.get, "creator/profiles/cake-two/images/photo.jpg", nil, nil),
                (.delete, "creator/profiles/cake-two/images/photo.jpg", nil, nil),
                (.get, "creator/profiles/nobody/source", nil, nil),
            ]
            for (method, path, json, bytes) in calls {
                let reply = try await api.send(method, path, json: json, bytes: bytes, token: maker,
                                               headers: bytes == nil ? [:] : Self.imageHeaders("image/jpeg"))
                #expect(reply.status == .notFound && reply.errorCode == "not_found", "\(method) \(path): \(reply.text)")
            }
            #expect(Self.file(server, "cake-two") == before)
            #expect(Self.file(server, "cake-two", "photo.jpg") != nil && Self.file(server, "cake-two", "a.jpg") == nil)
        }
    }

    @Test(arguments: StoreKind.allCases) func anEditGoesLiveOnlyWhenApprovedWithResponsiveImages(_ kind: StoreKind) async throws {
        let server = try await Self.bed(kind)
        try await server.run { api in
            let admin = try await server.adminToken(api)
            let maker = try #require(try await api.register(Self.maker, role: "creator")["access_token"] as? String)
            _ = try await api.send(.post, "creator/profiles", json: ["slug": "sweet-tooth", "name": "Sweet Tooth", "category": "cakes", "city": "pune"], token: maker)
            let photo = try SyntheticImage.make(width: 1600, height: 1200)
            let uploaded = try await api.send(.post, "creator/profiles/sweet-tooth/images?name=cake.jpg", bytes: photo, token: maker, headers: Self.imageHeaders("image/jpeg"))
            #expect(uploaded.status == .created)
            let base = try #require(try await api.send(.get, "creator/profiles/sweet-tooth/source", token: maker).json["content_sha256"] as? String)
            var text = TestServer.creatorFile(name: "Sweet Tooth", account: Self.maker, number: 10009, story: "Cakes from our kitchen.")
            text = text.replacingOccurrences(of: "---\nCakes", with: "portfolio:\n  - image: cake.jpg\n---\nCakes")
            #expect(try await api.send(.put, "creator/profiles/sweet-tooth/source", json: ["text": text, "base_sha256": base], token: maker).status == .ok)

            #expect(try await server.rebuild(api, admin: admin)["status"] as? String == "succeeded")
            #expect(try await server.page(api, "/creators/sweet-tooth/").status == 404, "not approved yet")
            let approved = try await api.send(.post, "admin/creators/sweet-tooth/approve", token: admin)
            #expect(approved.status == .ok, "\(approved.text)")
            #expect(try await server.rebuild(api, admin: admin)["status"] as? String == "succeeded")
            let page = try await server.page(api, "/creators/sweet-tooth/")
            #expect(page.status == 200 && page.html.contains("Cakes from our kitchen."))
            let stem = try #require(page.html.firstMatch(of: /src="(\/img\/[0-9a-f]{20})-480\.jpg" srcset="[^"]+-480\.jpg 480w, [^"]+-960\.jpg 960w"/)).1
            #expect(try await server.page(api, "\(stem)-960.webp").status == 200)
            let status = try await api.send(.get, "creator/profiles", token: maker)
            #expect((status.json["items"] as? [[String: Any]])?.first?["status"] as? String == "approved")
        }
    }
}
