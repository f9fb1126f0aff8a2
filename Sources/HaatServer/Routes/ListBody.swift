import Foundation

/// API.md's list shape: `{"items": [...], "next_cursor": "<string>|null"}`.
struct ListBody<Item: Encodable>: Encodable {
    let items: [Item]
    @OrNull var nextCursor: String?
    enum CodingKeys: String, CodingKey { case items, nextCursor = "next_cursor" }
}
