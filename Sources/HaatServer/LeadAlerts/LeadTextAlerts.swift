import Foundation
import HaatStore
import Logging
import ServiceLifecycle
import SMS

/// Texts a creator each lead still unopened the minutes it asked for after it was made
/// (API.md `PUT /creator/alerts`): one text per lead, never between 21:00 and 08:00 in
/// the operator's time zone (those wait until 08:00), nothing once the lead is
/// acknowledged. Due leads are found in the store every `interval`, so a restart loses
/// nothing, and claimed there, so that of several instances one texts each lead.
final class LeadTextAlerts: Service, Sendable {
    let store: any HaatStore
    let gateway: any SMSGateway
    let timeZone: TimeZone
    /// Where the text's link points: the site's dashboard.
    let siteURL: String
    let interval: Duration
    /// Demo mode: where each text sent is shown to its creator.
    let testLog: TestAlertLog?
    let logger: Logger
    let now: @Sendable () -> Date

    /// A claim outlives a provider's slowest answer; a lead older than a day is not texted.
    static let lease: TimeInterval = 120, maximumAge: TimeInterval = 24 * 3600, batch = 50
    /// The quiet hours, local: from 21:00 until 08:00.
    static let quietFrom = 21, quietUntil = 8
    /// A failed text is tried again this long after.
    static let retryAfter: TimeInterval = 300

    init(store: any HaatStore, gateway: any SMSGateway, timeZone: TimeZone, siteURL: String, interval: Duration = .seconds(30),
         testLog: TestAlertLog? = nil, logger: Logger, now: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.gateway = gateway
        self.timeZone = timeZone
        self.siteURL = siteURL
        self.interval = interval
        self.testLog = testLog
        self.logger = logger
        self.now = now
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.textDue()
                try? await Task.sleep(for: self.interval)
            }
        }
    }

    /// Whether `time` falls in the quiet hours of `timeZone`.
    static func isQuiet(_ time: Date, in timeZone: TimeZone) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let hour = calendar.component(.hour, from: time)
        return hour >= quietFrom || hour < quietUntil
    }

    /// Texts every lead due now; returns how many were sent.
    @discardableResult
    func textDue() async -> Int {
        let time = now()
        if Self.isQuiet(time, in: timeZone) { return 0 }
        var sent = 0
        while true {
            let due: [DueText]
            do {
                due = try await store.claimDueTexts(now: time, lease: Self.lease, maximumAge: Self.maximumAge, limit: Self.batch)
            } catch {
                logger.error("sms alerts: the due leads could not be read: \(error)")
                return sent
            }
            if due.isEmpty { return sent }
            for text in due {
                do {
                    let message = message(for: text)
                    try await gateway.send(message)
                    testLog?.recordText(message, of: text, at: now())
                    try await store.finishText(contactID: text.contactID, sentAt: now(), retryAt: time)
                    sent += 1
                } catch {
                    logger.warning("sms alerts: the text of lead \(text.contactID) was not sent: \(error)")
                    try? await store.finishText(contactID: text.contactID, sentAt: nil, retryAt: now().addingTimeInterval(Self.retryAfter))
                }
            }
        }
    }

    /// "Haat: a new lead waits for you, Birthday cake from Kiran. https://…/dashboard/?lead=ID"
    func message(for text: DueText) -> SMSMessage {
        let link = siteURL + "/dashboard/?lead=" + (text.contactID.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? text.contactID)
        let firstName = text.customerName.split(separator: " ").first.map(String.init) ?? text.customerName
        let what = (text.service?.isEmpty == false ? text.service! : "a contact") + " from " + firstName
        return SMSMessage(to: text.phone, text: "Haat: a new lead waits for you, \(what). \(link)",
                          variables: ["service": String(what.prefix(30)), "link": link])
    }
}
