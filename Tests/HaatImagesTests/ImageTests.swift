import Foundation
#if canImport(Glibc)
import Glibc
#endif
import HaatCore
import HaatImages
import ImageFixtures
import Testing

/// Uploads are checked by decoding and come out upright without metadata; the site's
/// variants have the promised widths, never larger than the source.
struct UploadedImageTests {
    @Test func gpsAndOrientationDoNotSurviveCleaning() throws {
        let plain = try SyntheticImage.make(width: 800, height: 600)
        let tagged = ExifFixture.inserting(orientation: 6, latitude: (18, 31, 7), into: plain)
        // The fixture really carries what must go, or this test could pass by accident.
        #expect(tagged.range(of: Data("Exif".utf8)) != nil)
        #expect(tagged.range(of: ExifFixture.latitudeBytes) != nil)

        let (cleaned, info) = try UploadedImage.clean(tagged, as: .jpeg)
        #expect(cleaned.range(of: Data("Exif".utf8)) == nil)
        #expect(cleaned.range(of: ExifFixture.latitudeBytes) == nil)
        // Orientation 6 means "turn 90° clockwise to view": the stored copy is portrait.
        #expect(info == ImageInfo(format: .jpeg, width: 600, height: 800))
        #expect(ImageInfo.read(cleaned) == info)
    }

    @Test func eachFormatIsKeptInItsOwnFormat() throws {
        for format in [ImageInfo.Format.jpeg, .png, .webp] {
            let source = try SyntheticImage.make(width: 64, height: 48, format: format)
            let (cleaned, info) = try UploadedImage.clean(source, as: format)
            #expect(info == ImageInfo(format: format, width: 64, height: 48))
            #expect(ImageInfo.read(cleaned)?.format == format)
        }
    }

    @Test func whatIsNotADecodableImageOfItsTypeIsRefused() throws {
        let jpeg = try SyntheticImage.make(width: 400, height: 300)
        let png = try SyntheticImage.make(width: 40, height: 30, format: .png)
        #expect(throws: ImageError.self) { try UploadedImage.clean(Data("GIF89a not really".utf8), as: .jpeg) }
        // A PNG sent as a JPEG: the type is checked against the bytes, not the label.
        let mislabelled = #expect(throws: ImageError.self) { try UploadedImage.clean(png, as: .jpeg) }
        #expect(mislabelled?.message.contains("PNG") == true)
        // A valid header followed by half the pixels: only decoding finds it.
        let truncated = jpeg.prefix(jpeg.count / 2)
        #expect(ImageInfo.read(truncated) != nil)
        #expect(throws: ImageError.self) { try UploadedImage.clean(truncated, as: .jpeg) }
    }

    /// A WebP that fails only once its pixels are decoded is refused, and leaves nothing
    /// behind: libvips' WebP saver once kept the whole decoded image of each such upload
    /// (about 2 MB each at 800×600, 380 MB over these 200).
    @Test func undecodableWebPUploadsLeaveNoMemoryBehind() throws {
        let corrupt = WebPFixture.withCorruptPixels(try SyntheticImage.make(width: 800, height: 600, format: .webp))
        #expect(ImageInfo.read(corrupt) == ImageInfo(format: .webp, width: 800, height: 600), "the header still reads")
        #expect(throws: ImageError.self) { try UploadedImage.clean(corrupt, as: .webp) }
        for _ in 0..<10 { _ = try? UploadedImage.clean(corrupt, as: .webp) }
        let before = ResidentMemory.bytes()
        #expect(before > 0, "resident memory is readable")
        for _ in 0..<200 { _ = try? UploadedImage.clean(corrupt, as: .webp) }
        let grown = ResidentMemory.bytes() - before
        // Other suites run meanwhile in this process: the bound leaves them room.
        #expect(grown < 64 << 20, "resident memory grew \(grown >> 20) MB over 200 refused uploads")
    }

    @Test func aDecompressionBombIsRefusedBeforeDecoding() throws {
        let small = try SyntheticImage.make(width: 40, height: 30, format: .png)
        let bomb = PNGFixture.declaringSize(of: small, width: 12_000, height: 12_000)
        #expect(ImageInfo.read(bomb) == ImageInfo(format: .png, width: 12_000, height: 12_000))
        let error = #expect(throws: ImageError.self) { try UploadedImage.clean(bomb, as: .png) }
        #expect(error?.message.contains("megapixels") == true)
    }
}

struct ResponsiveImagesTests {
    @Test func aLargeImageGetsBothWidthsInBothFormats() throws {
        let variants = try ResponsiveImages.variants(of: try SyntheticImage.make(width: 1600, height: 1200))
        #expect(variants.map(\.width) == [480, 960])
        #expect(variants.map(\.height) == [360, 720])
        for variant in variants {
            #expect(ImageInfo.read(variant.jpeg) == ImageInfo(format: .jpeg, width: variant.width, height: variant.height))
            #expect(ImageInfo.read(variant.webp) == ImageInfo(format: .webp, width: variant.width, height: variant.height))
        }
    }

    @Test func imagesAreNeverEnlarged() throws {
        let medium = try ResponsiveImages.variants(of: try SyntheticImage.make(width: 700, height: 350, format: .png))
        #expect(medium.map(\.width) == [480, 700])
        let small = try ResponsiveImages.variants(of: try SyntheticImage.make(width: 300, height: 200, format: .webp))
        #expect(small.map(\.width) == [300])
        #expect(small.map(\.height) == [200])
    }

    @Test func variantsAreUprightAndCarryNoMetadata() throws {
        let tagged = ExifFixture.inserting(orientation: 6, latitude: (18, 31, 7), into: try SyntheticImage.make(width: 1200, height: 900))
        let variants = try ResponsiveImages.variants(of: tagged)
        #expect(variants.map(\.width) == [480, 900])
        #expect(variants.map(\.height) == [640, 1200])
        for variant in variants {
            #expect(variant.jpeg.range(of: Data("Exif".utf8)) == nil)
            #expect(variant.jpeg.range(of: ExifFixture.latitudeBytes) == nil)
            #expect(variant.webp.range(of: Data("Exif".utf8)) == nil)
            #expect(variant.webp.range(of: ExifFixture.latitudeBytes) == nil)
        }
    }

    @Test func anUndecodableSourceIsAnError() {
        #expect(throws: ImageError.self) { try ResponsiveImages.variants(of: Data("not an image".utf8)) }
    }
}

/// This process's resident memory, after handing freed memory back to the system (so
/// what other tests freed meanwhile does not count).
enum ResidentMemory {
    static func bytes() -> Int {
        _ = releaseFreeMemory(0)
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}

/// glibc's `malloc_trim`, which the Glibc module does not export.
@_silgen_name("malloc_trim")
private func releaseFreeMemory(_ pad: Int) -> Int32
