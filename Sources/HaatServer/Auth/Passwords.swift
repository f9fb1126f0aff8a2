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
    public init(cost: UInt8 = 12) {
        self.cost = cost
    }

    /// A hash to check a password against when the email is unknown, so that an unknown
    /// email and a wrong password take the same time to refuse. Made once, at start.
    func makeDecoyHash() -> String {
        Bcrypt.hash("a decoy password, never an account's", cost: cost)
    }

    public static let minimumLength = 10
    public static let maximumLength = 128

    /// Whether `password` has an acceptable length (API.md: 10 to 128 characters).
    public static func isAcceptable(_ password: String) -> Bool {
        (minimumLength...maximumLength).contains(password.count)
    }

    public func hash(_ password: String) async throws -> String {
        try await Self.threads.runIfActive { Self.yieldingToRequests { Bcrypt.hash(password, cost: cost) } }
    }

    func verify(_ password: String, against hash: String) async throws -> Bool {
        try await Self.threads.runIfActive { Self.yieldingToRequests { Bcrypt.verify(password, hash: hash) } }
    }

    /// bcrypt's own threads, one per core at most, so a burst of logins cannot take the
    /// shared pool that serves files.
    private static let threads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: System.coreCount)
        pool.start()
        return pool
    }()

    /// Runs `work` at a lower scheduling priority (Linux nice 19, the lowest, for this thread only):
    /// when the machine is busy a login waits a little longer, and the requests served
    /// meanwhile keep their latency.
    private static func yieldingToRequests<T>(_ work: () -> T) -> T {
        #if os(Linux)
        // On Linux the nice value is per thread: 0 here means the calling thread.
        setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
        #endif
        return work()
    }
}
