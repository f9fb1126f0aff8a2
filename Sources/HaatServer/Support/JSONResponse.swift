import Foundation
import Hummingbird
import NIOCore

/// JSON responses with an explicit status, and request bodies decoded with API.md's
/// rules: malformed JSON is 400 `bad_request`, unknown fields are ignored.
enum JSONResponse {
    /// Keys sorted: the same value always gives the same bytes.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func noContent() -> Response {
        Response(status: .noContent, headers: [.cacheControl: "no-store"])
    }

    static func decode<Body: Decodable>(_ type: Body.Type, from request: Request, context: HaatRequestContext, emptyAs empty: String? = nil) async throws -> Body {
        // Too large a body throws NIOTooManyBytesError, which APIErrorMiddleware maps to 413.
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        return try decode(type, from: buffer.readableBytes == 0 ? Data((empty ?? "").utf8) : Data(buffer: buffer))
    }

    /// `data` as `Body`: 400 unless it is JSON of that shape; 422 if any text in it holds
    /// the NUL character, which no field means and PostgreSQL's text cannot store.
    static func decode<Body: Decodable>(_ type: Body.Type, from data: Data) throws -> Body {
        let body: Body
        do {
            body = try JSONDecoder().decode(Body.self, from: data)
        } catch {
            throw APIError.badRequest("The request body must be a JSON object with the documented fields.")
        }
        if NULRefusal.containsNUL(json: data) { throw NULRefusal.error("text fields") }
        return body
    }
}

/// An optional field that API.md wants as `null` when it has no value, never absent
/// (synthesized `Encodable` leaves nil optionals out): every response body uses it rather
/// than a hand-written `encode(to:)`.
@propertyWrapper
struct OrNull<Value: Encodable & Sendable>: Encodable, Sendable {
    var wrappedValue: Value?

    init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue)
    }
}

extension OrNull: Equatable where Value: Equatable {}
