import Foundation

/// What the build's discovery reads from the store besides profiles and reviews: every
/// revealed contact (compactly: a million take 16 MB) and each creator's leads answered.
public struct DiscoverySignals: Sendable {
    public struct Contact: Sendable, Equatable {
        /// Index into `creatorSlugs`.
        public let creator: Int32
        /// A number per customer, stable within one read (not the account id).
        public let customer: Int32
        /// Days since 1970.
        public let day: Double
    }

    public struct LeadCounts: Sendable, Equatable {
        public let total: Int
        public let answered: Int
    }

    public var creatorSlugs: [String] = []
    public var contacts: [Contact] = []
    /// Creator slug → its leads, and how many were answered (moved away from `new`).
    public var leads: [String: LeadCounts] = [:]

    public init() {}
}
