import Foundation
import HaatStore

/// Where the API's rate limits are counted: in this process (`RateLimiter`, for the one
/// `haat serve` of a SQLite store), or in the store every instance shares (`StoreLimiter`,
/// PostgreSQL), so N instances allow what one allows.
protocol RequestLimiter: Sendable {
    /// Counts one event against every limit at once, or none of them (the seconds until
    /// all would admit it when any is full).
    func admit(_ limits: [(key: String, limit: RateLimiter.Limit)], now: Date) async throws -> Result<LimitAdmission, RateLimited>
    /// Takes back the events of `admission` (a correct password is no failed login).
    func release(_ admission: LimitAdmission) async throws
}

extension RequestLimiter {
    /// Counts one event and says whether it went over: the common "try, then count" case.
    func hit(_ key: String, limit: RateLimiter.Limit, now: Date = Date()) async throws -> Int? {
        switch try await admit([(key, limit)], now: now) {
        case .success: nil
        case .failure(let limited): limited.retryAfter
        }
    }
}

/// Events counted by `admit`, each with the start of the window it was counted in.
struct LimitAdmission: Sendable {
    let counted: [(key: String, windowStart: Date)]
}

/// The limits counted in a shared store.
struct StoreLimiter: RequestLimiter {
    let store: any SharedRateLimits

    func admit(_ limits: [(key: String, limit: RateLimiter.Limit)], now: Date) async throws -> Result<LimitAdmission, RateLimited> {
        let asked = limits.map { StoreRateLimit(key: $0.key, count: $0.limit.count, window: $0.limit.window) }
        switch try await store.admit(asked, now: now) {
        case .admitted(let windows): return .success(LimitAdmission(counted: windows.map { ($0.key, $0.start) }))
        case .limited(let wait): return .failure(RateLimited(retryAfter: wait))
        }
    }

    func release(_ admission: LimitAdmission) async throws {
        try await store.release(admission.counted.map { StoreRateWindow(key: $0.key, start: $0.windowStart) })
    }
}

/// Where the contact limit is counted. Every reveal passes it, so a store shared by
/// instances counts it inside the reveal's own statement (`ContactRequest.sharedLimit`)
/// rather than in a statement of its own; one process counts it in memory first.
enum ContactLimitCounter: Sendable {
    case inMemory(RateLimiter)
    case byTheStore

    init(for store: any HaatStore) {
        self = store is any SharedRateLimits ? .byTheStore : .inMemory(RateLimiter())
    }
}
