import HummingbirdBcrypt
import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// bcrypt hashing off the event loop: a hash costs tens to hundreds of milliseconds by
/// design, and must never stall the requests served meanwhile.
public struct Passwords: Sendable {
    /// 12 in production; tests lower it to stay fast.
    public let cost: UInt8
    /// Whether hashing runs at the lowest scheduling priority (production). The parallel
    /// test suite keeps both cores busy for minutes, under which a nice-19 thread gets
    /// about 1.5% of a core and a burst of registrations can wait past a client's timeout;
    /// tests hash at normal priority instead.
    public let yieldsToRequests: Bool
    public init(cost: UInt8 = 12, yieldsToRequests: Bool = true) {
        self.cost = cost
        self.yieldsToRequests = yieldsToRequests
    }

    /// A hash to check a password against when the email is unknown, so that an unknown
    /// email and a wrong password take the same time to refuse. Made once, at start.
    func makeDecoyHash() -> String {
        Bcrypt.hash("a decoy password, never an account's", cost: cost)
    }

    /// The password hash of an account made by a code, until a reset by code sets one.
    /// Not a bcrypt hash, so no password matches it (a login checks such an account
    /// against the decoy, taking as long as any refusal), and it costs no bcrypt round to
    /// make: hashing a random password did, on the low-priority threads, which under load
    /// held each new customer's sign-in back by a hundred milliseconds.
    public static let unset = "!no password yet"

    public static let minimumLength = 10
    public static let maximumLength = 128

    /// Whether `password` has an acceptable length (API.md: 10 to 128 characters).
    public static func isAcceptable(_ password: String) -> Bool {
        (minimumLength...maximumLength).contains(password.count)
    }

    public func hash(_ password: String) async throws -> String {
        try await run { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, against hash: String) async throws -> Bool {
        try await run { Bcrypt.verify(password, hash: hash) }
    }

    private func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws -> T {
        guard yieldsToRequests else { return try await Self.threads.runIfActive(work) }
        return try await Self.lowPriorityThreads.runIfActive {
            #if os(Linux)
            // On Linux the nice value is per thread: 0 here means the calling thread. Set
            // on every run (it costs a system call) since the pool does not say which
            // threads are new.
            setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
            #endif
            return work()
        }
    }

    /// bcrypt's own threads, one per core at most, so a burst of logins cannot take the
    /// shared pool that serves files.
    private static let threads = startedPool()

    /// The same at Linux nice 19, the lowest priority: when the machine is busy a login
    /// waits a little longer, and the requests served meanwhile keep their latency. A pool
    /// of its own, because a thread that lowered its priority cannot raise it again.
    private static let lowPriorityThreads = startedPool()

    private static func startedPool() -> NIOThreadPool {
        let pool = NIOThreadPool(numberOfThreads: System.coreCount)
        pool.start()
        return pool
    }
}
