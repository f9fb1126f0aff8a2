import Crypto
import Foundation

/// Six-digit codes from the system's cryptographic generator, kept only as an HMAC-SHA256
/// under a key derived from the server's signing secret (a leaked database holds no code,
/// and 10^6 codes are not worth hashing without the key), checked in constant time.
struct OneTimeCodes: Sendable {
    private let key: SymmetricKey

    init(secret: String) {
        // A key of its own, derived from the JWT secret: a code's MAC is never a token's.
        let derived = HMAC<SHA256>.authenticationCode(for: Data("haat one-time codes v1".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        key = SymmetricKey(data: Data(derived))
    }

    /// A new code: six digits, each of the 10^6 equally likely.
    static func newCode() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(format: "%06d", Int.random(in: 0..<1_000_000, using: &generator))
    }

    /// The stored form of `code` for the code record `id` (so one code's MAC is no other's).
    func hash(_ code: String, id: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Self.message(code, id: id), using: key).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `code` is the one `stored` was made from, in constant time.
    func matches(_ code: String, id: String, stored: String) -> Bool {
        guard let mac = Self.bytes(hex: stored) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Self.message(code, id: id), using: key)
    }

    private static func message(_ code: String, id: String) -> Data { Data("\(id):\(code)".utf8) }

    private static func bytes(hex: String) -> Data? {
        guard hex.count == 64 else { return nil }
        var data = Data(capacity: 32)
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            data.append(byte)
            index = next
        }
        return data
    }
}
