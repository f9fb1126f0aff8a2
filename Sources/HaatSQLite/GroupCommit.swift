import Foundation
import HaatStore
import GRDB

/// Group commit for the hot write path (every contact reveal writes): requests that arrive
/// while a transaction is being written wait for the next one, and each transaction
/// carries every waiting request, each in its own savepoint.
///
/// Why: with one transaction per request, SQLite writes the same few pages (the attempts
/// table's last leaf and its index leaves) to the WAL again for every request, and the
/// writer thread is woken once per request; under load that, not the queries, caps the
/// reveals. Batching keeps the guarantees the callers rely on: the jobs still run one
/// after another on SQLite's single writer, so each sees the effects of those before it
/// (the quota stays exact), a job that throws rolls back only its own savepoint, and no
/// caller hears back before its transaction has committed.
final class GroupCommit: @unchecked Sendable {
    private let writer: SQLiteWriter
    private let lock = NSLock()
    private var waiting: [Job] = []
    private var isWriting = false
    /// Bounds one transaction, so one batch cannot hold the writer for long.
    private let maximumBatch = 256

    /// One caller's work and how to hand back its outcome.
    private struct Job: Sendable {
        /// Runs the work inside the batch's transaction; keeps the outcome for `finish`.
        let run: @Sendable (Database) -> Void
        /// Delivers the kept outcome, or `error` when the batch's transaction failed.
        let finish: @Sendable (_ error: (any Error)?) -> Void
    }

    init(writer: SQLiteWriter) {
        self.writer = writer
    }

    /// Runs `work` in a write transaction shared with other concurrent callers; returns
    /// once that transaction has committed.
    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let outcome = Outcome<T>()
            let job = Job(
                run: { db in
                    do {
                        try db.inSavepoint {
                            do {
                                outcome.result = .success(try work(db))
                                return .commit
                            } catch {
                                outcome.result = .failure(error)
                                return .rollback
                            }
                        }
                    } catch {
                        outcome.result = .failure(error)
                    }
                },
                finish: { batchError in
                    if let batchError { continuation.resume(throwing: batchError) } else { continuation.resume(with: outcome.result!) }
                })
            let startsWriting = lock.withLock {
                waiting.append(job)
                defer { isWriting = true }
                return !isWriting
            }
            if startsWriting { Task { await self.writeBatches() } }
        }
    }

    /// Writes batches until no caller is waiting.
    private func writeBatches() async {
        while true {
            let batch: [Job] = lock.withLock {
                let batch = Array(waiting.prefix(maximumBatch))
                waiting.removeFirst(batch.count)
                if batch.isEmpty { isWriting = false }
                return batch
            }
            if batch.isEmpty { return }
            do {
                try await writer.write { db in
                    for job in batch { job.run(db) }
                }
                for job in batch { job.finish(nil) }
            } catch {
                for job in batch { job.finish(error) }
            }
        }
    }
}

/// A job's outcome, written on the writer's thread inside the transaction and read after
/// the transaction returned (the await orders the two).
private final class Outcome<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}
