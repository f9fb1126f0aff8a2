import Foundation

/// Fixed-window counters in memory, per key (`login-email:…`, `register-ip:…`). Enough for
/// one `haat serve`; each limit is configurable and scaled by `HAAT_RATE_LIMIT_SCALE`.
/// A lock rather than an actor: every contact reveal passes here, and a hop to another
/// executor would cost more than the counting.
final class RateLimiter: @unchecked Sendable {
    private let lock = NSLock()
    struct Limit: Sendable {
        let count: Int
        let window: TimeInterval
    }

    private var windows: [String: (start: Date, count: Int)] = [:]
    private var lastSweep = Date()

    /// Seconds until `key` may be tried again, or nil while under `limit`.
    func retryAfter(_ key: String, limit: Limit, now: Date = Date()) -> Int? {
        lock.withLock { unlockedRetryAfter(key, limit: limit, now: now) }
    }

    private func unlockedRetryAfter(_ key: String, limit: Limit, now: Date) -> Int? {
        guard let window = windows[key], now.timeIntervalSince(window.start) < limit.window, window.count >= limit.count else { return nil }
        return max(1, Int((limit.window - now.timeIntervalSince(window.start)).rounded(.up)))
    }

    /// Counts one event for `key`.
    func record(_ key: String, limit: Limit, now: Date = Date()) {
        lock.withLock { unlockedRecord(key, limit: limit, now: now) }
    }

    private func unlockedRecord(_ key: String, limit: Limit, now: Date) {
        sweep(now: now, window: limit.window)
        if let window = windows[key], now.timeIntervalSince(window.start) < limit.window {
            windows[key] = (window.start, window.count + 1)
        } else {
            windows[key] = (now, 1)
        }
    }

    /// Counts one event and says whether it went over: the common "try, then count" case.
    func hit(_ key: String, limit: Limit, now: Date = Date()) -> Int? {
        lock.withLock {
            if let wait = unlockedRetryAfter(key, limit: limit, now: now) { return wait }
            unlockedRecord(key, limit: limit, now: now)
            return nil
        }
    }

    /// Forgets old windows now and then, so memory stays bounded.
    private func sweep(now: Date, window: TimeInterval) {
        guard now.timeIntervalSince(lastSweep) > 60 else { return }
        lastSweep = now
        windows = windows.filter { now.timeIntervalSince($0.value.start) < max(window, 3600) }
    }
}
