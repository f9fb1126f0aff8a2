import Foundation
import HaatImages
import Hummingbird
import NIOCore

/// A picture as the editor and the admin's queue show it: a small JPEG (480 px wide), made
/// off the request threads, kept privately by the browser for a few minutes.
enum ImagePreview {
    static func response(for data: Data) async throws -> Response {
        let preview: Data
        do {
            preview = try await ImageWork.run { try ResponsiveImages.jpegPreview(of: data, width: 480) }
        } catch let error as ImageError {
            throw APIError.validation("image: \(error.message)")
        }
        return Response(status: .ok, headers: [.contentType: "image/jpeg", .cacheControl: "private, max-age=300"],
                        body: .init(byteBuffer: ByteBuffer(bytes: preview)))
    }
}
