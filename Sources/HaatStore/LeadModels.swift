import Foundation

/// Where a creator stands with a lead (API.md `PATCH /creator/leads/{contact_id}`).
public enum LeadStatus: String, Sendable, Codable, CaseIterable {
    case new, responded, won, lost
}

/// A customer's revealed contact as its creator sees it. It belongs to the creator
/// account (`ownerEmail`) that owned the profile when the customer asked; `seq` orders
/// that account's leads, strictly increasing, for replay and acknowledgement.
public struct Lead: Hashable, Sendable, Codable {
    public let contactID: String
    public let creatorSlug: String
    public let ownerEmail: String
    public let seq: Int
    public let customerName: String
    public let service: String?
    public let message: String?
    public let callbackPhone: String?
    public let status: LeadStatus
    public let createdAt: Date
    /// When the lead first left `new` (the creator's response time).
    public let firstResponseAt: Date?

    public init(contactID: String, creatorSlug: String, ownerEmail: String, seq: Int, customerName: String, service: String?,
                message: String?, callbackPhone: String?, status: LeadStatus, createdAt: Date, firstResponseAt: Date?) {
        self.contactID = contactID
        self.creatorSlug = creatorSlug
        self.ownerEmail = ownerEmail
        self.seq = seq
        self.customerName = customerName
        self.service = service
        self.message = message
        self.callbackPhone = callbackPhone
        self.status = status
        self.createdAt = createdAt
        self.firstResponseAt = firstResponseAt
    }
}
