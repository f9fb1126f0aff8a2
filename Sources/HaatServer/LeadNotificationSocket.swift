import Foundation
import HaatStore
import Hummingbird
import HummingbirdWebSocket
import NIOWebSocket

/// WebSocket `GET /api/v1/creator/notifications?ticket=T`: a creator's leads as they come.
///
/// On connect: every lead not yet acknowledged, in `seq` order, then live leads. The hub
/// is subscribed to before the replay is read, and a lead that does not follow the last
/// one sent sends the socket back to the store for the gap, so there is never a gap nor
/// a duplicate (`LeadSocketSession`). Leads are committed before they are published: a
/// lead whose publication was missed (a crash, another instance) is replayed on the next
/// connect.
struct LeadNotificationSocket: Sendable {
    let store: any HaatStore
    /// Also times the `{"type": "ping"}` messages (API.md: at least every 30 s).
    let hub: any NotificationHub
    static let path = "api/v1/creator/notifications"
    static let ticketRefused = WebSocketErrorCode.unknown(4401)
    /// Leads read from the store at a time when replaying.
    static let replayBatch = 200

    func register(on router: Router<BasicWebSocketRequestContext>) {
        router.ws(RouterPath(Self.path)) { inbound, outbound, context in
            let ticket = context.request.uri.queryParameters["ticket"].map(String.init)
            try await serve(ticket: ticket, inbound: inbound, outbound: outbound)
        }
    }

    func serve(ticket: String?, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        // Redeemed in a task of its own: the store's deep frames go with it rather than
        // staying with the socket's task for as long as the socket is open.
        let ticketOwner = try await inTaskOfItsOwn { try await creatorEmail(redeeming: ticket) }
        guard let owner = ticketOwner else {
            try await outbound.close(Self.ticketRefused, reason: "The ticket is unknown, expired or already used: ask for a new one.")
            return
        }
        // No task of its own while idle: the session sends from short-lived ones.
        let session = LeadSocketSession(owner: owner, store: store, sender: Sender(outbound: outbound))
        let subscription = hub.subscribe(ownerEmail: owner) { session.receive($0) }
        session.start()
        await readAcknowledgements(from: inbound, into: session, outbound: outbound)
        subscription.cancel()
        session.close()
    }

    /// The email of the active creator account the ticket was made for, using it up.
    private func creatorEmail(redeeming ticket: String?) async throws -> String? {
        guard let ticket, !ticket.isEmpty, ticket.utf8.count <= 128,
              let accountID = try await store.redeemNotificationTicket(hash: SecretToken.hash(ticket), now: Date()),
              let account = try await store.account(id: accountID), account.status == .active, account.role == .creator
        else { return nil }
        return account.email.value
    }

    /// `{"type": "ack", "seq": n}` acknowledges every lead up to n. Anything else is
    /// ignored; a message too large closes the socket (1009, by the WebSocket layer).
    private func readAcknowledgements(from inbound: WebSocketInboundStream, into session: LeadSocketSession,
                                      outbound: WebSocketOutboundWriter) async {
        do {
            for try await message in inbound.messages(maxSize: 1024) {
                guard case .text(let text) = message, let ack = try? Self.decoder.decode(Acknowledgement.self, from: Data(text.utf8)),
                      ack.type == "ack", ack.seq >= 0 else { continue }
                session.acknowledge(upTo: ack.seq)
            }
        } catch {
            try? await outbound.close(.policyViolation, reason: "Messages must be small JSON objects.")
        }
    }

    private static let decoder = JSONDecoder()

    private struct Acknowledgement: Decodable {
        let type: String
        let seq: Int
    }

    /// The server's messages: `{"type": "lead", "seq", "lead"}` and `{"type": "ping"}`.
    struct Sender: Sendable {
        let outbound: WebSocketOutboundWriter

        struct LeadMessage: Encodable {
            let type = "lead"
            let seq: Int
            let lead: LeadBody
        }

        func send(_ lead: Lead) async throws {
            let data = try JSONResponse.encoder.encode(LeadMessage(seq: lead.seq, lead: LeadBody(lead)))
            try await outbound.writeTextMessage(String(decoding: data, as: UTF8.self))
        }

        func ping() async throws {
            try await outbound.writeTextMessage(#"{"type":"ping"}"#)
        }

        func close(_ code: WebSocketErrorCode, reason: String) async throws {
            try await outbound.close(code, reason: reason)
        }
    }

    /// Runs `work` in a child task and returns its result.
    private func inTaskOfItsOwn<Value: Sendable>(_ work: @escaping @Sendable () async throws -> Value) async throws -> Value {
        try await withThrowingTaskGroup(of: Value.self) { group in
            group.addTask(operation: work)
            guard let value = try await group.next() else { throw CancellationError() }
            return value
        }
    }
}
