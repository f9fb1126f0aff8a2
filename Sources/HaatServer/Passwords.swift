import HummingbirdBcrypt
import NIOPosix

/// bcrypt hashing off the event loop: a hash costs tens to hundreds of milliseconds by
/// design, and must never stall the requests served meanwhile.
struct Passwords: Sendable {
    /// 12 in production; tests lower it to stay fast.
    let cost: UInt8
    /// A hash to check a password against when the email is unknown, so that an unknown
    /// email and a wrong password take the same time to refuse. Made once, at start.
    let decoyHash: String

    init(cost: UInt8) {
        self.cost = cost
        decoyHash = Bcrypt.hash("a decoy password, never an account's", cost: cost)
    }

    static let minimumLength = 10
    static let maximumLength = 128

    func hash(_ password: String) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, against hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}
