import HaatPostgres
import HaatServer
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

/// Several instances on one PostgreSQL tell each other of their leads on this channel.
extension PostgresChannel: LeadBroadcast {
    public func send(_ message: String) async throws { try await notify(message) }
}

/// The lead hub for `store`: with PostgreSQL, leads also travel between instances.
func notificationHub(for store: any HaatStore, keepAlive: Duration) -> any NotificationHub {
    if let postgres = store as? PostgresStore {
        return BroadcastNotificationHub(broadcast: PostgresChannel("haat_leads", on: postgres.database), keepAlive: keepAlive)
    }
    return LocalNotificationHub(keepAlive: keepAlive)
}
