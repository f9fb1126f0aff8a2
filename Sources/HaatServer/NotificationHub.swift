import Foundation
import HaatStore

/// Delivers each new lead to the creator's open sockets. Leads are committed before they
/// are published, and a socket re-reads the store for anything it has not seen, so a
/// missed publication delays a lead until the next one or the next connect, never loses
/// it. The one interface the routes see: the PostgreSQL scale-out adds a hub that also
/// fans out through `LISTEN/NOTIFY`, without touching them.
public protocol NotificationHub: Sendable {
    /// Announces a committed lead to every subscriber of its owner.
    func publish(_ lead: Lead)
    /// The leads published for `ownerEmail` from now on, until the stream is dropped.
    func subscribe(ownerEmail: String) -> AsyncStream<Lead>
}

/// The hub of one `haat serve` process: subscribers in memory, per creator account.
public final class LocalNotificationHub: NotificationHub, @unchecked Sendable {
    private let lock = NSLock()
    private var subscribers: [String: [UUID: AsyncStream<Lead>.Continuation]] = [:]

    public init() {}

    public func publish(_ lead: Lead) {
        let continuations = lock.withLock { subscribers[lead.ownerEmail].map { Array($0.values) } ?? [] }
        for continuation in continuations { continuation.yield(lead) }
    }

    public func subscribe(ownerEmail: String) -> AsyncStream<Lead> {
        let id = UUID()
        // A slow socket keeps the newest few: it re-reads the store for any gap.
        let (stream, continuation) = AsyncStream<Lead>.makeStream(bufferingPolicy: .bufferingNewest(16))
        continuation.onTermination = { [weak self] _ in
            self?.lock.withLock {
                self?.subscribers[ownerEmail]?[id] = nil
                if self?.subscribers[ownerEmail]?.isEmpty == true { self?.subscribers[ownerEmail] = nil }
            }
        }
        lock.withLock { subscribers[ownerEmail, default: [:]][id] = continuation }
        return stream
    }

    /// How many sockets listen for `ownerEmail` (tests, metrics).
    public func subscriberCount(ownerEmail: String) -> Int {
        lock.withLock { subscribers[ownerEmail]?.count ?? 0 }
    }
}
