import Foundation
import Logging
import HaatStore
import PostgresNIO

/// A `LISTEN/NOTIFY` channel of the shared database: what one instance says there, every
/// instance hears. Notifications are sent after the commit of what they announce and are
/// not kept, so they only ever speed things up: whatever needs to be sure reads the store.
public final class PostgresChannel: Sendable {
    public let name: String
    let database: PostgresDatabase

    /// `name` is a fixed identifier of Haat's (it is written into the SQL, not bound).
    public init(_ name: String, on database: PostgresDatabase) {
        precondition(name.allSatisfy { $0.isLetter || $0 == "_" }, "channel names are plain identifiers")
        self.name = name
        self.database = database
    }

    /// Sends `payload` (at most 8,000 bytes) to every listener, this instance's included.
    public func notify(_ payload: String) async throws {
        try await database.client.query("SELECT pg_notify(\(name), \(payload))", logger: database.logger)
    }

    /// Every payload sent on the channel from now on, on a connection of its own that is
    /// opened again (after a short wait) whenever it drops, until the stream is dropped.
    public func messages() -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(1024))
        let address = database.address, logger = database.logger, name = name
        let listening = Task {
            var attempt = 0
            while !Task.isCancelled {
                do {
                    let connection = try await PostgresConnection.connect(configuration: try address.connectionConfiguration(), id: 1, logger: logger)
                    attempt = 0
                    do {
                        try await connection.listen(on: name) { notifications in
                            for try await notification in notifications { continuation.yield(notification.payload) }
                        }
                    } catch {
                        logger.warning("the \(name) channel dropped: \(error); listening again")
                    }
                    try? await connection.close()
                } catch {
                    logger.warning("cannot listen on \(name): \(error)")
                }
                attempt += 1
                try? await Task.sleep(for: .milliseconds(min(5_000, 100 * (1 << min(attempt, 6)))))
            }
        }
        continuation.onTermination = { _ in listening.cancel() }
        return stream
    }
}

/// Several instances on one PostgreSQL tell each other of their leads on a channel.
extension PostgresChannel: LeadBroadcast {
    public func send(_ message: String) async throws { try await notify(message) }
}

extension PostgresStore: SharedStore {
    public func broadcast(named name: String) -> any LeadBroadcast { PostgresChannel(name, on: database) }
}
