import Hummingbird

/// `?limit=` (1–100, default 20) and `?cursor=` of every list route, and its other filters.
enum ListQuery {
    /// The query parameter `name`, or nil when absent or empty.
    static func text(_ request: Request, _ name: String) -> String? {
        request.uri.queryParameters[Substring(name)].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
    }

    static func parse(_ request: Request) throws -> (limit: Int, cursor: String?) {
        let query = request.uri.queryParameters
        var limit = 20
        if let text = query["limit"] {
            guard let value = Int(String(text)), (1...100).contains(value) else { throw APIError.validation("limit must be a whole number from 1 to 100") }
            limit = value
        }
        return (limit, query["cursor"].map(String.init).flatMap { $0.isEmpty ? nil : $0 })
    }
}
