import Crypto
import Foundation

/// The identity of a creator revision: SHA-256 over the exact bytes of `index.md`
/// plus every image it references (each image entering as its own SHA-256, so a shared
/// picture is hashed once), so any edit of text or picture is a new revision.
///
/// Each part is framed as `name NUL length(8 bytes, big-endian) bytes` and images come
/// in name order, so no two different bundles can produce the same byte stream.
public enum RevisionDigest {
    /// - Parameter images: each referenced image's file name and hex SHA-256.
    public static func contentSHA256(index: Data, images: [(name: String, sha256: String)]) -> String {
        var hasher = SHA256()
        func add(_ name: String, _ data: Data) {
            hasher.update(data: Data(name.utf8))
            hasher.update(data: Data([0]))
            var length = UInt64(data.count).bigEndian
            withUnsafeBytes(of: &length) { hasher.update(bufferPointer: $0) }
            hasher.update(data: data)
        }
        add("index.md", index)
        for image in images.sorted(by: { $0.name < $1.name }) { add(image.name, Data(image.sha256.utf8)) }
        return hex(hasher.finalize())
    }

    public static func sha256(_ data: Data) -> String { hex(SHA256.hash(data: data)) }

    public static func hex(_ digest: some Sequence<UInt8>) -> String {
        let table = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        for byte in digest {
            bytes.append(table[Int(byte >> 4)])
            bytes.append(table[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
