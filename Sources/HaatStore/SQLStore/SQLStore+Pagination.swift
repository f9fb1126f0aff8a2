import Foundation

extension SQLExecutor {
    /// One page of `select` (a SELECT and its joins, without WHERE) under `conditions`,
    /// newest first: `limit` items after `cursor`, and the cursor of the next page when
    /// there is one (found by reading one row more).
    public func page<Item: Sendable>(_ select: SQL, where conditions: [SQL] = [], dateColumn: SQL, idColumn: SQL, limit: Int, after cursor: String?,
                                     read: @escaping @Sendable (any SQLRow) throws -> Item,
                                     position: (Item) -> ListCursor) async throws -> Page<Item> {
        var conditions = conditions
        if let after = cursor.flatMap(ListCursor.init(encoded:)) {
            conditions.append("(\(sql: dateColumn) < \(after.date) OR (\(sql: dateColumn) = \(after.date) AND \(sql: idColumn) < \(after.id)))")
        }
        var statement = select
        if !conditions.isEmpty { statement = statement + " WHERE " + .joined(conditions, separator: " AND ") }
        statement = statement + " ORDER BY \(sql: dateColumn) DESC, \(sql: idColumn) DESC LIMIT \(limit + 1)"
        let rows = try await rows(statement, read)
        let items = Array(rows.prefix(limit))
        return Page(items: items, nextCursor: rows.count > limit ? items.last.map { position($0).encoded } : nil)
    }
}
