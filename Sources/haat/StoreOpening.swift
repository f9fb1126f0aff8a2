import HaatPostgres
import HaatStore
import HaatSQLite

extension StoreLocation {
    /// Opens the store this location names: the SQLite file, or the PostgreSQL database of
    /// a `postgres://` URL (connecting once to say plainly why it cannot, then migrating).
    func openStore() async throws -> any HaatStore {
        if isPostgres {
            return PostgresStore(database: try await PostgresDatabase(address: try PostgresAddress(url: database)))
        }
        return try SQLiteStore(path: database)
    }
}
