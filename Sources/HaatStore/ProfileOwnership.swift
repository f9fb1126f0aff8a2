import Foundation

/// Who owns a profile (API.md "Creator side"). A profile's `account` names an email, and
/// anyone can register an account with any email, so the email alone gives nothing: a
/// creator account owns a profile only once that ownership is *confirmed*. It is confirmed
/// for one profile and one email (`owner_confirmations`: the account started the profile
/// itself, or an admin confirmed it), or for every profile of an email whose account the
/// operator made (`accounts.email_vouched`: `haat admin create-user`).
///
/// Until then the profile's private details, images, editing and leads are the account's
/// as little as another creator's. Leads made meanwhile are kept under the email and
/// reach the account once ownership is confirmed, numbered after its newest lead (so a
/// socket that acknowledged later leads still replays them).
public enum ProfileOwnership {
    /// SQL that both databases accept: true when the profile `slug` is confirmed as owned
    /// by `email` (two column expressions of the enclosing statement).
    public static func isConfirmed(slug: SQL, email: SQL) -> SQL {
        """
        (EXISTS (SELECT 1 FROM owner_confirmations oc WHERE oc.slug = \(sql: slug) AND oc.email = \(sql: email)) \
        OR EXISTS (SELECT 1 FROM accounts ov WHERE ov.email = \(sql: email) AND ov.email_vouched))
        """
    }

    /// SQL: true when an account with `email` exists (someone an admin could confirm).
    public static func hasAccount(email: SQL) -> SQL {
        "EXISTS (SELECT 1 FROM accounts oa WHERE oa.email = \(sql: email))"
    }

    /// The creator columns of `creators c` that say who owns it, for both stores' selects.
    public static let creatorColumns: SQL = """
        \(sql: hasAccount(email: "c.account")) AS owner_has_account, \(sql: isConfirmed(slug: "c.slug", email: "c.account")) AS owner_confirmed
        """

    /// A lead is the account's to see once its profile's ownership is confirmed.
    public static let leadVisible: SQL = isConfirmed(slug: "l.creator_slug", email: "l.account")
}

/// What confirming a profile's owner did.
public struct OwnerConfirmation: Sendable {
    /// The creator as it now is (`ownerConfirmed` true).
    public let creator: CreatorRecord
    /// The leads that waited for the confirmation, renumbered after the owner's newest
    /// lead, to deliver now; empty when ownership was already confirmed.
    public let deliveredLeads: [Lead]

    public init(creator: CreatorRecord, deliveredLeads: [Lead]) {
        self.creator = creator
        self.deliveredLeads = deliveredLeads
    }
}
