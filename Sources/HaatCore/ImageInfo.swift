import Foundation

/// The pixel size and format of an image, read from its header (JPEG, PNG, WebP)
/// without decoding it: enough to set `width`/`height` on `<img>` and reject files
/// that are not the image they claim to be.
public struct ImageInfo: Hashable, Sendable, Codable {
    public enum Format: String, Sendable, Codable {
        case jpeg, png, webp

        public var fileExtension: String {
            switch self {
            case .jpeg: "jpg"
            case .png: "png"
            case .webp: "webp"
            }
        }
    }
    public let format: Format
    public let width: Int
    public let height: Int

    public init(format: Format, width: Int, height: Int) {
        self.format = format
        self.width = width
        self.height = height
    }


    /// How much of a file `read` looks at: the size is always within it.
    public static let headerBytes = 256 * 1024

    public static func read(_ data: Data) -> ImageInfo? {
        let bytes = [UInt8](data.prefix(headerBytes))
        if bytes.count > 24, bytes[0] == 0x89, bytes[1] == 0x50, bytes[2] == 0x4E, bytes[3] == 0x47 {
            return sized(.png, be32(bytes, 16), be32(bytes, 20))
        }
        if bytes.count > 4, bytes[0] == 0xFF, bytes[1] == 0xD8 { return readJPEG(bytes) }
        if bytes.count > 30, bytes[0...3] == [0x52, 0x49, 0x46, 0x46], bytes[8...11] == [0x57, 0x45, 0x42, 0x50] {
            return readWebP(bytes)
        }
        return nil
    }

    private static func sized(_ format: Format, _ width: Int, _ height: Int) -> ImageInfo? {
        guard (1...20_000).contains(width), (1...20_000).contains(height) else { return nil }
        return ImageInfo(format: format, width: width, height: height)
    }

    private static func be16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) << 8 | Int(b[i + 1]) }
    private static func be32(_ b: [UInt8], _ i: Int) -> Int { be16(b, i) << 16 | be16(b, i + 2) }
    private static func le16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
    private static func le24(_ b: [UInt8], _ i: Int) -> Int { le16(b, i) | Int(b[i + 2]) << 16 }

    /// Walks JPEG segments to the first start-of-frame marker, which carries the size.
    private static func readJPEG(_ b: [UInt8]) -> ImageInfo? {
        var i = 2
        while i + 9 < b.count {
            guard b[i] == 0xFF else { return nil }
            let marker = b[i + 1]
            if marker == 0xFF { i += 1; continue }
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { i += 2; continue }
            let length = be16(b, i + 2)
            let isStartOfFrame = (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker)
            if isStartOfFrame { return sized(.jpeg, be16(b, i + 7), be16(b, i + 5)) }
            guard length >= 2 else { return nil }
            i += 2 + length
        }
        return nil
    }

    private static func readWebP(_ b: [UInt8]) -> ImageInfo? {
        let chunk = String(decoding: b[12...15], as: UTF8.self)
        switch chunk {
        case "VP8 ": return sized(.webp, le16(b, 26) & 0x3FFF, le16(b, 28) & 0x3FFF)
        case "VP8L":
            let bits = Int(b[21]) | Int(b[22]) << 8 | Int(b[23]) << 16 | Int(b[24]) << 24
            return sized(.webp, (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
        case "VP8X": return sized(.webp, le24(b, 24) + 1, le24(b, 27) + 1)
        default: return nil
        }
    }
}
