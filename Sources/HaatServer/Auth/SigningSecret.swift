/// The rules a JWT signing secret (`HAAT_JWT_SECRET`) must meet before `haat serve` starts:
/// long enough, and not obviously guessable. They catch typed placeholders (40 × `a`,
/// `changeme` repeated, `abcabc…`), not every weak secret: no rule on a string can prove
/// it random, so the advice stays `openssl rand -hex 32`.
public enum SigningSecret {
    public static let minimumBytes = 32
    /// Distinct bytes a secret must hold. A hexadecimal secret has only 16 symbols to
    /// draw from, and one in four outputs of `openssl rand -hex 32` lacks one of them, so
    /// 16 cannot be asked of it; 10 can (fewer happens by chance once in 10^9 for 64 hex
    /// digits, 10^4 for 32).
    public static let minimumDistinctBytes = 16
    public static let minimumDistinctHexDigits = 10

    /// Why `secret` must not sign tokens, as the end of a sentence about it; nil when it may.
    public static func problem(_ secret: String) -> String? {
        let bytes = Array(secret.utf8)
        guard bytes.count >= minimumBytes else {
            return "is \(bytes.count) bytes long; it must be at least \(minimumBytes)"
        }
        if let period = shortestPeriod(bytes), period <= bytes.count / 2 {
            return period == 1
                ? "is one character repeated"
                : "is \(period) characters repeated; use a random secret"
        }
        let distinct = Set(bytes).count
        let isHex = bytes.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
            || bytes.allSatisfy { (48...57).contains($0) || (65...70).contains($0) }
        let needed = isHex ? minimumDistinctHexDigits : minimumDistinctBytes
        guard distinct >= needed else {
            return "has only \(distinct) distinct characters (at least \(needed)): it is not random"
        }
        return nil
    }

    /// The length of the shortest block that `bytes` repeats (whole or cut short at the
    /// end), by the prefix function; nil when no shorter block makes it.
    static func shortestPeriod(_ bytes: [UInt8]) -> Int? {
        guard bytes.count > 1 else { return nil }
        var border = [Int](repeating: 0, count: bytes.count)
        for index in 1..<bytes.count {
            var length = border[index - 1]
            while length > 0 && bytes[index] != bytes[length] { length = border[length - 1] }
            if bytes[index] == bytes[length] { length += 1 }
            border[index] = length
        }
        let period = bytes.count - border[bytes.count - 1]
        return period < bytes.count ? period : nil
    }
}
