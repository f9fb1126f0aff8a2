import Foundation

/// Fixed-window counters in memory, per key (`login-email:…`, `register-ip:…`). Enough for
/// one `haat serve` (SQLite); instances sharing PostgreSQL count in it (`StoreLimiter`).
/// Each limit is configurable and scaled by `HAAT_RATE_LIMIT_SCALE`.
/// A lock rather than an actor: every contact reveal passes here, and a hop to another
/// executor would cost more than the counting.
///
/// Checking and counting happen under one lock (`admit`), before the work they limit, so
/// concurrent requests can never pass a limit between a check and a count.
final class RateLimiter: RequestLimiter, @unchecked Sendable {
    private let lock = NSLock()
    struct Limit: Sendable {
        let count: Int
        let window: TimeInterval
    }

    typealias Admission = LimitAdmission

    private var windows: [String: (start: Date, count: Int)] = [:]
    private var lastSweep = Date()

    /// Counts one event against every limit at once, or none of them: nil and the seconds
    /// until all would admit it when any is already full.
    func admit(_ limits: [(key: String, limit: Limit)], now: Date = Date()) -> Result<Admission, RateLimited> {
        lock.withLock {
            let waits = limits.compactMap { unlockedRetryAfter($0.key, limit: $0.limit, now: now) }
            if let wait = waits.max() { return .failure(RateLimited(retryAfter: wait)) }
            return .success(Admission(counted: limits.map { key, limit in (key, unlockedRecord(key, limit: limit, now: now)) }))
        }
    }

    /// Takes back the events of `admission` (in windows that have not moved on since).
    func release(_ admission: Admission) {
        lock.withLock {
            for (key, start) in admission.counted {
                if let window = windows[key], window.start == start, window.count > 0 { windows[key] = (start, window.count - 1) }
            }
        }
    }

    private func unlockedRetryAfter(_ key: String, limit: Limit, now: Date) -> Int? {
        guard let window = windows[key], now.timeIntervalSince(window.start) < limit.window, window.count >= limit.count else { return nil }
        return max(1, Int((limit.window - now.timeIntervalSince(window.start)).rounded(.up)))
    }

    /// Counts one event for `key`; returns the start of the window it was counted in.
    private func unlockedRecord(_ key: String, limit: Limit, now: Date) -> Date {
        sweep(now: now, window: limit.window)
        if let window = windows[key], now.timeIntervalSince(window.start) < limit.window {
            windows[key] = (window.start, window.count + 1)
            return window.start
        }
        windows[key] = (now, 1)
        return now
    }

    /// Forgets old windows now and then, so memory stays bounded.
    private func sweep(now: Date, window: TimeInterval) {
        guard now.timeIntervalSince(lastSweep) > 60 else { return }
        lastSweep = now
        windows = windows.filter { now.timeIntervalSince($0.value.start) < max(window, 3600) }
    }
}

/// A limit was full: try again in `retryAfter` seconds.
struct RateLimited: Error, Sendable {
    let retryAfter: Int
}
