import Foundation
import HaatStore

/// API.md's `User`.
struct UserBody: Encodable, Sendable {
    let id: String
    let email: String
    let name: String
    let role: String
    let status: String
    let createdAt: String
    /// The verified mobile number, shown to its own account only (null to anyone else).
    @OrNull var phone: String?
    let phoneVerified: Bool

    enum CodingKeys: String, CodingKey { case id, email, name, role, status, createdAt = "created_at", phone, phoneVerified = "phone_verified" }

    /// `own`: the account is the caller's, who may see its number.
    init(_ account: Account, own: Bool) {
        id = account.id
        email = account.email.value
        name = account.name
        role = account.role.rawValue
        status = account.status.rawValue
        createdAt = RFC3339.string(from: account.createdAt)
        phone = own ? account.phone : nil
        phoneVerified = account.phoneVerified
    }
}

/// API.md's `Session`: who signed in and the tokens to stay signed in.
struct SessionBody: Encodable, Sendable {
    let user: UserBody
    let accessToken: String
    /// Left out for a browser, which gets it only in `RefreshCookie`.
    var refreshToken: String?
    let expiresIn: Int

    enum CodingKeys: String, CodingKey { case user, accessToken = "access_token", refreshToken = "refresh_token", expiresIn = "expires_in" }
}

/// API.md's `Quota`.
struct QuotaBody: Encodable, Sendable {
    let freeLimit: Int
    let freeUsed: Int
    let freeRemaining: Int
    @OrNull var subscription: SubscriptionBody?

    enum CodingKeys: String, CodingKey { case freeLimit = "free_limit", freeUsed = "free_used", freeRemaining = "free_remaining", subscription }

    init(freeLimit: Int, freeUsed: Int, freeRemaining: Int, subscription: SubscriptionBody?) {
        self.freeLimit = freeLimit
        self.freeUsed = freeUsed
        self.freeRemaining = freeRemaining
        self.subscription = subscription
    }

    init(_ quota: QuotaState) {
        self.init(freeLimit: quota.freeLimit, freeUsed: quota.freeUsed, freeRemaining: quota.freeRemaining,
                  subscription: quota.subscription.map(SubscriptionBody.init))
    }
}

struct SubscriptionBody: Encodable, Sendable {
    let id: String
    let planId: String
    let status: String
    let currentPeriodEnd: String

    enum CodingKeys: String, CodingKey { case id, planId = "plan_id", status, currentPeriodEnd = "current_period_end" }

    init(_ subscription: SubscriptionState) {
        id = subscription.id
        planId = subscription.planID
        status = subscription.status.rawValue
        currentPeriodEnd = RFC3339.string(from: subscription.currentPeriodEnd)
    }
}

/// RFC 3339 in UTC, as API.md wants every time.
enum RFC3339 {
    static func string(from date: Date) -> String {
        date.formatted(.iso8601)
    }

    /// A time a client sent, with or without fractional seconds, in any offset.
    static func date(from text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
