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
    /// The leads published for `ownerEmail` from now on, and a keep-alive every so often,
    /// until the stream is dropped.
    func subscribe(ownerEmail: String) -> AsyncStream<HubEvent>
}

public enum HubEvent: Sendable {
    case lead(Lead)
    /// Time for the socket's `{"type": "ping"}`: one timer for every socket, not a task each.
    case keepAlive
}

/// The hub of one `haat serve` process: subscribers in memory, per creator account.
public final class LocalNotificationHub: NotificationHub, @unchecked Sendable {
    private let lock = NSLock()
    private var subscribers: [String: [UUID: AsyncStream<HubEvent>.Continuation]] = [:]
    private var keepAliveTask: Task<Void, Never>?

    /// `keepAlive`: how often every subscriber gets `.keepAlive` (nil: never).
    public init(keepAlive: Duration? = .seconds(25)) {
        guard let keepAlive else { return }
        keepAliveTask = Task.detached { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: keepAlive)
                guard let self else { return }
                let everyone = self.lock.withLock { self.subscribers.values.flatMap(\.values) }
                for continuation in everyone { continuation.yield(.keepAlive) }
            }
        }
    }

    deinit {
        keepAliveTask?.cancel()
    }

    public func publish(_ lead: Lead) {
        let continuations = lock.withLock { subscribers[lead.ownerEmail].map { Array($0.values) } ?? [] }
        for continuation in continuations { continuation.yield(.lead(lead)) }
    }

    public func subscribe(ownerEmail: String) -> AsyncStream<HubEvent> {
        let id = UUID()
        // A slow socket keeps the newest few: it re-reads the store for any gap.
        let (stream, continuation) = AsyncStream<HubEvent>.makeStream(bufferingPolicy: .bufferingNewest(16))
        continuation.onTermination = { [weak self] _ in
            self?.lock.withLock {
                self?.subscribers[ownerEmail]?[id] = nil
                if self?.subscribers[ownerEmail]?.isEmpty == true { self?.subscribers[ownerEmail] = nil }
            }
        }
        lock.withLock { subscribers[ownerEmail, default: [:]][id] = continuation }
        return stream
    }
}
