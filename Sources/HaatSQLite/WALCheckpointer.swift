import GRDB

/// Copies the write-ahead log back into the database file, in the background, on a
/// connection of its own, so that the writer rarely has to.
///
/// Why: by default SQLite checkpoints inside the commit that crosses 1,000 WAL pages, on
/// the single writer, fsyncs included, and every request queued behind that commit waits
/// (under load this made the contact reveal's p99). A passive checkpoint never takes the
/// write lock, so reveals keep committing while it runs, and a page written many times
/// between two checkpoints is copied once. The writer keeps a high automatic threshold
/// as a safety net should this task fall behind. (The pool's reader connections are
/// read-only and cannot checkpoint: hence a connection of its own.)
final class WALCheckpointer: Sendable {
    static let writerThresholdPages = 20_000
    private let task: Task<Void, Never>

    init(path: String, every interval: Duration = .milliseconds(250)) throws {
        var configuration = Configuration()
        configuration.label = "haat.checkpointer"
        let connection = try DatabaseQueue(path: path, configuration: configuration)
        task = Task.detached(priority: .utility) {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                // Best effort: a checkpoint that fails (the file busy) is retried next tick.
                _ = try? await connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
            }
        }
    }

    deinit {
        task.cancel()
    }
}
