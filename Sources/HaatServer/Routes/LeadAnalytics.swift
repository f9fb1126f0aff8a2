import Foundation
import HaatStore

/// `GET /creator/analytics`: figures over the leads of the last `days` days (UTC dates,
/// today included). Pure: leads in, figures out.
struct LeadAnalytics: Encodable, Equatable {
    struct Day: Encodable, Equatable {
        let date: String
        let count: Int
    }
    struct Service: Encodable, Equatable {
        /// Nil for leads whose customer named no service.
        @OrNull var service: String?
        let count: Int
    }
    let total: Int
    let byDay: [Day]
    let byService: [Service]
    let byStatus: [String: Int]
    /// Leads that left `new` / all leads, 0–1 (0 with no leads).
    let responseRate: Double
    /// Median minutes from a lead to its first status change; nil when none changed.
    @OrNull var medianResponseMinutes: Double?

    enum CodingKeys: String, CodingKey {
        case total, byDay = "by_day", byService = "by_service", byStatus = "by_status", responseRate = "response_rate",
             medianResponseMinutes = "median_response_minutes"
    }

    static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }

    /// The first instant of the window of `days` days ending today.
    static func windowStart(days: Int, now: Date) -> Date {
        let calendar = calendar
        return calendar.date(byAdding: .day, value: -(days - 1), to: calendar.startOfDay(for: now))!
    }

    init(leads: [Lead], days: Int, now: Date) {
        let calendar = Self.calendar
        let start = Self.windowStart(days: days, now: now)
        let inWindow = leads.filter { $0.createdAt >= start }
        let formatter = DateFormatter()
        formatter.calendar = calendar
        formatter.timeZone = calendar.timeZone
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        let counts = Dictionary(grouping: inWindow) { formatter.string(from: $0.createdAt) }.mapValues(\.count)
        total = inWindow.count
        byDay = (0..<days).map { offset in
            let date = formatter.string(from: calendar.date(byAdding: .day, value: offset, to: start)!)
            return Day(date: date, count: counts[date] ?? 0)
        }
        byService = Dictionary(grouping: inWindow, by: \.service).map { Service(service: $0.key, count: $0.value.count) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : ($0.service ?? "") < ($1.service ?? "") }
        byStatus = Dictionary(uniqueKeysWithValues: LeadStatus.allCases.map { status in
            (status.rawValue, inWindow.filter { $0.status == status }.count)
        })
        let responses = inWindow.compactMap { lead in lead.firstResponseAt.map { $0.timeIntervalSince(lead.createdAt) / 60 } }.sorted()
        responseRate = inWindow.isEmpty ? 0 : Double(responses.count) / Double(inWindow.count)
        if responses.isEmpty {
            medianResponseMinutes = nil
        } else {
            let middle = responses.count / 2
            let median = responses.count % 2 == 1 ? responses[middle] : (responses[middle - 1] + responses[middle]) / 2
            medianResponseMinutes = (median * 10).rounded() / 10
        }
    }
}
