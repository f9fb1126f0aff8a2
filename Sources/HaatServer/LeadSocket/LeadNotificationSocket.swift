import Foundation
import HaatStore
import NIOWebSocket

/// WebSocket `GET /api/v1/creator/notifications?ticket=T`: a creator's leads as they come.
///
/// On connect: every lead not yet acknowledged, in `seq` order, then live leads. The hub
/// is subscribed to before the replay is read, and a lead that does not follow the last
/// one sent sends the socket back to the store for the gap, so there is never a gap nor
/// a duplicate (`LeadSocketSession`). Leads are committed before they are published: a
/// lead whose publication was missed (a crash, another instance) is replayed on the next
/// connect. The connection is `HaatServerChannel`'s, the frames `LeadSocketHandler`'s.
struct LeadNotificationSocket: Sendable {
    let store: any HaatStore
    /// Also times the `{"type": "ping"}` messages (API.md: at least every 30 s).
    let hub: any NotificationHub
    /// The sockets open now, which a stopping server closes with 1001.
    let registry = LeadSocketRegistry()

    static let path = "api/v1/creator/notifications"
    static let ticketRefused = WebSocketErrorCode.unknown(4401)
    /// Leads read from the store at a time when replaying.
    static let replayBatch = 200

    /// The email of the active creator account the ticket was made for, using it up.
    func creatorEmail(redeeming ticket: String?) async throws -> String? {
        guard let ticket, !ticket.isEmpty, ticket.utf8.count <= 128,
              let accountID = try await store.redeemNotificationTicket(hash: SecretToken.hash(ticket), now: Date()),
              let account = try await store.account(id: accountID), account.status == .active, account.role == .creator
        else { return nil }
        return account.email.value
    }
}
