import Foundation

/// libvips 8.14's WebP saver writes a small EXIF block (orientation, resolution) even
/// when told to strip metadata, so metadata chunks are dropped from the RIFF container
/// afterwards: what is published or kept carries no metadata at all.
enum WebPChunks {
    private static let metadataChunks: Set<String> = ["EXIF", "XMP ", "ICCP"]
    /// VP8X flags for ICC, EXIF and XMP.
    private static let metadataFlags: UInt8 = 0x20 | 0x08 | 0x04

    static func withoutMetadata(_ webp: Data) -> Data {
        let bytes = [UInt8](webp)
        guard bytes.count >= 12, bytes[0..<4] == [0x52, 0x49, 0x46, 0x46], bytes[8..<12] == [0x57, 0x45, 0x42, 0x50] else { return webp }
        var kept: [UInt8] = Array(bytes[0..<12])
        var offset = 12
        while offset + 8 <= bytes.count {
            let name = String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
            let size = Int(bytes[offset + 4]) | Int(bytes[offset + 5]) << 8 | Int(bytes[offset + 6]) << 16 | Int(bytes[offset + 7]) << 24
            let end = min(bytes.count, offset + 8 + size + (size & 1))
            if !metadataChunks.contains(name) {
                var chunk = Array(bytes[offset..<end])
                if name == "VP8X", chunk.count > 8 { chunk[8] &= ~metadataFlags }
                kept += chunk
            }
            offset = end
        }
        let riffSize = UInt32(kept.count - 8)
        kept.replaceSubrange(4..<8, with: [UInt8(riffSize & 0xFF), UInt8(riffSize >> 8 & 0xFF), UInt8(riffSize >> 16 & 0xFF), UInt8(riffSize >> 24)])
        return Data(kept)
    }
}
