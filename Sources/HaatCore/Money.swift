/// An amount of Indian rupees, held as integer paise so arithmetic never rounds.
public struct Money: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let paise: Int

    public init(paise: Int) { self.paise = paise }
    public init(rupees: Int) { self.paise = rupees * 100 }

    public var rupees: Int { paise / 100 }

    /// `₹1,50,000`: Indian digit grouping (lakhs, crores), paise shown only when present.
    public var formatted: String {
        let whole = Money.groupIndian(paise / 100)
        let fraction = paise % 100
        return fraction == 0 ? "₹\(whole)" : "₹\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    public var description: String { formatted }
    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.paise < rhs.paise }

    static func groupIndian(_ value: Int) -> String {
        let digits = Array(String(value))
        guard digits.count > 3 else { return String(digits) }
        var result = String(digits.suffix(3))
        var rest = digits.dropLast(3)
        while !rest.isEmpty {
            result = String(rest.suffix(2)) + "," + result
            rest = rest.dropLast(2)
        }
        return result
    }
}
