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

/// One rate limit as the store counts it: at most `count` events per fixed window of
/// `window` seconds for `key`.
public struct StoreRateLimit: Sendable, Equatable {
    public let key: String
    public let count: Int
    public let window: TimeInterval

    public init(key: String, count: Int, window: TimeInterval) {
        self.key = key
        self.count = count
        self.window = window
    }
}

public enum StoreRateAdmission: Sendable, Equatable {
    /// Counted against every limit, each in the window that started at the date given.
    case admitted([StoreRateWindow])
    /// A limit was full (nothing counted): try again in this many seconds.
    case limited(retryAfter: Int)
}

/// Where one admitted event was counted, so it can be taken back.
public struct StoreRateWindow: Sendable, Equatable {
    public let key: String
    public let start: Date

    public init(key: String, start: Date) {
        self.key = key
        self.start = start
    }
}

/// Rate limits counted in a store several instances share, so N instances allow what one
/// allows (a store only one process uses keeps them in memory instead).
public protocol SharedRateLimits: Sendable {
    /// Counts one event against every limit at once, or none of them.
    func admit(_ limits: [StoreRateLimit], now: Date) async throws -> StoreRateAdmission
    /// Takes back events counted by `admit` (in windows that have not moved on since).
    func release(_ windows: [StoreRateWindow]) async throws
}
