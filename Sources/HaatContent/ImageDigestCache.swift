import Foundation
import HaatStore
import HaatCore

/// Reads, checks and hashes image files once per import, however many bundles share
/// them (hard links, copies of one file): keyed by device, inode, size and mtime.
final class ImageDigestCache: @unchecked Sendable {
    struct Digest: Sendable {
        let sha256: String
        let bytes: Int
        let info: ImageInfo
    }

    struct Problem: Error {
        let message: String
    }

    private let lock = NSLock()
    private var digests: [String: Result<Digest, Problem>] = [:]

    func digest(of url: URL) -> Result<Digest, Problem> {
        // lstat: a symbolic link is the link's own entry, never its target's.
        var status = stat()
        guard lstat(url.path, &status) == 0 else { return .failure(Problem(message: ContentFolder.FileProblem.unreadable.description)) }
        let key = "\(status.st_dev):\(status.st_ino):\(status.st_size):\(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)"
        if let known = lock.withLock({ digests[key] }) { return known }
        let result: Result<Digest, Problem>
        switch ContentFolder.readBundleFile(atPath: url.path) {
        case .success(let data):
            if let info = ImageInfo.read(data) {
                result = .success(Digest(sha256: RevisionDigest.sha256(data), bytes: data.count, info: info))
            } else {
                result = .failure(Problem(message: "is not a JPEG, PNG or WebP image"))
            }
        case .failure(let problem):
            result = .failure(Problem(message: problem.description))
        }
        lock.withLock { digests[key] = result }
        return result
    }
}
