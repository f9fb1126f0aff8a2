import CVips
import Foundation

/// The responsive copies of a portfolio image that the site serves in place of the
/// original: at most 480 and 960 px wide (never enlarged), each as JPEG and WebP,
/// upright and without metadata.
public enum ResponsiveImages {
    public static let widths = [480, 960]
    /// Changes whenever what `variants` produces does, so published names change too.
    public static let recipe = "480,960;jpeg q78;webp q72 effort 2;strip;v1"

    public struct Variant: Sendable, Equatable {
        public let width: Int
        public let height: Int
        public let jpeg: Data
        public let webp: Data
    }

    /// Starts libvips now, before the caller's threads use it (its start registers types and
    /// reads its environment: better done once, with nothing else of libvips running).
    public static func start() throws {
        try Vips.requireStarted()
    }

    /// The variants of `source` (any JPEG, PNG or WebP), narrowest first. A source
    /// narrower than 960 px gets one variant at its own width in place of the wider one.
    public static func variants(of source: Data) throws -> [Variant] {
        try Vips.requireStarted()
        return try source.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws -> [Variant] in
            // The widest variant is made from the file (JPEG and WebP shrink while they
            // load), held in memory, and the narrower ones are made from it. libvips only
            // reads the buffer, though its signature says otherwise.
            let buffer = UnsafeMutableRawPointer(mutating: raw.baseAddress)
            return try Vips.withImage("the image cannot be decoded", { haat_vips_thumbnail_buffer(buffer, raw.count, $0, Int32(widths.last!)) }) { lazyWidest in
                try Vips.withImage("the image cannot be decoded", { out in
                    out.pointee = vips_image_copy_memory(lazyWidest)
                    return out.pointee == nil ? -1 : 0
                }) { (widest) throws -> [Variant] in
                    let sourceWidth = Vips.size(of: widest).width
                    var variants: [Variant] = []
                    for width in widths.dropLast() where width < sourceWidth {
                        variants.append(try Vips.withImage("the image cannot be resized", { haat_vips_thumbnail_image(widest, $0, Int32(width)) }) { image in
                            try encode(image)
                        })
                    }
                    variants.append(try encode(widest))
                    return variants
                }
            }
        }
    }

    /// One JPEG at most `width` wide: what the profile editor shows of an image that is
    /// not published yet.
    public static func jpegPreview(of source: Data, width: Int) throws -> Data {
        try Vips.requireStarted()
        return try source.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws -> Data in
            let buffer = UnsafeMutableRawPointer(mutating: raw.baseAddress)
            return try Vips.withImage("the image cannot be decoded", { haat_vips_thumbnail_buffer(buffer, raw.count, $0, Int32(width)) }) { image in
                try Vips.encode(image, as: .jpeg, quality: 75)
            }
        }
    }

    private static func encode(_ image: UnsafeMutablePointer<VipsImage>) throws -> Variant {
        let (width, height) = Vips.size(of: image)
        return Variant(width: width, height: height, jpeg: try Vips.encode(image, as: .jpeg, quality: 78),
                       webp: try Vips.encode(image, as: .webp, quality: 72))
    }
}
