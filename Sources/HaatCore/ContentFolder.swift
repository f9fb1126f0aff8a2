import Foundation

/// A content folder on disk: the three configuration files and `creators/<slug>/`
/// bundles. Reading only; validation lives in `CatalogParser` and `CreatorParser`.
public struct ContentFolder: Sendable {
    public let root: URL

    public init(path: String) {
        root = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    public var creatorsFolder: URL { root.appendingPathComponent("creators", isDirectory: true) }

    /// Paths in diagnostics are relative to the current folder when possible, as a
    /// user typed them (`content/creators/x/index.md`).
    public func displayPath(_ url: URL) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        let path = url.standardizedFileURL.path
        return path.hasPrefix(cwd) ? String(path.dropFirst(cwd.count)) : path
    }

    /// A diagnostic when the folder itself does not exist (a wrong `--content`).
    public func missingFolderProblem() -> ContentDiagnostic? {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue { return nil }
        return ContentDiagnostic(path: displayPath(root), line: 1, message: "no such content folder: create it or pass --content DIR")
    }

    public func loadCatalog() -> Result<Catalog, ContentErrors> {
        if let problem = missingFolderProblem() { return .failure(ContentErrors([problem])) }
        var missing: [ContentDiagnostic] = []
        func read(_ name: String) -> (path: String, text: String) {
            let url = root.appendingPathComponent(name)
            let path = displayPath(url)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                missing.append(ContentDiagnostic(path: path, line: 1, message: "missing: every content folder needs \(name)"))
                return (path, "")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                missing.append(ContentDiagnostic(path: path, line: 1, message: "not UTF-8 text"))
                return (path, "")
            }
            return (path, text)
        }
        let words = FileManager.default.fileExists(atPath: root.appendingPathComponent("search-words.yml").path) ? read("search-words.yml") : nil
        let sources = CatalogParser.Sources(site: read("site.yml"), categories: read("categories.yml"), cities: read("cities.yml"), searchWords: words)
        if !missing.isEmpty { return .failure(ContentErrors(missing)) }
        return CatalogParser.parse(sources)
    }

    /// Changes whenever `site.yml`, `categories.yml` or `cities.yml` does: what was
    /// validated against one catalog must be validated again against another.
    public func catalogFingerprint() -> String {
        var bytes = Data()
        for name in ["site.yml", "categories.yml", "cities.yml"] {
            bytes.append(FileManager.default.contents(atPath: root.appendingPathComponent(name).path) ?? Data())
            bytes.append(0)
        }
        return RevisionDigest.sha256(bytes)
    }

    /// One creator folder: its slug and where its `index.md` is.
    public struct BundleLocation: Sendable, Hashable {
        public let slug: Slug
        /// The folder's path (a string: URLs are slow to build by the ten thousand).
        public let folderPath: String
        public var folder: URL { URL(fileURLWithPath: folderPath, isDirectory: true) }
        public var index: URL { URL(fileURLWithPath: folderPath + "/index.md") }
    }

    /// Where creator `slug`'s bundle is (or would be).
    public func bundle(_ slug: Slug) -> BundleLocation {
        BundleLocation(slug: slug, folderPath: creatorsFolder.path + "/" + slug.rawValue)
    }

    /// Every creator folder in slug order; folders whose names are not slugs, or that
    /// lack an `index.md`, are reported.
    public func bundleLocations() -> (bundles: [BundleLocation], diagnostics: [ContentDiagnostic]) {
        let fileManager = FileManager.default
        guard let names = try? fileManager.contentsOfDirectory(atPath: creatorsFolder.path) else { return ([], []) }
        var bundles: [BundleLocation] = []
        var diagnostics: [ContentDiagnostic] = []
        let base = creatorsFolder.path + "/"
        for name in names.sorted() where !name.hasPrefix(".") {
            // The common case costs one stat: a folder with an index.md.
            let hasIndex = fileManager.fileExists(atPath: base + name + "/index.md")
            if !hasIndex {
                var isDirectory: ObjCBool = false
                guard fileManager.fileExists(atPath: base + name, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            }
            guard let slug = Slug(name) else {
                let folder = creatorsFolder.appendingPathComponent(name, isDirectory: true)
                diagnostics.append(ContentDiagnostic(path: displayPath(folder), line: 1, message: "folder name \"\(name)\" is not a valid slug: use \(Slug.rule)"))
                continue
            }
            let location = BundleLocation(slug: slug, folderPath: base + name)
            guard hasIndex else {
                diagnostics.append(ContentDiagnostic(path: displayPath(location.index), line: 1, message: "missing: every creator folder needs an index.md"))
                continue
            }
            bundles.append(location)
        }
        return (bundles, diagnostics)
    }

    /// Why a file of a bundle was not read.
    public enum FileProblem: Error, Equatable, CustomStringConvertible {
        case unreadable
        case symbolicLink
        case notARegularFile

        /// Completes "portfolio image "x.jpg" …".
        public var description: String {
            switch self {
            case .unreadable: "cannot be read"
            case .symbolicLink: "is a symbolic link: put the picture itself in the bundle"
            case .notARegularFile: "is not a regular file"
            }
        }
    }

    /// The bytes of a file in a bundle, never read through a symbolic link: a link in a
    /// bundle could publish any picture on the machine, or read any file (`/etc/passwd`)
    /// into an error message. The check is the open itself (`O_NOFOLLOW`), so a file
    /// swapped for a link after a look is refused too; a FIFO is refused, not waited on.
    public static func readBundleFile(atPath path: String) -> Result<Data, FileProblem> {
        openBundleFile(atPath: path).flatMap { file in
            guard let data = try? file.readToEnd() else { return .failure(.unreadable) }
            return .success(data ?? Data())
        }
    }

    /// A bundle's regular file opened for reading, never through a symbolic link (see
    /// `readBundleFile`), for a reader that needs only part of it (an image's header).
    public static func openBundleFile(atPath path: String) -> Result<FileHandle, FileProblem> {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(errno == ELOOP ? .symbolicLink : .unreadable) }
        let file = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .failure(.unreadable) }
        guard status.st_mode & S_IFMT == S_IFREG else { return .failure(.notARegularFile) }
        return .success(file)
    }

    /// The image files beside a bundle's `index.md`.
    public static func imageNames(in bundle: BundleLocation) -> Set<String> {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: bundle.folderPath)) ?? []
        return Set(names.filter { CreatorParser.imageExtensions.contains(($0 as NSString).pathExtension.lowercased()) })
    }
}
