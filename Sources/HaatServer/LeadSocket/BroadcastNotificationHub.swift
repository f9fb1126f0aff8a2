import Foundation
import HaatStore
import Logging

/// The hub of one instance among several: a lead made here goes to this instance's
/// sockets at once, and its owner and number to the broadcast; a lead announced by
/// another instance sends this instance's sockets of that owner to the store for it.
/// Only the number travels: a lead's own text may exceed what a notification carries
/// (8,000 bytes in PostgreSQL), and the store has it anyway. Each instance has an id, so
/// it skips what it sent itself.
public final class BroadcastNotificationHub: NotificationHub, Sendable {
    private let local: LocalNotificationHub
    private let broadcast: any LeadBroadcast
    private let instance: String
    private let listening: Task<Void, Never>
    private let logger: Logger

    public init(broadcast: any LeadBroadcast, keepAlive: Duration? = .seconds(25), logger: Logger = Logger(label: "haat.leads")) {
        let local = LocalNotificationHub(keepAlive: keepAlive)
        let instance = UUID().uuidString
        self.local = local
        self.broadcast = broadcast
        self.instance = instance
        self.logger = logger
        listening = Task {
            for await text in broadcast.messages() {
                guard let message = try? JSONDecoder().decode(LeadAnnouncement.self, from: Data(text.utf8)), message.origin != instance else { continue }
                local.announce(ownerEmail: message.owner, seq: message.seq)
            }
        }
    }

    deinit { listening.cancel() }

    public func publish(_ lead: Lead) {
        local.publish(lead)
        guard let data = try? JSONEncoder().encode(LeadAnnouncement(origin: instance, owner: lead.ownerEmail, seq: lead.seq)) else { return }
        let (broadcast, logger) = (broadcast, logger)
        Task {
            do {
                try await broadcast.send(String(decoding: data, as: UTF8.self))
            } catch {
                // The other instances' sockets get it with the owner's next lead or reconnect.
                logger.warning("lead \(lead.seq) of \(lead.ownerEmail) not announced to the other instances: \(error)")
            }
        }
    }

    public func subscribe(ownerEmail: String, receive: @escaping @Sendable (HubEvent) -> Void) -> HubSubscription {
        local.subscribe(ownerEmail: ownerEmail, receive: receive)
    }
}

/// A lead made by the instance `origin`: whose it is and its number.
struct LeadAnnouncement: Codable {
    let origin: String
    let owner: String
    let seq: Int
}
