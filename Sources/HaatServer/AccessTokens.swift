import Foundation
import HaatStore
import JWTKit

/// Short-lived access tokens: JWT, HS256 through jwt-kit, with `sub` (the account id),
/// `role`, `iat` and `exp` (15 minutes by default). Only HS256 tokens signed with our
/// secret verify: `alg: none` and other algorithms are refused by the key collection.
struct AccessTokens: Sendable {
    struct Claims: JWTPayload {
        var sub: SubjectClaim
        var role: String
        var iat: IssuedAtClaim
        var exp: ExpirationClaim

        func verify(using algorithm: some JWTAlgorithm) throws {
            try exp.verifyNotExpired()
        }
    }

    let keys: JWTKeyCollection
    let lifetime: TimeInterval

    init(secret: String, lifetime: TimeInterval) async {
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.lifetime = lifetime
    }

    func issue(for account: Account, now: Date = Date()) async throws -> String {
        try await keys.sign(Claims(sub: .init(value: account.id), role: account.role.rawValue, iat: .init(value: now),
                                   exp: .init(value: now.addingTimeInterval(lifetime))))
    }

    /// The claims of a valid, unexpired token; nil for anything else.
    func verify(_ token: String) async -> Claims? {
        try? await keys.verify(token, as: Claims.self)
    }
}
