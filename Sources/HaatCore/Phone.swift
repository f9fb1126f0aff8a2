import Foundation

/// A phone number, private to the creator: revealed only by the lead API.
/// Written as people write them (`+91 98220 12345`, `098220-12345`); kept normalised
/// to E.164 (`+919822012345`). Ten digits without a country code are taken as Indian.
public struct Phone: Hashable, Sendable, CustomStringConvertible {
    public let e164: String

    public init?(_ text: String) {
        var digits = ""
        var hasPlus = false
        for (index, character) in text.trimmedWhitespace.enumerated() {
            switch character {
            case "+" where index == 0: hasPlus = true
            case "0"..."9": digits.append(character)
            case " ", "-", "(", ")", ".": continue
            default: return nil
            }
        }
        if !hasPlus {
            if digits.count == 11, digits.hasPrefix("0") { digits.removeFirst() }
            guard digits.count == 10 else { return nil }
            digits = "91" + digits
        }
        guard (8...15).contains(digits.count), digits.first != "0" else { return nil }
        if digits.hasPrefix("91"), digits.count != 12 { return nil }
        e164 = "+" + digits
    }

    /// A number a one-time code can be sent to, written as people type one: `98220 12345`,
    /// `098220-12345`, `+91 98220 12345`, `919822012345`. Indian numbers (the default
    /// region) must be mobile numbers (ten digits from 6); another country's, written with
    /// `+` and its code, are taken as given. Nil for anything else.
    public static func mobile(_ text: String) -> Phone? {
        let trimmed = text.trimmedWhitespace
        // Twelve digits starting 91, without the plus: the country code typed without it.
        let bare = trimmed.filter { !" -().".contains($0) }
        let phone = bare.count == 12 && bare.hasPrefix("91") && bare.allSatisfy(\.isNumber) ? Phone("+" + bare) : Phone(trimmed)
        guard let phone else { return nil }
        if phone.e164.hasPrefix("+91") {
            guard let first = phone.e164.dropFirst(3).first, ("6"..."9").contains(first) else { return nil }
        }
        return phone
    }

    /// A number already in E.164 form (read back from a cache).
    public init(e164: String) { self.e164 = e164 }

    /// The digits without `+`, as `wa.me` links want them.
    public var digits: String { String(e164.dropFirst()) }
    public var description: String { e164 }
    public static let example = "\"+91 98220 12345\""
}
