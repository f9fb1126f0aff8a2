import Foundation

/// What a one-time code proves possession of a number for (API.md "Phone numbers and
/// one-time codes"): a code for one purpose never serves another.
public enum CodePurpose: String, Sendable, CaseIterable {
    case signIn = "sign_in", verify, reset
    /// A creator account claiming a profile by a code sent to the profile's own phone
    /// (`POST /creator/profiles/{slug}/claim`); never asked for through `/auth/otp`.
    case claim
}

/// The limits on codes, from API.md: a code lives 5 minutes, is single-use and dies after 5
/// wrong tries; a number gets a new code for a purpose only after `resendAfter`, and at most
/// 5 codes an hour; a client address at most 10 an hour.
public struct CodePolicy: Sendable, Equatable {
    public var lifetime: TimeInterval = 300
    public var resendAfter: TimeInterval = 30
    public var perNumberPerHour = 5
    public var perAddressPerHour = 10
    public var wrongAttempts = 5
    public static let window: TimeInterval = 3600

    public init() {}

    /// Whether a new code may be sent now, from what the store counted; when not, the
    /// seconds until it may.
    public func admits(_ facts: CodeRequestFacts, now: Date) -> Int? {
        var waits: [TimeInterval] = []
        if let last = facts.lastForNumberAndPurpose, now.timeIntervalSince(last) < resendAfter {
            waits.append(resendAfter - now.timeIntervalSince(last))
        }
        if facts.sentToNumberInWindow.count >= perNumberPerHour, let oldest = facts.sentToNumberInWindow.sorted().dropLast(perNumberPerHour - 1).last {
            waits.append(Self.window - now.timeIntervalSince(oldest))
        }
        if facts.sentFromAddressInWindow.count >= perAddressPerHour, let oldest = facts.sentFromAddressInWindow.sorted().dropLast(perAddressPerHour - 1).last {
            waits.append(Self.window - now.timeIntervalSince(oldest))
        }
        return waits.max().map { max(1, Int($0.rounded(.up))) }
    }

    /// What a presented code does to its record.
    public func check(_ code: StoredCode, matches: Bool, now: Date) -> CodeCheck {
        guard code.usedAt == nil, now < code.expiresAt, code.attempts < wrongAttempts else { return .dead }
        return matches ? .right : .wrong
    }
}

/// What the store counted before a code is sent (within the last hour).
public struct CodeRequestFacts: Sendable, Equatable {
    public let lastForNumberAndPurpose: Date?
    public let sentToNumberInWindow: [Date]
    public let sentFromAddressInWindow: [Date]

    public init(lastForNumberAndPurpose: Date?, sentToNumberInWindow: [Date], sentFromAddressInWindow: [Date]) {
        self.lastForNumberAndPurpose = lastForNumberAndPurpose
        self.sentToNumberInWindow = sentToNumberInWindow
        self.sentFromAddressInWindow = sentFromAddressInWindow
    }
}

/// A code as stored: never the code itself, only its keyed hash.
public struct StoredCode: Sendable, Equatable {
    public let id: String
    public let phone: String
    public let purpose: CodePurpose
    /// The signed-in account a `verify` or `claim` code was asked by.
    public let accountID: String?
    /// What a `claim` code claims: the profile's slug.
    public let subject: String?
    public let codeHash: String
    public let attempts: Int
    public let expiresAt: Date
    public let usedAt: Date?

    public init(id: String, phone: String, purpose: CodePurpose, accountID: String?, subject: String? = nil, codeHash: String, attempts: Int,
                expiresAt: Date, usedAt: Date?) {
        self.id = id
        self.phone = phone
        self.purpose = purpose
        self.accountID = accountID
        self.subject = subject
        self.codeHash = codeHash
        self.attempts = attempts
        self.expiresAt = expiresAt
        self.usedAt = usedAt
    }
}

public enum CodeCheck: Sendable, Equatable {
    case right, wrong
    /// Used, expired, or out of tries: nothing sent with it counts any more.
    case dead
}
