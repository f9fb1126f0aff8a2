import CVips
import Foundation
import HaatCore

/// A portfolio image as a creator uploads it, made safe to keep: decoded in full (so a
/// file that only looks like an image is refused), turned upright by its EXIF
/// orientation, and written again in its own format without any metadata (camera EXIF
/// often carries the GPS position of the creator's home).
public enum UploadedImage {
    /// Larger images are refused before their pixels are decoded: a small PNG can
    /// declare billions of pixels (a decompression bomb).
    public static let maximumPixels = 50_000_000

    /// The cleaned image and its size, or why `data` is not a usable `format` image.
    public static func clean(_ data: Data, as format: ImageInfo.Format) throws -> (data: Data, info: ImageInfo) {
        try Vips.requireStarted()
        guard let detected = ImageInfo.read(data) else {
            throw ImageError("the file is not a JPEG, PNG or WebP image")
        }
        guard detected.format == format else {
            throw ImageError("the file is a \(detected.format.rawValue.uppercased()) image, not \(format.rawValue.uppercased()) as its type says")
        }
        return try Vips.withLoaded(data, "the image cannot be decoded") { (loaded) throws -> (data: Data, info: ImageInfo) in
            let (width, height) = Vips.size(of: loaded)
            guard width * height <= maximumPixels else {
                throw ImageError("the image is \(width)×\(height) pixels; at most \(maximumPixels / 1_000_000) megapixels are accepted")
            }
            return try Vips.withImage("the image cannot be turned upright", { haat_vips_autorotate(loaded, $0) }) { upright in
                // Saving decodes every pixel: a truncated or corrupt file fails here.
                let cleaned = try Vips.encode(upright, as: format, quality: 90)
                let size = Vips.size(of: upright)
                return (cleaned, ImageInfo(format: format, width: size.width, height: size.height))
            }
        }
    }
}
