import Foundation

/// Finds creators' private contact data (phone, WhatsApp number, email, account) in
/// text. Two users, one matcher: the build asserts DESIGN.md's first invariant with it
/// on every file it writes (nothing private anywhere under `site/`), and `CreatorParser`
/// refuses a profile whose public fields or story hold its own private values, so such a
/// revision is never recorded, approved, or left to stop every build.
///
/// Phone numbers are matched the way a scraper would find them: the last ten digits,
/// even when spaces, dots, dashes or brackets break them up.
public struct PrivacyGuard: Sendable {
    private let phoneDigits: Set<UInt64>
    private let emails: Set<String>

    /// Where private data was found, and which kind, described without repeating it whole.
    public struct Leak: Sendable, Equatable, CustomStringConvertible {
        public enum Kind: Sendable, Equatable {
            case phone
            case email
        }

        public let kind: Kind
        /// Enough of the value to recognise it (`982…45`, `own…`).
        public let hint: String
        /// The byte offset in the scanned text where the match ends (a phone's last
        /// digit, an email's `@`).
        public let offset: Int

        public var description: String {
            switch kind {
            case .phone: "a creator's phone number (\(hint))"
            case .email: "a creator's private email (\(hint))"
            }
        }
    }

    public init(creators: [Creator]) {
        self.init(creators.map { ($0.account, $0.contact) })
    }

    /// One profile's private values: what its own public text must not contain.
    public init(account: EmailAddress, contact: ContactDetails) {
        self.init([(account, contact)])
    }

    private init(_ profiles: [(account: EmailAddress, contact: ContactDetails)]) {
        var phones: Set<UInt64> = []
        var emails: Set<String> = []
        for (account, contact) in profiles {
            for phone in [contact.phone, contact.whatsapp].compactMap({ $0 }) {
                if let lastTen = UInt64(phone.digits.suffix(10)) { phones.insert(lastTen) }
            }
            emails.insert(account.value)
            if let email = contact.email { emails.insert(email.value) }
        }
        phoneDigits = phones
        self.emails = emails
    }

    /// What private value `data` leaks, if any (described without repeating it whole).
    public func leak(in data: Data) -> String? {
        firstLeak(in: data)?.description
    }

    /// The first private value in `text`, if any (its offset counts UTF-8 bytes).
    public func firstLeak(in text: String) -> Leak? {
        var text = text
        return text.withUTF8 { firstLeak(in: $0) }
    }

    public func firstLeak(in data: Data) -> Leak? {
        data.withUnsafeBytes { firstLeak(in: $0.bindMemory(to: UInt8.self)) }
    }

    private func firstLeak(in bytes: UnsafeBufferPointer<UInt8>) -> Leak? {
        var window: UInt64 = 0
        var digitsInRun = 0
        for (index, byte) in bytes.enumerated() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                window = (window * 10 + UInt64(byte - 48)) % 10_000_000_000
                digitsInRun += 1
                if digitsInRun >= 10, phoneDigits.contains(window) {
                    let text = String(format: "%010llu", window)
                    return Leak(kind: .phone, hint: "\(text.prefix(3))…\(text.suffix(2))", offset: index)
                }
            case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "+"):
                continue
            case UInt8(ascii: "@"):
                digitsInRun = 0
                if let email = Self.email(around: index, in: bytes), emails.contains(email) {
                    return Leak(kind: .email, hint: "\(email.prefix(3))…", offset: index)
                }
            default:
                digitsInRun = 0
            }
        }
        return nil
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
