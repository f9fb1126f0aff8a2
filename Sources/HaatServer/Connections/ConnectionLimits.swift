import Glibc

/// How long a client may take, and how many connections may be open at once
/// (`HAAT_HEADER_TIMEOUT`, `HAAT_BODY_TIMEOUT`, `HAAT_BODY_MIN_RATE`, `HAAT_IDLE_TIMEOUT`,
/// `HAAT_MAX_CONNECTIONS`). Without them, a client sending a header line every 2 s or a
/// body byte every 2 s held its connection for ever, and idle connections had no bound.
/// `ConnectionDeadlines` applies the timeouts, `ConnectionCap` the cap.
public struct ConnectionLimits: Sendable {
    /// From a connection's opening, or from the first byte of a later request on it, to
    /// the end of the request's head.
    public var headerTimeout: Duration = .seconds(10)
    /// The body is allowed this long, plus one second for every `bodyMinimumRate` bytes it
    /// has brought: a rate, not a total time, because an 8 MiB photo from a phone on a
    /// slow 3G link (400 kbit/s up) takes about three minutes to arrive, while a trickle
    /// of a byte every 2 s must not last. The default rate, 4 KiB/s (32 kbit/s), is a 2G
    /// (GPRS) upload's, an eighth of slow 3G's: no phone that can use the site is slower,
    /// and an 8 MiB upload is still bounded (30 s + 34 minutes).
    public var bodyTimeout: Duration = .seconds(30)
    /// Bytes a second a body must average, over and above `bodyTimeout`'s allowance.
    public var bodyMinimumRate: Int = 4096
    /// Between a response and the first byte of the next request on a kept-alive
    /// connection. Not for the lead WebSocket, whose pings say whether it is alive.
    public var idleTimeout: Duration = .seconds(60)
    /// Connections open at once (lead sockets included); beyond it a new connection is
    /// closed as soon as it is accepted.
    public var maxConnections: Int = ConnectionLimits.defaultMaxConnections()

    public init() {}

    /// The process's open-file limit, less what the store, the site's files and the
    /// uploads need, so that connections can never take the descriptors they need.
    public static func defaultMaxConnections() -> Int {
        var limit = rlimit()
        // RLIM_INFINITY is rlim_t's largest value (Swift cannot import the C macro).
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return 10_000 }
        return max(64, Int(clamping: limit.rlim_cur) - reservedDescriptors)
    }

    static let reservedDescriptors = 128
}
