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
    /// Calls `receive` with each lead published for `ownerEmail` from now on, and with
    /// `.keepAlive` every so often, until the subscription is cancelled. `receive` is
    /// called on the publisher's thread and must not block: a socket queues the event.
    func subscribe(ownerEmail: String, receive: @escaping @Sendable (HubEvent) -> Void) -> HubSubscription
}

public enum HubEvent: Sendable {
    case lead(Lead)
    /// Lead `seq` was made on another instance: the socket reads it from the store.
    case announced(seq: Int)
    /// Time for the socket's `{"type": "ping"}`: one timer for every socket, not a task each.
    case keepAlive
}

/// A subscription to a hub; `cancel()` stops the events (and is safe to call twice).
public struct HubSubscription: Sendable {
    let cancelling: @Sendable () -> Void
    public func cancel() { cancelling() }
}
