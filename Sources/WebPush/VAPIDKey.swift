import Crypto
import Foundation
import JWTKit
import Synchronization

/// The application server's identity to push services (RFC 8292): a P-256 key whose public
/// half browsers subscribe with, and a JWT, signed ES256 with the private half, on every
/// push request. A token is reused for its push service until halfway to its expiry, as
/// RFC 8292 §2 allows: signing one for every message would cost a signature each.
public final class VAPIDKey: Sendable {
    public enum KeyError: Error, Equatable, CustomStringConvertible {
        case unreadable
        case badSubject
        public var description: String {
            switch self {
            case .unreadable: "not a P-256 private key (PEM, or its 32 bytes in base64url)"
            case .badSubject: "the subject must be a mailto: or https: URL"
            }
        }
    }

    public let privateKey: P256.Signing.PrivateKey
    /// Who push services may contact about these pushes (RFC 8292 §2.1).
    public let subject: String
    /// How long a token is good for: RFC 8292 allows at most 24 hours.
    public let tokenLifetime: TimeInterval
    /// Each push service's (audience's) token, and when to sign a new one.
    private let tokens = Mutex<[String: (token: String, renewAt: Date)]>([:])

    public init(privateKey: P256.Signing.PrivateKey, subject: String, tokenLifetime: TimeInterval = 12 * 3600) throws {
        guard subject.hasPrefix("mailto:") || subject.hasPrefix("https:") else { throw KeyError.badSubject }
        self.privateKey = privateKey
        self.subject = subject
        self.tokenLifetime = min(tokenLifetime, 24 * 3600)
    }

    /// `text` as configured: a PEM private key, or the key's 32 bytes in base64url.
    public static func privateKey(from text: String) throws -> P256.Signing.PrivateKey {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("-----BEGIN") {
            guard let key = try? P256.Signing.PrivateKey(pemRepresentation: trimmed) else { throw KeyError.unreadable }
            return key
        }
        guard let raw = Base64URL.decode(trimmed), raw.count == 32,
              let key = try? P256.Signing.PrivateKey(rawRepresentation: raw) else { throw KeyError.unreadable }
        return key
    }

    /// The public key as browsers take it (`applicationServerKey`): the uncompressed point, base64url.
    public var publicKey: String { Base64URL.encode(privateKey.publicKey.x963Representation) }

    /// The `Authorization` header for a push to `endpoint`: `vapid t=<JWT>,k=<public key>` (no space: some parsers, py-vapid's among them, want none),
    /// the JWT's audience the endpoint's origin, expiring `tokenLifetime` after it was signed.
    public func authorization(for endpoint: URL, now: Date = Date()) async throws -> String {
        let audience = Self.origin(of: endpoint)
        if let kept = tokens.withLock({ $0[audience] }), kept.renewAt > now { return "vapid t=\(kept.token),k=\(publicKey)" }
        let signers = await JWTKeyCollection().add(ecdsa: try ES256PrivateKey(backing: privateKey))
        let claims = Claims(aud: audience, exp: Int(now.timeIntervalSince1970 + tokenLifetime), sub: subject)
        let token = try await signers.sign(claims, header: ["typ": "JWT"])
        tokens.withLock { $0[audience] = (token, now.addingTimeInterval(tokenLifetime / 2)) }
        return "vapid t=\(token),k=\(publicKey)"
    }

    /// scheme://host[:port], as RFC 8292 §2's `aud`.
    static func origin(of url: URL) -> String {
        let host = url.host.map { $0.contains(":") && !$0.hasPrefix("[") ? "[\($0)]" : $0 } ?? ""
        return "\(url.scheme ?? "https")://\(host)" + (url.port.map { ":\($0)" } ?? "")
    }

    struct Claims: JWTPayload {
        let aud: String
        let exp: Int
        let sub: String
        // Only ever signed here; push services verify it.
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }
}

/// Base64 with the URL alphabet and no padding (RFC 4648 §5), as Web Push writes keys.
public enum Base64URL {
    public static func encode(_ data: some DataProtocol) -> String {
        Data(data).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Nil for text that is not base64 (either alphabet, padded or not: browsers differ).
    public static func decode(_ text: String) -> Data? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
        return Data(base64Encoded: standard)
    }
}
