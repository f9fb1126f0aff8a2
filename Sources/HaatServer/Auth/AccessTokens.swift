import Foundation
import HaatStore
import JWTKit

/// Short-lived access tokens: JWT, HS256 through jwt-kit, with `sub` (the account id),
/// `role`, `iat` and `exp` (15 minutes by default), the times in whole seconds. Only HS256
/// tokens signed with our secret verify: `alg: none` and other algorithms are refused by
/// the key collection.
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
    /// Tokens already verified, until they expire: a busy customer sends the same token
    /// many times a minute, and verifying it again would change nothing.
    private let verified = VerifiedTokens()

    init(secret: String, lifetime: TimeInterval) async {
        // jwt-kit writes dates as fractional seconds by default; API.md (and verifiers in
        // other languages, which parse NumericDate as an integer) want whole seconds.
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .integerSecondsSince1970
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256, serializer: DefaultJWTSerializer(jsonEncoder: encoder))
        self.lifetime = lifetime
    }

    func issue(for account: Account, now: Date = Date()) async throws -> String {
        try await keys.sign(Claims(sub: .init(value: account.id), role: account.role.rawValue, iat: .init(value: now),
                                   exp: .init(value: now.addingTimeInterval(lifetime))))
    }

    /// The claims of a valid, unexpired token; nil for anything else.
    func verify(_ token: String, now: Date = Date()) async -> Claims? {
        if let claims = verified.claims(for: token, now: now) { return claims }
        guard let claims = try? await keys.verify(token, as: Claims.self) else { return nil }
        verified.remember(claims, for: token)
        return claims
    }
}

/// A bounded memo of verified tokens; an entry is used only before its token's `exp`.
final class VerifiedTokens: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: AccessTokens.Claims] = [:]
    private let capacity = 10_000

    func claims(for token: String, now: Date) -> AccessTokens.Claims? {
        lock.withLock {
            guard let claims = entries[token] else { return nil }
            guard claims.exp.value > now else {
                entries[token] = nil
                return nil
            }
            return claims
        }
    }

    func remember(_ claims: AccessTokens.Claims, for token: String) {
        lock.withLock {
            // Simplest bound: start afresh when full (tokens live 15 minutes anyway).
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[token] = claims
        }
    }
}
