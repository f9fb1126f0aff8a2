import CVips
import Foundation
import HaatCore

/// Real, decodable images made up on the spot, for tests and `make bench`.
public enum SyntheticImage {
    /// A grey ramp of the given size; `shade` (0–75) makes the bytes of each distinct.
    public static func make(width: Int, height: Int, format: ImageInfo.Format = .jpeg, shade: Int = 0) throws -> Data {
        try Vips.requireStarted()
        return try Vips.withImage("cannot draw an image", { haat_vips_gradient(Int32(width), Int32(height), Double(shade), $0) }) { image in
            try Vips.encode(image, as: format, quality: 85)
        }
    }

    /// `photo` (a JPEG, PNG or WebP) enlarged `scale` times with seeded grain, as a JPEG:
    /// the benchmark's stand-in for a phone camera's picture.
    public static func grainyEnlargement(of photo: Data, scale: Double, seed: Int) throws -> Data {
        try Vips.requireStarted()
        return try Vips.withLoaded(photo, "cannot read the photo") { loaded in
            try Vips.withImage("cannot enlarge the photo", { haat_vips_grainy_enlargement(loaded, scale, Int32(truncatingIfNeeded: seed), $0) }) { large in
                try Vips.encode(large, as: .jpeg, quality: 88)
            }
        }
    }
}
