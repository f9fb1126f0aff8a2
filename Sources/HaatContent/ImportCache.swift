import Foundation
import HaatStore
import HaatCore

/// Remembers, per creator bundle, the file stamps (inode, size, mtime) of its
/// `index.md` and referenced images and the revision hash they produced, so an import
/// of an unchanged tree reads and parses nothing. Valid only for the catalog (the three
/// configuration files) it was made with. Losing it only costs time.
public struct ImportCache: Sendable {
    struct Entry: Sendable, Equatable {
        let sha256: String
        let index: String
        let images: [String: String]
    }

    let file: URL

    public init(folder: URL, content: ContentFolder) {
        file = folder.appendingPathComponent("import-\(RevisionDigest.sha256(Data(content.root.path.utf8)).prefix(12)).tsv")
    }

    /// `inode:size:mtime` of a file, or nil when it cannot be read.
    static func stamp(_ path: String) -> String? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return "\(status.st_ino):\(status.st_size):\(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)"
    }

    func load(catalogFingerprint: String) -> [Slug: Entry] {
        guard let data = FileManager.default.contents(atPath: file.path) else { return [:] }
        // Split on bytes: this file has a line per creator and is read on every import.
        let bytes = [UInt8](data)
        var lines = bytes.split(separator: UInt8(ascii: "\n"))[...]
        guard let header = lines.popFirst(), String(decoding: header, as: UTF8.self) == "haat-import-v1\t\(catalogFingerprint)" else { return [:] }
        var entries: [Slug: Entry] = [:]
        entries.reserveCapacity(lines.count)
        for line in lines {
            let fields = line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false)
            guard fields.count >= 3, let slug = Slug(String(decoding: fields[0], as: UTF8.self)) else { return [:] }
            var images: [String: String] = [:]
            for field in fields.dropFirst(3) {
                let parts = field.split(separator: 0x1F, maxSplits: 1)
                guard parts.count == 2 else { return [:] }
                images[String(decoding: parts[0], as: UTF8.self)] = String(decoding: parts[1], as: UTF8.self)
            }
            entries[slug] = Entry(sha256: String(decoding: fields[1], as: UTF8.self), index: String(decoding: fields[2], as: UTF8.self), images: images)
        }
        return entries
    }

    func save(_ entries: [Slug: Entry], catalogFingerprint: String, unlessEqualTo previous: [Slug: Entry]) {
        if entries == previous, FileManager.default.fileExists(atPath: file.path) { return }
        var text = "haat-import-v1\t\(catalogFingerprint)\n"
        for (slug, entry) in entries.sorted(by: { $0.key < $1.key }) {
            text += "\(slug)\t\(entry.sha256)\t\(entry.index)"
            for (name, stamp) in entry.images.sorted(by: { $0.key < $1.key }) where !name.contains("\t") && !name.contains("\n") {
                text += "\t\(name)\u{1F}\(stamp)"
            }
            text += "\n"
        }
        // A cache that cannot be written is only a slower next import.
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = file.appendingPathExtension("tmp-\(ProcessInfo.processInfo.processIdentifier)")
        if (try? Data(text.utf8).write(to: temporary)) != nil { _ = rename(temporary.path, file.path) }
    }
}
