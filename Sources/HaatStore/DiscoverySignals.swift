import Foundation
import HaatCore

/// What the build's discovery reads from the store besides profiles and reviews: every
/// revealed contact (compactly: a million take 16 MB) and each creator's leads answered.
public struct DiscoverySignals: Sendable {
    /// A revealed contact, compactly: `creator` indexes `creatorSlugs`, `customer` is a
    /// number per customer stable within one read (not the account id), `day` counts days
    /// since 1970.
    public typealias Contact = ContactEvent

    public struct LeadCounts: Sendable, Equatable {
        public let total: Int
        public let answered: Int

        public init(total: Int, answered: Int) {
            self.total = total
            self.answered = answered
        }
    }

    public var creatorSlugs: [String] = []
    public var contacts: [Contact] = []
    /// Creator slug → its leads, and how many were answered (moved away from `new`).
    public var leads: [String: LeadCounts] = [:]

    public init() {}

    /// Adds revealed contacts read in customer order, numbering creators and customers
    /// as they come (a customer's number changes with its id): what both stores do.
    public struct Builder {
        public private(set) var signals = DiscoverySignals()
        private var creatorNumbers: [String: Int32] = [:]
        private var customer = ""
        private var customerNumber: Int32 = -1

        public init() {}

        public mutating func addContact(creatorSlug slug: String, customerID: String, day: Double) {
            if customerID != customer { customer = customerID; customerNumber += 1 }
            let creator: Int32
            if let known = creatorNumbers[slug] {
                creator = known
            } else {
                creator = Int32(signals.creatorSlugs.count)
                creatorNumbers[slug] = creator
                signals.creatorSlugs.append(slug)
            }
            signals.contacts.append(Contact(creator: creator, customer: customerNumber, day: day))
        }

        public mutating func setLeads(of slug: String, total: Int, answered: Int) {
            signals.leads[slug] = LeadCounts(total: total, answered: answered)
        }
    }
}
