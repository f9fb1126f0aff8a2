import Foundation
import HaatStore
import SMS
import Synchronization

/// Demo mode's record of the alerts the server sent each creator, for the dashboard's
/// "Test alerts" panel (`GET /creator/alerts/log`). A demo server texts its console, not
/// phones, and a laptop trying Haat rarely has a browser subscribed to push: the panel
/// shows a creator what their phone would have got. In memory, the newest `kept` per
/// creator; nothing of it outlives the demo.
final class TestAlertLog: Sendable {
    struct Entry: Sendable {
        enum Alert: Sendable {
            /// A lead, as a push carries it to each of the creator's devices.
            case push(LeadMessage)
            /// A text, as the SMS provider would have been given it.
            case text(SMSMessage, contactID: String)
        }
        let alert: Alert
        let at: Date
    }

    static let kept = 20
    /// Per creator (owner email), newest last.
    private let entries = Mutex<[String: [Entry]]>([:])

    func recordPush(of lead: Lead, at time: Date = Date()) {
        record(Entry(alert: .push(LeadMessage(lead)), at: time), for: lead.ownerEmail)
    }

    func recordText(_ message: SMSMessage, of text: DueText, at time: Date = Date()) {
        record(Entry(alert: .text(message, contactID: text.contactID), at: time), for: text.ownerEmail)
    }

    /// The creator's alerts, newest first.
    func entries(for ownerEmail: String) -> [Entry] {
        entries.withLock { $0[ownerEmail] ?? [] }.reversed()
    }

    private func record(_ entry: Entry, for ownerEmail: String) {
        entries.withLock { all in
            var mine = all[ownerEmail] ?? []
            mine.append(entry)
            if mine.count > Self.kept { mine.removeFirst(mine.count - Self.kept) }
            all[ownerEmail] = mine
        }
    }
}

/// The lead hub, telling the test alert log of each lead it pushes.
struct TestAlertLoggingHub: NotificationHub {
    let inner: any NotificationHub
    let log: TestAlertLog

    func publish(_ lead: Lead) {
        inner.publish(lead)
        log.recordPush(of: lead)
    }

    func subscribe(ownerEmail: String, receive: @escaping @Sendable (HubEvent) -> Void) -> HubSubscription {
        inner.subscribe(ownerEmail: ownerEmail, receive: receive)
    }
}
