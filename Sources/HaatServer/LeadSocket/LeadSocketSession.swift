import Foundation
import HaatStore
import NIOWebSocket

/// What one open lead socket still has to do: leads to send, in `seq` order, and the
/// creator's acknowledgements to record. (Keep-alives are the socket handler's: they
/// must not wait behind a lead that a dead connection will never take.)
///
/// Each of the two is done by a task that exists only while there is some of it to do.
/// A task that waits keeps every stack slab it ever needed, and the store's calls are
/// deep: a task parked per socket would cost kilobytes per idle creator (the `notify`
/// benchmark measures it). The two are apart so that a lead never waits for an
/// acknowledgement's write.
final class LeadSocketSession: @unchecked Sendable {
    private enum Work {
        /// Send every unacknowledged lead after the last one sent, from the store.
        case catchUp
        case lead(Lead)
        /// Lead `seq` exists (made on another instance): read from the store if not sent.
        case announced(Int)
    }

    /// Past this many queued events (a socket that cannot keep up), the queue becomes one
    /// catch-up from the store, which sends the same leads.
    static let queueLimit = 64

    private let owner: String
    private let store: any HaatStore
    private let sender: LeadSocketHandler.Sender
    private let lock = NSLock()
    private var queue: [Work] = []
    private var sending = false
    /// The highest acknowledgement received and not yet recorded.
    private var acknowledgement: Int?
    private var recording = false
    private var closed = false
    /// The last `seq` sent; only the sending task reads or writes it.
    private var lastSent = 0

    init(owner: String, store: any HaatStore, sender: LeadSocketHandler.Sender) {
        self.owner = owner
        self.store = store
        self.sender = sender
    }

    /// Sends what is waiting in the store: call once, after subscribing to the hub, so
    /// that a lead made in between is sent by one or the other, never by neither.
    func start() { enqueue(.catchUp) }

    /// A lead published on this instance.
    func send(_ lead: Lead) { enqueue(.lead(lead)) }

    /// Lead `seq` was made on another instance.
    func sendAnnounced(_ seq: Int) { enqueue(.announced(seq)) }

    /// Records (soon) that the creator has seen every lead up to `seq`; acknowledgements
    /// are cumulative, so only the highest waiting one is written.
    func acknowledge(upTo seq: Int) {
        let mustStart: Bool = lock.withLock {
            acknowledgement = max(acknowledgement ?? seq, seq)
            if recording { return false }
            recording = true
            return true
        }
        if mustStart { Task { await self.record() } }
    }

    /// The socket is closing: nothing more is sent; a waiting acknowledgement is still recorded.
    func close() {
        lock.withLock {
            closed = true
            queue.removeAll()
        }
    }

    private var isClosed: Bool { lock.withLock { closed } }

    private func enqueue(_ work: Work) {
        let mustStart: Bool = lock.withLock {
            guard !closed else { return false }
            if queue.count >= Self.queueLimit {
                queue = [.catchUp]
            } else {
                queue.append(work)
            }
            if sending { return false }
            sending = true
            return true
        }
        if mustStart { Task { await self.send() } }
    }

    private func send() async {
        while let work = nextWork() {
            do {
                try await perform(work)
            } catch {
                // The socket is gone, or the store failed mid-replay: close, and the
                // dashboard's reconnect replays whatever was not sent.
                close()
                try? await sender.close(.unexpectedServerError, reason: "Lead delivery failed: reconnect to receive every lead.")
            }
        }
    }

    /// The next thing to send, or nil (and the sending task ends) when there is none.
    private func nextWork() -> Work? {
        lock.withLock {
            if !closed, !queue.isEmpty { return queue.removeFirst() }
            sending = false
            return nil
        }
    }

    private func record() async {
        while let seq = nextAcknowledgement() {
            // A failure is made good by the creator's next acknowledgement, which covers this one.
            try? await store.acknowledgeLeads(ownedBy: owner, upTo: seq)
        }
    }

    private func nextAcknowledgement() -> Int? {
        lock.withLock {
            if let seq = acknowledgement {
                acknowledgement = nil
                return seq
            }
            recording = false
            return nil
        }
    }

    /// Each lead once and in order: one already sent is skipped; one that leaves a gap
    /// (a publication missed, another instance's lead) sends the socket to the store.
    private func perform(_ work: Work) async throws {
        switch work {
        case .lead(let lead) where lead.seq <= lastSent:
            return
        case .announced(let seq) where seq <= lastSent:
            return
        case .lead(let lead) where lead.seq == lastSent + 1:
            try await sender.send(lead)
            lastSent = lead.seq
        case .lead, .announced, .catchUp:
            lastSent = try await sendFromStore(after: lastSent)
        }
    }

    /// Sends every unacknowledged lead after `seq`; returns the last seq sent (or `seq`).
    private func sendFromStore(after seq: Int) async throws -> Int {
        var last = seq
        while true {
            let leads = try await store.unacknowledgedLeads(ownedBy: owner, after: last, limit: LeadNotificationSocket.replayBatch)
            for lead in leads {
                // Nothing after our close frame (RFC 6455 5.5.1), even mid-replay.
                guard !isClosed else { return last }
                try await sender.send(lead)
                last = lead.seq
            }
            if leads.count < LeadNotificationSocket.replayBatch { return last }
        }
    }
}
