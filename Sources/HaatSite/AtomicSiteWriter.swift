import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Produces a site without ever leaving it half-written: every new or changed file is
/// first written into a staging folder beside the output; only when the whole build has
/// succeeded does `commit` move them into place (each with an atomic rename) and then
/// remove the files this build no longer produces. A build that fails before `commit`
/// leaves the previous site byte-for-byte as it was.
///
/// A file whose bytes did not change is not touched at all, so its mtime is kept (CDN
/// syncs and `rsync` skip it), and an unchanged page need not even be rendered: the
/// builder `keep`s it on the strength of its input fingerprint.
///
/// `write`, `keep` and `copyFingerprinted` may be called from several threads at once.
final class AtomicSiteWriter: @unchecked Sendable {
    let output: URL
    /// `output`'s path with a trailing slash, for cheap path building.
    private let outputPath: String
    let staging: URL
    private let lock = NSLock()
    private var staged: [(path: String, file: String)] = []
    private var produced: [String: BuildCache.ManifestEntry] = [:]
    private var createdFolders: Set<String> = []
    private var unchangedCount = 0
    private var stagedCount = 0
    /// No previous site: files are staged at their final paths and the whole staging
    /// folder is renamed into place at once.
    private let isFresh: Bool

    init(output: URL) throws {
        self.output = output.standardizedFileURL
        outputPath = self.output.path + "/"
        let parent = self.output.deletingLastPathComponent()
        let prefix = ".\(self.output.lastPathComponent).staging-"
        // A staging folder left by a build that was killed: its files never went live.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? [] where name.hasPrefix(prefix) {
            try? FileManager.default.removeItem(at: parent.appendingPathComponent(name))
        }
        staging = parent.appendingPathComponent("\(prefix)\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        isFresh = !FileManager.default.fileExists(atPath: self.output.path)
    }

    var written: Int { lock.withLock { stagedCount } }
    var unchanged: Int { lock.withLock { unchangedCount } }

    /// Marks a file of the previous site as part of this one, unchanged.
    func keep(_ path: String, entry: BuildCache.ManifestEntry) {
        lock.withLock {
            produced[path] = entry
            unchangedCount += 1
        }
    }

    /// The top level of the site produced so far: file names, and folder names with a
    /// trailing `/` (what the `_headers` file has a rule for).
    func topLevelEntries() -> [String] {
        let paths = lock.withLock { Array(produced.keys) }
        return Array(Set(paths.map { path in path.firstIndex(of: "/").map { String(path[...$0]) } ?? path })).sorted()
    }

    /// The stamp of a file of the previous site, if it exists.
    func existingStamp(_ path: String) -> (size: Int, modified: Int)? {
        fileStamp(outputPath + path)
    }

    /// Produces `path` with `data`; `fingerprint` describes the inputs it came from.
    func write(_ data: Data, to path: String, fingerprint: String = "") throws {
        let previous = outputPath + path
        if let stamp = fileStamp(previous), stamp.size == data.count, FileManager.default.contents(atPath: previous) == data {
            keep(path, entry: BuildCache.ManifestEntry(fingerprint: fingerprint, size: stamp.size, modified: stamp.modified))
            return
        }
        let file = try stage(path, fingerprint: fingerprint, size: data.count)
        try Self.writeFile(data, to: file)
    }

    /// Produces `path` from a file whose name already fingerprints its content (a media
    /// image): kept when present, else hard-linked (or copied) into staging.
    func copyFingerprinted(from source: URL, to path: String) throws {
        if lock.withLock({ produced[path] != nil }) { return }
        if let stamp = existingStamp(path) {
            keep(path, entry: BuildCache.ManifestEntry(fingerprint: "", size: stamp.size, modified: stamp.modified))
            return
        }
        let size = fileStamp(source.path)?.size ?? 0
        let file = try stage(path, fingerprint: "", size: size)
        if link(source.path, file) != 0 {
            try FileManager.default.copyItem(atPath: source.path, toPath: file)
        }
    }

    private func stage(_ path: String, fingerprint: String, size: Int) throws -> String {
        let file: String = lock.withLock {
            stagedCount += 1
            let file = isFresh ? staging.path + "/" + path : staging.appendingPathComponent(String(stagedCount)).path
            staged.append((path, file))
            produced[path] = BuildCache.ManifestEntry(fingerprint: fingerprint, size: size, modified: 0)
            return file
        }
        if isFresh { try ensureFolder(URL(fileURLWithPath: file).deletingLastPathComponent()) }
        return file
    }

    /// Moves the staged files into place, then removes what this build did not produce
    /// (`previous` lists the last build's files; without it the folder is walked).
    /// Returns the removed paths and the manifest of the new site.
    func commit(previous: [String: BuildCache.ManifestEntry]?) throws -> (removed: [String], manifest: [String: BuildCache.ManifestEntry]) {
        var manifest = produced
        if isFresh {
            guard rename(staging.path, output.path) == 0 else { throw Self.posixError(output.path) }
            for (path, entry) in manifest {
                if let stamp = fileStamp(outputPath + path) {
                    manifest[path] = BuildCache.ManifestEntry(fingerprint: entry.fingerprint, size: stamp.size, modified: stamp.modified)
                }
            }
            return ([], manifest)
        }
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        for (path, file) in staged {
            let target = output.appendingPathComponent(path)
            try ensureFolder(target.deletingLastPathComponent())
            guard rename(file, target.path) == 0 else { throw Self.posixError(target.path) }
            if let stamp = fileStamp(target.path), let entry = manifest[path] {
                manifest[path] = BuildCache.ManifestEntry(fingerprint: entry.fingerprint, size: stamp.size, modified: stamp.modified)
            }
        }
        let previousPaths = previous.map { Array($0.keys) } ?? existingFiles()
        var removed: [String] = []
        for path in previousPaths where manifest[path] == nil {
            let url = output.appendingPathComponent(path)
            if unlink(url.path) == 0 {
                removed.append(path)
                removeEmptyFolders(from: url.deletingLastPathComponent())
            }
        }
        try? FileManager.default.removeItem(at: staging)
        return (removed.sorted(), manifest)
    }

    func abort() {
        try? FileManager.default.removeItem(at: staging)
    }

    private func existingFiles() -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: output.path) else { return [] }
        var files: [String] = []
        while let path = enumerator.nextObject() as? String {
            if enumerator.fileAttributes?[.type] as? FileAttributeType == .typeRegular { files.append(path) }
        }
        return files
    }

    private func removeEmptyFolders(from folder: URL) {
        var current = folder.standardizedFileURL
        while current.path.count > output.path.count, rmdir(current.path) == 0 {
            current = current.deletingLastPathComponent().standardizedFileURL
        }
    }

    /// Creates `folder` and any missing parents. Plain `mkdir` calls: a site has a
    /// folder per page.
    private func ensureFolder(_ folder: URL) throws {
        let path = folder.path
        if lock.withLock({ createdFolders.contains(path) }) { return }
        if mkdir(path, 0o755) != 0 {
            switch errno {
            case EEXIST: break
            case ENOENT:
                try ensureFolder(folder.deletingLastPathComponent())
                if mkdir(path, 0o755) != 0, errno != EEXIST { throw Self.posixError(path) }
            default: throw Self.posixError(path)
            }
        }
        lock.withLock { _ = createdFolders.insert(path) }
    }

    /// Writes a whole file. No fsync per file: staged files only go live through
    /// `commit`, and a crash before that discards them.
    static func writeFile(_ data: Data, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw posixError(path) }
        defer { close(descriptor) }
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw posixError(path)
                }
                offset += written
            }
        }
    }

    static func posixError(_ path: String) -> any Error {
        CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSUnderlyingErrorKey: POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)])
    }
}
