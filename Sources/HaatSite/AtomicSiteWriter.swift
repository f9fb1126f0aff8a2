import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a whole site into a staging folder beside the output and swaps it in only
/// when everything succeeded, so a failed build leaves the previous site byte-for-byte
/// as it was. A file whose bytes did not change is hard-linked from the previous site
/// instead of written, which keeps its mtime (CDN syncs and `rsync` skip it).
///
/// `write` may be called from several threads at once.
final class AtomicSiteWriter: @unchecked Sendable {
    let output: URL
    let staging: URL
    private let lock = NSLock()
    private var createdFolders: Set<String> = []
    private var writtenPaths: Set<String> = []
    private(set) var written = 0
    private(set) var unchanged = 0

    init(output: URL) throws {
        self.output = output.standardizedFileURL
        let parent = self.output.deletingLastPathComponent()
        staging = parent.appendingPathComponent(".\(self.output.lastPathComponent).staging-\(ProcessInfo.processInfo.processIdentifier)")
        Self.recoverInterruptedSwap(output: self.output)
        try? FileManager.default.removeItem(at: staging)
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
    }

    /// Writes `data` at `relativePath` (e.g. `creators/x/index.html`).
    func write(_ data: Data, to relativePath: String) throws {
        let target = staging.appendingPathComponent(relativePath)
        let previous = output.appendingPathComponent(relativePath)
        try ensureFolder(target.deletingLastPathComponent())
        let isUnchanged = Self.hasContents(previous, equalTo: data) && link(previous.path, target.path) == 0
        if !isUnchanged {
            try Self.writeFile(data, to: target.path)
        }
        lock.withLock {
            writtenPaths.insert(relativePath)
            if isUnchanged { unchanged += 1 } else { written += 1 }
        }
    }

    /// Copies (hard-links where possible) a file whose name already fingerprints its
    /// content, such as a media image.
    func copyFingerprinted(from source: URL, to relativePath: String) throws {
        let target = staging.appendingPathComponent(relativePath)
        let previous = output.appendingPathComponent(relativePath)
        try ensureFolder(target.deletingLastPathComponent())
        if FileManager.default.fileExists(atPath: target.path) { return }
        var isUnchanged = false
        if FileManager.default.fileExists(atPath: previous.path), link(previous.path, target.path) == 0 {
            isUnchanged = true
        } else if link(source.path, target.path) != 0 {
            try FileManager.default.copyItem(at: source, to: target)
        }
        lock.withLock {
            writtenPaths.insert(relativePath)
            if isUnchanged { unchanged += 1 } else { written += 1 }
        }
    }

    /// Files of the previous site that this build did not produce.
    func stalePaths() -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: output.path) else { return [] }
        var stale: [String] = []
        while let path = enumerator.nextObject() as? String {
            if enumerator.fileAttributes?[.type] as? FileAttributeType == .typeRegular, !writtenPaths.contains(path) {
                stale.append(path)
            }
        }
        return stale.sorted()
    }

    /// Swaps the staging folder in. The old site is moved aside first and deleted last;
    /// if the process dies between the two renames, the next build puts it back.
    func commit() throws {
        let aside = Self.asidePath(for: output)
        try? FileManager.default.removeItem(at: aside)
        let hadOutput = FileManager.default.fileExists(atPath: output.path)
        if hadOutput, rename(output.path, aside.path) != 0 {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: output.path])
        }
        if rename(staging.path, output.path) != 0 {
            if hadOutput { _ = rename(aside.path, output.path) }
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: output.path])
        }
        try? FileManager.default.removeItem(at: aside)
    }

    func abort() {
        try? FileManager.default.removeItem(at: staging)
    }

    /// Creates `folder` and any missing parents, remembering what exists. Plain
    /// `mkdir` calls: a large site has a folder per page.
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

    /// Writes a new file in the staging folder. No fsync per file: the staging folder is
    /// only swapped in once complete, and a crash before that discards it.
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

    private static func hasContents(_ url: URL, equalTo data: Data) -> Bool {
        var status = stat()
        guard stat(url.path, &status) == 0, Int(status.st_size) == data.count else { return false }
        return FileManager.default.contents(atPath: url.path) == data
    }

    static func posixError(_ path: String) -> any Error {
        CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSUnderlyingErrorKey: POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)])
    }

    static func asidePath(for output: URL) -> URL {
        output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).previous")
    }

    private static func recoverInterruptedSwap(output: URL) {
        let aside = asidePath(for: output)
        if !FileManager.default.fileExists(atPath: output.path), FileManager.default.fileExists(atPath: aside.path) {
            _ = rename(aside.path, output.path)
        }
    }
}
