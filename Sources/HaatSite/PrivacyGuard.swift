import Foundation
import HaatCore

/// Asserts DESIGN.md's first invariant on every file the build writes: no creator's
/// phone, WhatsApp number, email or account appears anywhere under `site/`.
///
/// Phone numbers are matched the way a scraper would find them: the last ten digits,
/// even when spaces, dots, dashes or brackets break them up.
public struct PrivacyGuard: Sendable {
    private let phoneDigits: Set<UInt64>
    private let emails: Set<String>

    public init(creators: [Creator]) {
        var phones: Set<UInt64> = []
        var emails: Set<String> = []
        for creator in creators {
            for phone in [creator.contact.phone, creator.contact.whatsapp].compactMap({ $0 }) {
                if let lastTen = UInt64(phone.digits.suffix(10)) { phones.insert(lastTen) }
            }
            emails.insert(creator.account.value)
            if let email = creator.contact.email { emails.insert(email.value) }
        }
        phoneDigits = phones
        self.emails = emails
    }

    /// What private value `data` leaks, if any (described without repeating it whole).
    public func leak(in data: Data) -> String? {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> String? in
            let bytes = raw.bindMemory(to: UInt8.self)
            var window: UInt64 = 0
            var digitsInRun = 0
            for (index, byte) in bytes.enumerated() {
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    window = (window * 10 + UInt64(byte - 48)) % 10_000_000_000
                    digitsInRun += 1
                    if digitsInRun >= 10, phoneDigits.contains(window) {
                        let text = String(format: "%010llu", window)
                        return "a creator's phone number (\(text.prefix(3))…\(text.suffix(2)))"
                    }
                case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "+"):
                    continue
                case UInt8(ascii: "@"):
                    digitsInRun = 0
                    if let email = Self.email(around: index, in: bytes), emails.contains(email) {
                        return "a creator's private email (\(email.prefix(3))…)"
                    }
                default:
                    digitsInRun = 0
                }
            }
            return nil
        }
    }

    private static func isEmailByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "%"), UInt8(ascii: "+"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    private static func email(around at: Int, in bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var start = at
        while start > 0, isEmailByte(bytes[start - 1]) { start -= 1 }
        var end = at + 1
        while end < bytes.count, isEmailByte(bytes[end]) { end += 1 }
        while end > at + 1, bytes[end - 1] == UInt8(ascii: ".") { end -= 1 }
        guard start < at, end > at + 1 else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self).lowercased()
    }
}
