import Foundation

/// Where several `haat serve` instances sharing one store tell each other of their leads
/// (PostgreSQL's `LISTEN/NOTIFY`). Messages are best-effort: a socket re-reads the store.
public protocol LeadBroadcast: Sendable {
    func send(_ message: String) async throws
    func messages() -> AsyncStream<String>
}

/// A store several instances share: a lead one instance makes must reach a creator's
/// socket on another, so the store offers a broadcast between them. A store only one
/// process uses (SQLite) does not conform, and its leads stay in the process.
public protocol SharedStore: Sendable {
    /// The broadcast named `name` (a plain identifier of Haat's).
    func broadcast(named name: String) -> any LeadBroadcast
}
