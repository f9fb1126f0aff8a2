/// Splits a ranked listing into pages of `pageSize`: page 1 at the listing's own path,
/// page n at `<path>page/<n>/`.
public struct Pagination: Sendable, Equatable {
    public static let pageSize = 24

    public let basePath: String
    public let page: Int
    public let pageCount: Int

    public static func pages(basePath: String, itemCount: Int, pageSize: Int = pageSize) -> [Pagination] {
        let count = max(1, (itemCount + pageSize - 1) / pageSize)
        return (1...count).map { Pagination(basePath: basePath, page: $0, pageCount: count) }
    }

    public static func path(basePath: String, page: Int) -> String {
        page == 1 ? basePath : "\(basePath)page/\(page)/"
    }

    public var path: String { Self.path(basePath: basePath, page: page) }
    public var previousPath: String? { page > 1 ? Self.path(basePath: basePath, page: page - 1) : nil }
    public var nextPath: String? { page < pageCount ? Self.path(basePath: basePath, page: page + 1) : nil }

    public func range(itemCount: Int, pageSize: Int = pageSize) -> Range<Int> {
        let start = (page - 1) * pageSize
        return start..<min(itemCount, start + pageSize)
    }
}
