import Foundation
import HaatStore
import HaatCore

/// The API's channel into content (DESIGN.md "Revisions, approval and media"): a creator
/// starts a profile from the template, saves edited text and adds or removes portfolio
/// images. Every change is validated exactly as `haat build` validates, recorded in the
/// store as a pending revision and written back into `content/creators/<slug>/`, so the
/// folder and the store never disagree; nothing goes live before an admin approves it.
///
/// An actor: one change at a time, so a file is never written by two requests at once.
public actor ProfileEditor {
    public nonisolated let content: ContentFolder
    public nonisolated let store: any HaatStore
    /// How many profiles one account may start (a small team rarely needs more than one).
    public static let maximumProfilesPerAccount = 10

    public init(content: ContentFolder, store: any HaatStore) {
        self.content = content
        self.store = store
    }

    /// An image file in a profile's folder, whether or not the text uses it yet.
    public struct BundleImage: Sendable, Equatable {
        public let name: String
        public let bytes: Int
        public let info: ImageInfo
        public var width: Int { info.width }
        public var height: Int { info.height }
    }

    public enum Failure: Error, Equatable {
        /// No such profile, or not the caller's: the two are never told apart.
        case notFound
        case conflict(String)
        /// A field of the request is wrong; the message names it.
        case invalid(String)
        /// The text does not validate: every problem with its line.
        case invalidText([ContentDiagnostic])
    }

    // MARK: Reading

    /// The profile `slug` if `owner` manages it.
    public func profile(_ slug: String, ownedBy owner: EmailAddress) async throws -> CreatorRecord {
        // A profile whose ownership is not yet confirmed is as unknown as another's.
        guard let slug = Slug(slug), let record = try await store.creator(slug), record.account == owner.value, record.ownerConfirmed else {
            throw Failure.notFound
        }
        return record
    }

    /// The current text of a profile (what the store has: the folder's file is written from it).
    public func text(of record: CreatorRecord) async throws -> String {
        guard let revision = try await store.revision(of: record.slug, sha256: record.currentSHA256) else {
            throw StoreError.revisionNotFound(record.slug, record.currentSHA256)
        }
        return revision.text
    }

    /// The image files in a profile's folder, by name: each one's size on disk and the
    /// dimensions from its header (its pixels are not read).
    public nonisolated func images(of slug: Slug) -> [BundleImage] {
        let location = content.bundle(slug)
        return ContentFolder.imageNames(in: location).sorted().compactMap { name in
            // Never through a symbolic link: a link could show any picture on the machine.
            guard case .success(let file) = ContentFolder.openBundleFile(atPath: location.folderPath + "/" + name) else { return nil }
            guard let header = try? file.read(upToCount: ImageInfo.headerBytes), let info = ImageInfo.read(header),
                  let size = try? file.seekToEnd() else { return nil }
            return BundleImage(name: name, bytes: Int(size), info: info)
        }
    }

    /// The bytes of one image of a profile, if it exists.
    public nonisolated func imageData(_ name: String, of slug: Slug) -> Data? {
        guard ContentFolder.imageNames(in: content.bundle(slug)).contains(name) else { return nil }
        return try? ContentFolder.readBundleFile(atPath: content.bundle(slug).folderPath + "/" + name).get()
    }

    // MARK: Changing

    /// Starts a profile from `ProfileTemplate`, owned by `owner`, pending review.
    public func create(slug text: String, name: String, category: String, city: String, owner: EmailAddress) async throws -> CreatorRecord {
        guard let slug = Slug(text) else { throw Failure.invalid("slug must be \(Slug.rule)") }
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (2...100).contains(name.count) else { throw Failure.invalid("name must be 2 to 100 characters") }
        let catalog = try loadCatalog()
        guard let categorySlug = Slug(category), catalog.category(categorySlug) != nil else {
            throw Failure.invalid("category must be one of: \(catalog.categories.map(\.slug.rawValue).joined(separator: ", "))")
        }
        guard let citySlug = Slug(city), catalog.city(citySlug) != nil else {
            throw Failure.invalid("city must be one of: \(catalog.cities.map(\.slug.rawValue).joined(separator: ", "))")
        }
        guard try await store.creators(ownedBy: owner.value).count < Self.maximumProfilesPerAccount else {
            throw Failure.invalid("slug: an account may manage at most \(Self.maximumProfilesPerAccount) profiles")
        }
        let location = content.bundle(slug)
        guard try await store.creator(slug) == nil else { throw Failure.conflict("The slug \"\(slug)\" is taken: choose another.") }
        // Creating the folder claims the slug: two requests for one slug cannot both win.
        do {
            try FileManager.default.createDirectory(at: content.creatorsFolder, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: location.folder, withIntermediateDirectories: false)
        } catch {
            throw Failure.conflict("The slug \"\(slug)\" is taken: choose another.")
        }
        let text = ProfileTemplate.text(name: name, category: categorySlug, city: citySlug, account: owner)
        do {
            let bundle = try validated(text, at: location, catalog: catalog)
            try Self.write(text, to: location)
            _ = try await store.recordRevision(bundle.revision)
        } catch {
            try? FileManager.default.removeItem(at: location.folder)
            throw error
        }
        // The account started this profile itself: it is its owner from the start.
        return try await store.confirmOwner(of: slug, by: owner.value, now: Date()).creator
    }

    /// Saves `text` as the profile's new `index.md`, provided the current revision is
    /// still `baseSHA256`. The account that manages a profile cannot be changed here.
    public func save(_ text: String, base baseSHA256: String, to record: CreatorRecord) async throws -> CreatorRecord {
        guard baseSHA256 == record.currentSHA256 else {
            throw Failure.conflict("The profile changed since you opened it (another edit was saved): reload it and make your change again.")
        }
        let location = content.bundle(record.slug)
        let bundle = try validated(text, at: location, catalog: try loadCatalog())
        guard bundle.creator.account.value == record.account else {
            let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("account:") }.map { $0 + 1 } ?? 1
            throw Failure.invalidText([ContentDiagnostic(path: displayPath(location), line: line,
                                                         message: "account cannot be changed: it must stay \(record.account)")])
        }
        // The file is put in place only once the store has accepted the edit, and only
        // then: a crash in between leaves the old file, which the next import ignores.
        let staged = try Self.stage(text, in: location)
        do {
            _ = try await store.recordEdit(bundle.revision, replacing: baseSHA256)
        } catch StoreError.conflict(let message) {
            try? FileManager.default.removeItem(at: staged)
            throw Failure.conflict(message)
        } catch {
            try? FileManager.default.removeItem(at: staged)
            throw error
        }
        try Self.commit(staged, to: location)
        guard let saved = try await store.creator(record.slug) else { throw StoreError.creatorNotFound(record.slug) }
        return saved
    }

    /// Adds an (already checked and cleaned) image to a profile's folder under a safe,
    /// unused name derived from `requestedName`; the text must then list it to use it. A
    /// name that is a path or hides characters is refused (`ImageName.refusal`), not rewritten.
    public func addImage(_ data: Data, info: ImageInfo, requestedName: String, to record: CreatorRecord) throws -> BundleImage {
        if let refusal = ImageName.refusal(of: requestedName) { throw Failure.invalid(refusal) }
        let location = content.bundle(record.slug)
        let existing = ContentFolder.imageNames(in: location)
        guard existing.count < CreatorParser.maxImages else {
            throw Failure.invalid("image: a profile may have at most \(CreatorParser.maxImages) images; delete one first")
        }
        let name = ImageName.unused(ImageName.sanitized(requestedName, format: info.format), among: existing)
        let file = location.folder.appendingPathComponent(name)
        try data.write(to: file, options: .atomic)
        return BundleImage(name: name, bytes: data.count, info: info)
    }

    /// Removes an image the current text does not use.
    public func deleteImage(_ name: String, of record: CreatorRecord) async throws {
        let location = content.bundle(record.slug)
        guard ContentFolder.imageNames(in: location).contains(name) else { throw Failure.notFound }
        guard let revision = try await store.revision(of: record.slug, sha256: record.currentSHA256) else {
            throw StoreError.revisionNotFound(record.slug, record.currentSHA256)
        }
        if revision.images.contains(where: { $0.name == name }) {
            throw Failure.conflict("The profile's text still shows \(name) in its portfolio: remove it from the text and save first.")
        }
        try FileManager.default.removeItem(at: location.folder.appendingPathComponent(name))
    }

    // MARK: Helpers

    private func loadCatalog() throws -> Catalog {
        switch content.loadCatalog() {
        case .success(let catalog): return catalog
        case .failure(let errors): throw errors
        }
    }

    private func validated(_ text: String, at location: ContentFolder.BundleLocation, catalog: Catalog) throws -> ContentImporter.ValidBundle {
        let parser = CreatorParser(catalog: catalog)
        switch ContentImporter.validate(text: text, at: location, path: displayPath(location), parser: parser, source: "editor") {
        case .success(let bundle): return bundle
        case .failure(let errors): throw Failure.invalidText(errors.diagnostics)
        }
    }

    private nonisolated func displayPath(_ location: ContentFolder.BundleLocation) -> String {
        content.displayPath(location.index)
    }

    private static func write(_ text: String, to location: ContentFolder.BundleLocation) throws {
        try commit(try stage(text, in: location), to: location)
    }

    /// The new text beside `index.md` under a name no import reads.
    private static func stage(_ text: String, in location: ContentFolder.BundleLocation) throws -> URL {
        let staged = location.folder.appendingPathComponent(".index.md.\(UUID().uuidString).tmp")
        try Data(text.utf8).write(to: staged)
        return staged
    }

    private static func commit(_ staged: URL, to location: ContentFolder.BundleLocation) throws {
        guard rename(staged.path, location.index.path) == 0 else {
            try? FileManager.default.removeItem(at: staged)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: location.index.path])
        }
    }
}

/// Safe file names for uploaded images: lowercase letters, digits and `-`, with the
/// extension of the image's real format, never a path.
public enum ImageName {
    /// Why `requested` may not name an upload, naming the field; nil when it may. A path
    /// (`/`, `\`), a leading dot (`..`, hidden files) or a control character says where to
    /// put the file or hides what it is called: refused with nothing written, rather than
    /// stored under another name than the client believes (`../evil.jpg` was `evil.jpg`).
    /// Anything else is only tidied by `sanitized`.
    public static func refusal(of requested: String) -> String? {
        let isPath = requested.contains("/") || requested.contains("\\")
        let hides = requested.hasPrefix(".") || requested.unicodeScalars.contains { $0.properties.generalCategory == .control }
        guard isPath || hides else { return nil }
        return "name must be a plain file name such as cake-1.jpg: no \"/\" or \"\\\", no leading \".\", no control characters"
    }

    static func sanitized(_ requested: String, format: ImageInfo.Format) -> String {
        let stem = (requested as NSString).deletingPathExtension.lowercased()
        var cleaned = ""
        for character in stem.unicodeScalars {
            let allowed = ("a"..."z").contains(character) || ("0"..."9").contains(character)
            if allowed { cleaned.unicodeScalars.append(character) } else if !cleaned.hasSuffix("-") { cleaned += "-" }
        }
        cleaned = String(cleaned.trimmingCharacters(in: CharacterSet(charactersIn: "-")).prefix(60))
        return (cleaned.isEmpty ? "image" : cleaned) + "." + format.fileExtension
    }

    /// `name`, or `name-2`, `name-3`… when taken: an upload never replaces a file that a
    /// pending revision may use.
    static func unused(_ name: String, among taken: Set<String>) -> String {
        guard taken.contains(name) else { return name }
        let stem = (name as NSString).deletingPathExtension, ext = (name as NSString).pathExtension
        var number = 2
        while taken.contains("\(stem)-\(number).\(ext)") { number += 1 }
        return "\(stem)-\(number).\(ext)"
    }
}
