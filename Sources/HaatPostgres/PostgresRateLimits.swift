import Foundation
import HaatStore

/// Rate limits counted in PostgreSQL, shared by every instance: a fixed window per key
/// (`rate_windows`), as `RateLimiter` keeps them in memory for one process. Each limit is
/// one statement that counts the event only if its window has room (the row lock of the
/// upsert orders concurrent requests on any instance); several limits are counted in one
/// transaction, rolled back whole when one is full, so an event counts against all or none.
extension PostgresStore: SharedRateLimits {
    private struct Full: Error {
        let retryAfter: Int
    }

    public func admit(_ limits: [StoreRateLimit], now: Date) async throws -> StoreRateAdmission {
        try await sweepEndedWindows(now: now)
        // In key order: two requests counting the same keys never wait on each other in a circle.
        let ordered = limits.sorted { $0.key < $1.key }
        do {
            @Sendable func countAll(in database: any SQLExecutor) async throws -> [StoreRateWindow] {
                var windows: [StoreRateWindow] = []
                for limit in ordered { windows.append(try await Self.count(limit, now: now, in: database)) }
                return windows
            }
            // One limit is one statement: no transaction around it.
            return .admitted(ordered.count == 1 ? try await read(countAll) : try await transaction(countAll))
        } catch let full as Full {
            return .limited(retryAfter: full.retryAfter)
        }
    }

    public func release(_ windows: [StoreRateWindow]) async throws {
        try await read { database in
            for window in windows {
                try await database.execute("""
                    UPDATE rate_windows SET count = count - 1 WHERE key = \(window.key) AND started_at = \(window.start) AND count > 0
                    """)
            }
        }
    }

    /// No limit's window is longer than this (the longest, registrations', is an hour).
    static let longestWindow: TimeInterval = 24 * 3600
    static let sweepEvery: TimeInterval = 600

    /// A key's row outlives its window until the key comes again; a key that never does
    /// (a customer gone, an address seen once) is cleared here, every ten minutes at most
    /// on each instance: one statement on the windows that ended a day ago.
    private func sweepEndedWindows(now: Date) async throws {
        let due = rateWindowsSwept.withLock { last in
            guard now.timeIntervalSince(last) >= Self.sweepEvery else { return false }
            last = now
            return true
        }
        guard due else { return }
        try await read { database in
            try await database.execute("DELETE FROM rate_windows WHERE started_at < \(now.addingTimeInterval(-Self.longestWindow))")
        }
    }

    /// Counts one event for `limit`, or throws `Full` with the seconds until its window ends.
    private static func count(_ limit: StoreRateLimit, now: Date, in database: any SQLExecutor) async throws -> StoreRateWindow {
        let expired = now.addingTimeInterval(-limit.window)
        if let start = try await database.value("""
            INSERT INTO rate_windows AS w (key, started_at, count) VALUES (\(limit.key), \(now), 1)
            ON CONFLICT (key) DO UPDATE SET
                started_at = CASE WHEN w.started_at <= \(expired) THEN \(now) ELSE w.started_at END,
                count = CASE WHEN w.started_at <= \(expired) THEN 1 ELSE w.count + 1 END
            WHERE w.started_at <= \(expired) OR w.count < \(limit.count)
            RETURNING started_at
            """, as: Date.self) {
            return StoreRateWindow(key: limit.key, start: start)
        }
        let start = try await database.value("SELECT started_at FROM rate_windows WHERE key = \(limit.key)", as: Date.self) ?? now
        throw Full(retryAfter: max(1, Int((limit.window - now.timeIntervalSince(start)).rounded(.up))))
    }
}
