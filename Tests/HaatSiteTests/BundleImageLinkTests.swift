import Foundation
import HaatCore
import HaatSite
import HaatStore
import Testing

/// A portfolio image must be the bundle's own file. A symbolic link in a bundle once
/// published whatever JPEG it pointed at anywhere on the machine, and one pointing at
/// /etc/passwd was read; each is now refused on the image's line, and never read.
struct BundleImageLinkTests {
    static let text = TestSite.creator(name: "Sugar Bloom", portfolio: ["cake.jpg"])
    static let path = "content/creators/sugar-bloom"

    /// The bundle with `cake.jpg` a link to `target`; the line of `- image: cake.jpg` is 12.
    static func site(linkingTo target: (TestSite) -> String) throws -> TestSite {
        let site = try TestSite(TestSite.config.merging(["\(path)/index.md": text]) { $1 })
        try FileManager.default.createSymbolicLink(atPath: site.root.appendingPathComponent("\(path)/cake.jpg").path,
                                                   withDestinationPath: target(site))
        return site
    }

    static func expectRefused(_ site: TestSite, sourceLocation: SourceLocation = #_sourceLocation) async {
        let errors = await #expect(throws: ContentErrors.self, sourceLocation: sourceLocation) { try await site.approveAllAndBuild() }
        let index = site.content.displayPath(site.content.bundle(Slug("sugar-bloom")!).index)
        #expect(errors?.diagnostics.map(\.description) == [
            "\(index):12: portfolio image \"cake.jpg\" is a symbolic link: put the picture itself in the bundle",
        ], sourceLocation: sourceLocation)
        let recorded = try? await site.store.creator(Slug("sugar-bloom")!)
        #expect(recorded == nil, "nothing is recorded", sourceLocation: sourceLocation)
        #expect(!site.exists("index.html"), "nothing is published", sourceLocation: sourceLocation)
    }

    @Test func aLinkToAPictureOutsideTheBundleIsRefused() async throws {
        let site = try Self.site { site in
            let elsewhere = site.root.appendingPathComponent("private/holiday.jpg")
            try? FileManager.default.createDirectory(at: elsewhere.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? TestSite.jpeg(seed: 3).write(to: elsewhere)
            return elsewhere.path
        }
        await Self.expectRefused(site)
    }

    @Test func aLinkToAFileThatIsNoPictureIsRefusedUnread() async throws {
        let site = try Self.site { _ in "/etc/passwd" }
        await Self.expectRefused(site)
    }

    @Test func aLinkToAnotherPictureOfTheSameBundleIsRefusedToo() async throws {
        let site = try Self.site { site in
            try? TestSite.jpeg(seed: 4).write(to: site.root.appendingPathComponent("\(Self.path)/real.jpg"))
            return "real.jpg"
        }
        await Self.expectRefused(site)
    }

    @Test func theFilesReaderNeverFollowsALinkNorWaitsOnAPipe() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("haat-links-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("a.jpg").path
        try Data("bytes".utf8).write(to: URL(fileURLWithPath: file))
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("b.jpg").path, withDestinationPath: file)
        #expect(mkfifo(folder.appendingPathComponent("c.jpg").path, 0o600) == 0)

        #expect(ContentFolder.readBundleFile(atPath: file) == .success(Data("bytes".utf8)))
        #expect(ContentFolder.readBundleFile(atPath: folder.appendingPathComponent("b.jpg").path) == .failure(.symbolicLink))
        #expect(ContentFolder.readBundleFile(atPath: folder.appendingPathComponent("c.jpg").path) == .failure(.notARegularFile))
        #expect(ContentFolder.readBundleFile(atPath: folder.appendingPathComponent("d.jpg").path) == .failure(.unreadable))
    }
}
