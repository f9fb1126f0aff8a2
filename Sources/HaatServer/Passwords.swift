import HummingbirdBcrypt
import NIOPosix

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
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, against hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}
