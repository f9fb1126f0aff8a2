/// Who contacted whom and when, compactly: creators and customers as numbers (1,000,000
/// events take 16 MB), times as days on any fixed scale.
public struct ContactLog: Sendable {
    public struct Event: Sendable, Equatable {
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

    public let creatorCount: Int
    public var events: [Event]

    public init(creatorCount: Int, events: [Event] = []) {
        self.creatorCount = creatorCount
        self.events = events
    }
}
