import Foundation
import HaatCore

/// What an account may do (API.md "Roles"). Admins are made only from the command line.
public enum Role: String, Sendable, Codable, CaseIterable {
    case customer, creator, admin
}

public enum AccountStatus: String, Sendable, Codable {
    case active, suspended
}

/// A signed-up person: a customer, a creator or an admin.
public struct Account: Hashable, Sendable {
    public let id: String
    public let email: EmailAddress
    public let name: String
    public let role: Role
    public let status: AccountStatus
    /// bcrypt; never leaves the server.
    public let passwordHash: String
    public let createdAt: Date
    /// The account's mobile number in E.164, once verified by a code (nil before).
    public let phone: String?

    public init(id: String, email: EmailAddress, name: String, role: Role, status: AccountStatus, passwordHash: String, createdAt: Date,
                phone: String? = nil) {
        self.id = id
        self.email = email
        self.name = name
        self.role = role
        self.status = status
        self.passwordHash = passwordHash
        self.createdAt = createdAt
        self.phone = phone
    }

    public var phoneVerified: Bool { phone != nil }
}

/// What happened when a refresh token was presented.
public enum RefreshOutcome: Sendable, Equatable {
    /// The token was live: it is now used up and its successor stored.
    case rotated(accountID: String)
    /// The token had already been rotated: someone replayed it, so the whole login
    /// (every token of its family) is revoked.
    case reused
    /// Unknown, expired or revoked.
    case invalid
}
