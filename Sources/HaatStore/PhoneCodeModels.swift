import Foundation

/// A code about to be sent: its keyed hash, never the code.
public struct CodeRequest: Sendable {
    public let id: String
    public let phone: String
    public let purpose: CodePurpose
    public let accountID: String?
    /// What a `claim` code claims: the profile's slug.
    public let subject: String?
    public let codeHash: String
    public let clientAddress: String
    public let now: Date

    public init(id: String, phone: String, purpose: CodePurpose, accountID: String?, subject: String? = nil, codeHash: String,
                clientAddress: String, now: Date) {
        self.id = id
        self.phone = phone
        self.purpose = purpose
        self.accountID = accountID
        self.subject = subject
        self.codeHash = codeHash
        self.clientAddress = clientAddress
        self.now = now
    }
}

public enum CodeIssue: Sendable, Equatable {
    /// Recorded: send it now (and withdraw it if the provider fails).
    case issued
    case limited(retryAfter: Int)
}

public enum CodeRedemption: Sendable, Equatable {
    /// The code was right: it is used up now.
    case redeemed(StoredCode)
    /// Wrong: one try fewer.
    case wrong
    /// Unknown, used, expired or out of tries.
    case dead
    /// A sign-in code for a number no account has, without a name to make one: the code
    /// stays unused.
    case nameRequired
    /// A reset code without the new password: the code stays unused.
    case newPasswordRequired
}

/// What the presenter of a code brought to complete it with.
public struct CodeCompletion: Sendable {
    public let hasName: Bool
    public let hasNewPassword: Bool
    /// The signed-in account presenting the code: a `verify` or `claim` code is right only
    /// from the account that asked for it.
    public let presenterID: String?

    public init(hasName: Bool, hasNewPassword: Bool, presenterID: String? = nil) {
        self.hasName = hasName
        self.hasNewPassword = hasNewPassword
        self.presenterID = presenterID
    }
}
