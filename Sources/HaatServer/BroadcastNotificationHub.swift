import Foundation
import HaatStore

/// Where several `haat serve` instances announce their leads to each other (PostgreSQL's
/// `LISTEN/NOTIFY` in production). Messages are best-effort: a socket re-reads the store.
public protocol LeadBroadcast: Sendable {
    func send(_ message: String) async throws
    func messages() -> AsyncStream<String>
}

/// The hub of one instance among several: a lead made here goes to this instance's
/// sockets at once and to the broadcast; a lead heard from another instance goes to this
/// instance's sockets. Each instance has an id, so it skips what it sent itself.
public final class BroadcastNotificationHub: NotificationHub, Sendable {
    private let local: LocalNotificationHub
    private let broadcast: any LeadBroadcast
    private let instance: String
    private let listening: Task<Void, Never>

    public init(broadcast: any LeadBroadcast, keepAlive: Duration? = .seconds(25)) {
        let local = LocalNotificationHub(keepAlive: keepAlive)
        let instance = UUID().uuidString
        self.local = local
        self.broadcast = broadcast
        self.instance = instance
        listening = Task {
            for await text in broadcast.messages() {
                guard let message = try? JSONDecoder().decode(LeadMessage.self, from: Data(text.utf8)), message.origin != instance else { continue }
                local.publish(message.lead)
            }
        }
    }

    deinit { listening.cancel() }

    public func publish(_ lead: Lead) {
        local.publish(lead)
        guard let data = try? JSONEncoder().encode(LeadMessage(origin: instance, lead: lead)) else { return }
        let broadcast = broadcast
        Task { try? await broadcast.send(String(decoding: data, as: UTF8.self)) }
    }

    public func subscribe(ownerEmail: String, receive: @escaping @Sendable (HubEvent) -> Void) -> HubSubscription {
        local.subscribe(ownerEmail: ownerEmail, receive: receive)
    }
}

/// A lead on the broadcast, with the instance that made it.
struct LeadMessage: Codable {
    let origin: String
    let lead: Lead
}
