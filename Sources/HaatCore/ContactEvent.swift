/// Who contacted whom and when, compactly: creator and customer as numbers (a million
/// events take 16 MB), the time in days on any fixed scale. What the store reads out for
/// discovery, and what discovery's contact log holds.
public struct ContactEvent: Sendable, Equatable {
    public let creator: Int32
    public let customer: Int32
    /// When, in days (e.g. since 1970); only differences matter.
    public let day: Double

    public init(creator: Int32, customer: Int32, day: Double) {
        self.creator = creator
        self.customer = customer
        self.day = day
    }
}
