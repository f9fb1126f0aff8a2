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
/// a duplicate. Leads are committed before they are published: a lead whose publication
/// was missed (a crash, another instance) is replayed on the next connect.
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
        guard let owner = try await creatorEmail(redeeming: ticket) else {
            try await outbound.close(Self.ticketRefused, reason: "The ticket is unknown, expired or already used: ask for a new one.")
            return
        }
        let live = hub.subscribe(ownerEmail: owner)
        // Two tasks a socket, no more (memory per idle socket): this one reads the
        // client's acknowledgements, the child delivers. Either ending ends the socket.
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await deliver(live, owner: owner, sender: Sender(outbound: outbound)) }
            await readAcknowledgements(from: inbound, owner: owner, outbound: outbound)
            group.cancelAll()
        }
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
    private func readAcknowledgements(from inbound: WebSocketInboundStream, owner: String, outbound: WebSocketOutboundWriter) async {
        do {
            for try await message in inbound.messages(maxSize: 1024) {
                guard case .text(let text) = message, let ack = try? Self.decoder.decode(Acknowledgement.self, from: Data(text.utf8)),
                      ack.type == "ack", ack.seq >= 0 else { continue }
                try await store.acknowledgeLeads(ownedBy: owner, upTo: ack.seq)
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

    /// The replay, then live leads, each sent once and in `seq` order.
    private func deliver(_ live: AsyncStream<HubEvent>, owner: String, sender: Sender) async throws {
        var lastSent = try await sendFromStore(owner: owner, after: 0, sender: sender)
        for await event in live {
            switch event {
            case .keepAlive:
                try await sender.ping()
            case .lead(let lead) where lead.seq <= lastSent:
                continue
            case .lead(let lead) where lead.seq == lastSent + 1:
                try await sender.send(lead)
                lastSent = lead.seq
            case .lead:
                lastSent = try await sendFromStore(owner: owner, after: lastSent, sender: sender)
            }
        }
    }

    /// Sends every unacknowledged lead after `seq`; returns the last seq sent (or `seq`).
    private func sendFromStore(owner: String, after seq: Int, sender: Sender) async throws -> Int {
        var last = seq
        while true {
            let leads = try await store.unacknowledgedLeads(ownedBy: owner, after: last, limit: Self.replayBatch)
            for lead in leads {
                try await sender.send(lead)
                last = lead.seq
            }
            if leads.count < Self.replayBatch { return last }
        }
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
    }
}
