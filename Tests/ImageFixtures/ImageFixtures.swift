import Foundation

// Image fixtures shared by the image, site and server tests: the metadata a phone
// camera writes, and a decompression bomb's header.

/// Builds the EXIF block a phone camera writes (big-endian TIFF): an orientation and a
/// GPS latitude, in an APP1 segment put right after a JPEG's start marker.
public enum ExifFixture {
    /// The latitude's rational numbers as stored, to look for in a file's bytes.
    public static var latitudeBytes: Data { rationals([18, 31, 7]) }

    public static func inserting(orientation: UInt16, latitude: (UInt32, UInt32, UInt32), into jpeg: Data) -> Data {
        var tiff = Data("MM".utf8) + be16(42) + be32(8)
        // IFD0 at 8: Orientation and the GPS IFD's offset (8 + 2 + 2×12 + 4 = 38).
        tiff += be16(2)
        tiff += be16(0x0112) + be16(3) + be32(1) + be16(orientation) + be16(0)
        tiff += be16(0x8825) + be16(4) + be32(1) + be32(38)
        tiff += be32(0)
        // GPS IFD at 38: latitude reference "N" and the latitude itself (data at 38 + 30 = 68).
        tiff += be16(2)
        tiff += be16(0x0001) + be16(2) + be32(2) + Data("N\0\0\0".utf8)
        tiff += be16(0x0002) + be16(5) + be32(3) + be32(68)
        tiff += be32(0)
        tiff += rationals([latitude.0, latitude.1, latitude.2])
        let payload = Data("Exif\0\0".utf8) + tiff
        let segment = Data([0xFF, 0xE1]) + be16(UInt16(payload.count + 2)) + payload
        return jpeg.prefix(2) + segment + jpeg.dropFirst(2)
    }

    private static func rationals(_ values: [UInt32]) -> Data {
        values.reduce(into: Data()) { $0 += be32($1) + be32(1) }
    }

    static func be16(_ value: UInt16) -> Data { Data([UInt8(value >> 8), UInt8(value & 0xFF)]) }
    static func be32(_ value: UInt32) -> Data { be16(UInt16(value >> 16)) + be16(UInt16(value & 0xFFFF)) }
}

/// A PNG whose header claims another size (with a correct checksum): what a
/// decompression bomb looks like from outside.
public enum PNGFixture {
    public static func declaringSize(of png: Data, width: UInt32, height: UInt32) -> Data {
        var bytes = [UInt8](png)
        // Signature (8), IHDR length (4), "IHDR" at 12, width at 16, height at 20, CRC at 29.
        bytes.replaceSubrange(16..<24, with: ExifFixture.be32(width) + ExifFixture.be32(height))
        bytes.replaceSubrange(29..<33, with: ExifFixture.be32(crc32(bytes[12..<29])))
        return Data(bytes)
    }

    private static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (crc & 1 == 1 ? 0xEDB8_8320 : 0) }
        }
        return ~crc
    }
}

/// A WebP whose header is intact but whose pixels fail to decode: what only decoding
/// finds (and what once made libvips' WebP saver leak the decoded image).
public enum WebPFixture {
    /// `webp` with two bytes of its VP8 bitstream flipped, halfway through the frame's data.
    public static func withCorruptPixels(_ webp: Data) -> Data {
        var bytes = [UInt8](webp)
        // RIFF header (12), then the VP8 chunk: name and size (8), the frame header (10).
        let frameData = 12 + 8 + 10
        let middle = frameData + (bytes.count - frameData) / 2
        bytes[middle] ^= 0xFF
        bytes[middle + 1] ^= 0xFF
        return Data(bytes)
    }
}
