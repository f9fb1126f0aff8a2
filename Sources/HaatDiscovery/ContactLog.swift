import HaatCore

/// Who contacted whom and when, compactly: creators and customers as numbers (1,000,000
/// events take 16 MB), times as days on any fixed scale.
public struct ContactLog: Sendable {
    public typealias Event = ContactEvent

    public let creatorCount: Int
    public var events: [Event]

    public init(creatorCount: Int, events: [Event] = []) {
        self.creatorCount = creatorCount
        self.events = events
    }
}
