import CVips
import Foundation
import HaatCore

/// libvips, started once per process, and the small amount of lifetime bookkeeping its
/// C API needs. Everything else in this module is written against these helpers.
enum Vips {
    /// Starts libvips the first time any image is processed.
    static let started: Bool = {
        guard haat_vips_start() == 0 else { return false }
        // Callers process several images at once, one per core: a thread pool inside
        // each image would only add switching.
        vips_concurrency_set(1)
        // Every image is processed once; libvips' operation cache would only hold memory.
        vips_cache_set_max(0)
        return true
    }()

    /// The message libvips left for the last failure, cleared for the next one.
    static func takeError(_ fallback: String) -> ImageError {
        let text = String(cString: vips_error_buffer()).trimmingCharacters(in: .whitespacesAndNewlines)
        vips_error_clear()
        let firstLine = text.split(separator: "\n").first.map(String.init) ?? ""
        return ImageError(firstLine.isEmpty ? fallback : "\(fallback): \(firstLine)")
    }

    static func requireStarted() throws {
        guard started else { throw ImageError("the image library (libvips) could not start") }
    }

    /// Runs a libvips call that produces an image; the image is released when `body` returns.
    static func withImage<T>(_ fallback: String, _ produce: (UnsafeMutablePointer<UnsafeMutablePointer<VipsImage>?>) -> Int32,
                             _ body: (UnsafeMutablePointer<VipsImage>) throws -> T) throws -> T {
        var image: UnsafeMutablePointer<VipsImage>?
        guard produce(&image) == 0, let image else { throw takeError(fallback) }
        defer { haat_vips_unref(image) }
        return try body(image)
    }

    /// Reads `data`'s header (pixels come later, on demand) for the length of `body`,
    /// which must not keep the image: libvips reads from `data`'s bytes in place.
    static func withLoaded<T>(_ data: Data, _ fallback: String, _ body: (UnsafeMutablePointer<VipsImage>) throws -> T) throws -> T {
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws -> T in
            try withImage(fallback, { out in
                out.pointee = haat_vips_load(raw.baseAddress, raw.count)
                return out.pointee == nil ? -1 : 0
            }, body)
        }
    }

    /// Runs a libvips saver and copies out the bytes it allocated.
    static func save(_ fallback: String, _ saver: (UnsafeMutablePointer<UnsafeMutableRawPointer?>, UnsafeMutablePointer<Int>) -> Int32) throws -> Data {
        var buffer: UnsafeMutableRawPointer?
        var length = 0
        guard saver(&buffer, &length) == 0, let buffer else { throw takeError(fallback) }
        defer { g_free(buffer) }
        return Data(bytes: buffer, count: length)
    }

    /// `image` in `format`, without any metadata; `quality` is ignored by PNG. A
    /// transparent image becomes a JPEG on white (JPEG has no transparency).
    static func encode(_ image: UnsafeMutablePointer<VipsImage>, as format: ImageInfo.Format, quality: Int) throws -> Data {
        let failure = "the image cannot be written as \(format.rawValue.uppercased())"
        if format == .jpeg, vips_image_hasalpha(image) != 0 {
            return try withImage("the image cannot be flattened", { haat_vips_flatten_on_white(image, $0) }) { flat in
                try encode(flat, as: .jpeg, quality: quality)
            }
        }
        switch format {
        case .jpeg: return try save(failure) { haat_vips_jpegsave(image, $0, $1, Int32(quality)) }
        case .png: return try save(failure) { haat_vips_pngsave(image, $0, $1) }
        case .webp: return WebPChunks.withoutMetadata(try save(failure) { haat_vips_webpsave(image, $0, $1, Int32(quality)) })
        }
    }

    static func size(of image: UnsafeMutablePointer<VipsImage>) -> (width: Int, height: Int) {
        (Int(vips_image_get_width(image)), Int(vips_image_get_height(image)))
    }
}

/// Why an image could not be read or written, in words for the person who sent it.
public struct ImageError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
