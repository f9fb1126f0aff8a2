import Foundation
import HaatImages
import StoreFixtures
import Testing
@testable import HaatServer

/// The editor's image routes never read through a symbolic link in a bundle: a link could
/// show its owner any picture on the machine, or any file's size and header.
struct ProfileImageLinkTests {
    @Test func aLinkedImageIsNeitherListedNorServed() async throws {
        let server = try await TestServer(.sqlite)
        try server.usePublishing([
            "creators/cake-one/index.md": TestServer.creatorFile(name: "Cake One", account: "maker@example.com", number: 10001),
        ])
        let outside = server.folder.appendingPathComponent("outside.jpg")
        try Data(try SyntheticImage.make(width: 64, height: 48)).write(to: outside)
        let bundle = server.contentFolder.appendingPathComponent("creators/cake-one")
        try Data(try SyntheticImage.make(width: 64, height: 48)).write(to: bundle.appendingPathComponent("real.jpg"))
        try FileManager.default.createSymbolicLink(atPath: bundle.appendingPathComponent("linked.jpg").path, withDestinationPath: outside.path)
        try await server.importAndApprove(["cake-one"])
        try await server.run { api in
            let maker = try #require(try await api.register("maker@example.com", role: "creator")["access_token"] as? String)
            let images = try await api.send(.get, "creator/profiles/cake-one/source", token: maker).json["images"] as? [[String: Any]]
            #expect(images?.compactMap { $0["name"] as? String } == ["real.jpg"])
            #expect(try await api.send(.get, "creator/profiles/cake-one/images/real.jpg", token: maker).status == .ok)
            #expect(try await api.send(.get, "creator/profiles/cake-one/images/linked.jpg", token: maker).status == .notFound)
        }
    }
}
