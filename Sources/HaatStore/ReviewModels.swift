import Foundation

/// Where a review stands in moderation.
public enum ReviewStatus: String, Sendable, CaseIterable {
    case pending, approved, rejected
}

/// A customer's rating of a contact, published on the creator's page once an admin approves it.
public struct ReviewRecord: Hashable, Sendable {
    public let id: String
    public let contactID: String
    public let creatorSlug: String
    public let customer: AccountRef
    public let rating: Int
    public let text: String?
    public let status: ReviewStatus
    public let createdAt: Date

    public init(id: String, contactID: String, creatorSlug: String, customer: AccountRef, rating: Int, text: String?, status: ReviewStatus, createdAt: Date) {
        self.id = id
        self.contactID = contactID
        self.creatorSlug = creatorSlug
        self.customer = customer
        self.rating = rating
        self.text = text
        self.status = status
        self.createdAt = createdAt
    }
}

/// An approved review as the creator page shows it: the customer's first name only.
public struct PublishedReview: Hashable, Sendable, Codable {
    public let rating: Int
    public let text: String?
    public let firstName: String
    public let createdAt: Date

    public init(rating: Int, text: String?, firstName: String, createdAt: Date) {
        self.rating = rating
        self.text = text
        self.firstName = firstName
        self.createdAt = createdAt
    }
}

public enum ReviewCreation: Hashable, Sendable {
    case created(ReviewRecord)
    /// No contact of this customer has that id.
    case contactNotFound
    case alreadyReviewed
}
