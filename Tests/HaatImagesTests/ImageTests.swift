import Foundation
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
