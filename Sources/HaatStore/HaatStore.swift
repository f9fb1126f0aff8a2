import Foundation
import HaatCore

/// Creators, their revisions and moderation: what imports record, what admins decide,
/// what builds read.
public protocol RevisionStore: Sendable {
    /// Records a revision as the creator's current one, unless it already is.
    /// A new creator starts `pending`; an edit of an approved creator leaves the
    /// approved revision live until an admin approves the edit.
    func recordRevision(_ revision: NewRevision) async throws -> RecordOutcome
    /// `recordRevision` for many bundles in one transaction (an import of a whole tree).
    func recordRevisions(_ revisions: [NewRevision]) async throws -> [RecordOutcome]

    /// Records an edit made through the API as the creator's current revision, provided
    /// the current one is still `baseSHA256` (else `StoreError.conflict`): an edit made
    /// elsewhere meanwhile is never silently overwritten.
    func recordEdit(_ revision: NewRevision, replacing baseSHA256: String) async throws -> RecordOutcome

    /// The creators whose `account` is `email` (stored lowercased), in slug order, each
    /// saying whether that ownership is confirmed (only a confirmed one gives anything).
    func creators(ownedBy email: String) async throws -> [CreatorRecord]

    /// Every creator's current revision hash, for an import to skip what it already has.
    func currentRevisionSHA256s() async throws -> [Slug: String]

    func creator(_ slug: Slug) async throws -> CreatorRecord?
    /// Creators in slug order; `pending` means "has a revision awaiting review".
    func creators(status: CreatorStatus?) async throws -> [CreatorRecord]
    func revision(of slug: Slug, sha256: String) async throws -> StoredRevision?
    /// Several revisions at once (those a build has not parsed before).
    func revisions(_ keys: [RevisionKey]) async throws -> [StoredRevision]

    /// Marks the creator's current revision approved, provided it still is `sha256`
    /// (else `StoreError.conflict`): it goes live on the next build. The caller has
    /// already copied its images into the media folder (see `Approver`).
    func approveRevision(of slug: Slug, sha256: String, by actor: String) async throws -> CreatorRecord
    /// `approveRevision` for many creators in one transaction: all or none.
    func approveRevisions(_ keys: [RevisionKey], by actor: String) async throws -> [CreatorRecord]
    /// Rejects the current revision; an approved creator stays live with its last approval.
    func rejectCurrentRevision(of slug: Slug, reason: String, by actor: String) async throws -> CreatorRecord
    func suspend(_ slug: Slug, reason: String, by actor: String) async throws -> CreatorRecord
    func reinstate(_ slug: Slug, by actor: String) async throws -> CreatorRecord

    /// Every approved, not suspended creator's last approved revision, in slug order,
    /// without the text.
    func liveRevisionHeads() async throws -> [LiveRevisionHead]
    /// The contact phone of the creator's approved revision (E.164), nil when none is live:
    /// where a claim of the profile by code is texted.
    func approvedContactPhone(of slug: Slug) async throws -> String?
}

/// Accounts and their sessions (refresh tokens, by their SHA-256 only).
public protocol AccountStore: Sendable {
    /// Creates an account; `StoreError.emailTaken` when the (case-insensitive) email exists.
    /// `emailVouched`: the operator made it (`haat admin create-user`) and so vouches for its
    /// email, which confirms its ownership of every profile naming that email.
    func createAccount(email: EmailAddress, name: String, role: Role, passwordHash: String, emailVouched: Bool) async throws -> Account
    func account(id: String) async throws -> Account?
    func account(email: EmailAddress) async throws -> Account?
    /// Suspends or reinstates an account; a suspended account's tokens stop working at once.
    func setStatus(_ status: AccountStatus, ofAccount id: String) async throws

    /// Stores a new refresh token (by its SHA-256 only) as the start of a login family.
    func storeRefreshToken(hash: String, family: String, accountID: String, expiresAt: Date) async throws
    /// Uses up the token `hash` and stores `successorHash` in its family, in one transaction.
    func rotateRefreshToken(hash: String, successorHash: String, expiresAt: Date, now: Date) async throws -> RefreshOutcome
    /// Revokes the login family of token `hash` (logout); unknown tokens are ignored.
    func revokeRefreshFamily(ofToken hash: String) async throws
}

/// One-time codes sent by SMS, and the verified numbers they prove (API.md "Phone numbers
/// and one-time codes"). Counted and decided in the store, so every instance shares them.
public protocol PhoneCodeStore: Sendable {
    /// Records a code unless a limit of `policy` is full, deciding one number and one
    /// address at a time across instances.
    func issueCode(_ request: CodeRequest, policy: CodePolicy) async throws -> CodeIssue
    /// Forgets a code the provider failed to send: it counts against no limit.
    func withdrawCode(_ id: String) async throws
    /// Checks a presented code (`matches` compares the stored keyed hash in constant
    /// time) and uses it up when right; a wrong one costs a try.
    /// A right code that cannot be completed (`completion` lacks what its purpose needs)
    /// is left unused.
    func redeemCode(_ id: String, matches: @escaping @Sendable (String) -> Bool, completion: CodeCompletion, policy: CodePolicy, now: Date) async throws -> CodeRedemption
    /// The account that verified `phone` most recently.
    func account(verifiedPhone phone: String) async throws -> Account?
    /// Attaches a verified number to an account.
    func verifyPhone(_ phone: String, ofAccount id: String, at date: Date) async throws
    /// A customer account made by signing in with a code: its email is a placeholder under
    /// `.invalid` (RFC 2606: never delivered to), its password unusable until reset.
    func createPhoneAccount(phone: String, name: String, passwordHash: String, at date: Date) async throws -> Account
    /// A new password, and every session of the account ended.
    func resetPassword(ofAccount id: String, hash: String, now: Date) async throws
}

/// The contact reveal under the free quota, and a customer's contacts.
public protocol ContactStore: Sendable {
    /// Decides a contact request and records it (the attempt, and for a new reveal the
    /// contact and the creator's lead) in one transaction.
    func revealContact(_ request: ContactRequest) async throws -> ContactDecision
    /// Records an attempt refused before reaching the store's decision (rate limited, suspended).
    func recordContactAttempt(customerID: String, creatorSlug: String, outcome: ContactOutcome, clientAddress: String, at date: Date) async throws
    func quota(of accountID: String, freeLimit: Int, perVerifiedNumber: Bool, now: Date) async throws -> QuotaState
    /// A customer's contacts, newest first; with `creator`, only the contact of that creator.
    func contacts(of customerID: String, creator: String?, limit: Int, after cursor: String?) async throws -> Page<CustomerContact>
}

/// The creator side: leads, their acknowledgement by the lead socket, and its tickets.
public protocol LeadStore: Sendable {
    /// The leads of the creator account `ownerEmail`, newest first, optionally of one status.
    func leads(ownedBy ownerEmail: String, status: LeadStatus?, limit: Int, after cursor: String?) async throws -> Page<Lead>
    /// Sets a lead's status; the first move away from `new` records the response time.
    /// Nil when no lead `contactID` belongs to `ownerEmail` (another's lead is unknown).
    func setStatus(_ status: LeadStatus, ofLead contactID: String, ownedBy ownerEmail: String, at date: Date) async throws -> Lead?
    /// The leads of `ownerEmail` created at or after `since`, oldest first (analytics).
    func leads(ownedBy ownerEmail: String, since: Date) async throws -> [Lead]
    /// The leads after `seq` not yet acknowledged, in `seq` order, at most `limit`.
    func unacknowledgedLeads(ownedBy ownerEmail: String, after seq: Int, limit: Int) async throws -> [Lead]
    /// Acknowledges every lead of `ownerEmail` up to `seq` (a lower mark changes nothing).
    func acknowledgeLeads(ownedBy ownerEmail: String, upTo seq: Int) async throws

    /// Stores a single-use WebSocket ticket (by its SHA-256 only).
    func storeNotificationTicket(hash: String, accountID: String, expiresAt: Date) async throws
    /// Uses up the ticket `hash`: its account, or nil when unknown, expired or already used.
    func redeemNotificationTicket(hash: String, now: Date) async throws -> String?
}

/// Lead alerts with the dashboard closed (API.md): creators' Web Push subscriptions, and
/// the deliveries the store keeps track of, so that a restart or a slow push service loses
/// nothing and no reveal waits for a push. The leads themselves are the queue: each
/// subscription remembers the last lead sent to it.
public protocol LeadAlertStore: Sendable {
    /// Adds a subscription, or renews the account's one with the same endpoint (keeping
    /// its id); either way it is sent the leads made from now on. Beyond `limit` per
    /// account, the oldest go.
    func addPushSubscription(_ subscription: PushSubscriptionRecord, limit: Int) async throws -> PushSubscriptionRecord
    /// The account's subscriptions, newest first.
    func pushSubscriptions(ownedBy ownerEmail: String, limit: Int, after cursor: String?) async throws -> Page<PushSubscriptionRecord>
    /// False when no subscription `id` is the account's (another's is unknown).
    func deletePushSubscription(id: String, ownedBy ownerEmail: String) async throws -> Bool
    /// Claims, until `now + lease`, up to `limit` subscriptions within `scope` that are due
    /// and have visible leads not yet sent to them, each with up to `leadsEach` of those
    /// leads. One instance claims a subscription at a time.
    func claimPushDeliveries(now: Date, lease: TimeInterval, limit: Int, leadsEach: Int, scope: PushDeliveryScope) async throws -> [PushDue]
    /// Records what became of a claimed subscription's delivery, and ends the claim.
    func finishPushDelivery(subscriptionID: String, _ report: PushDeliveryReport) async throws

    /// After how many minutes an unacknowledged lead is texted to the account's verified
    /// number; nil: never.
    func smsAlertMinutes(ofAccount id: String) async throws -> Int?
    /// Sets it; turning it on (from nil) starts it at `now`: leads made before are never texted.
    func setSMSAlertMinutes(_ minutes: Int?, ofAccount id: String, now: Date) async throws
    /// Claims, until `now + lease`, up to `limit` leads to text: made at least the account's
    /// minutes before `now` (and within `maximumAge`), since it turned texts on, visible, not
    /// acknowledged, never texted, and not claimed. One instance claims a lead at a time.
    func claimDueTexts(now: Date, lease: TimeInterval, maximumAge: TimeInterval, limit: Int) async throws -> [DueText]
    /// Records a claimed lead's text as sent (never texted again), or as failed: tried
    /// again from `retryAt`, up to `SMSAlertRules.attempts` tries.
    func finishText(contactID: String, sentAt: Date?, retryAt: Date) async throws
}

/// How many times a lead's text is tried before it is given up.
public enum SMSAlertRules {
    public static let attempts = 5
}

/// Plans bought through Razorpay: orders and every report of their payment.
public protocol PaymentStore: Sendable {
    /// Records an order Haat created through Razorpay.
    func recordPaymentOrder(_ order: PaymentOrder) async throws
    func paymentOrder(id: String) async throws -> PaymentOrder?
    /// Records one report of a payment (Checkout's verify or a webhook event) and, for the
    /// first report of a captured payment of the right amount, grants its order's plan:
    /// exactly one period per payment, in one transaction with the event's deduplication.
    func recordPayment(_ report: PaymentReport, now: Date) async throws -> PaymentOutcome
}

/// Rebuilds requested through the admin API, kept so their outcome can be read later.
public protocol BuildStore: Sendable {
    /// Records a rebuild request as queued.
    func createBuild(requestedBy actor: String, now: Date) async throws -> BuildRecord
    func updateBuild(_ build: BuildRecord) async throws
    func build(id: String) async throws -> BuildRecord?
    /// Marks builds left queued or running by a stopped server as failed; returns how many.
    func failUnfinishedBuilds(reason: String) async throws -> Int
}

/// Haat's persistence, behind one protocol so SQLite (one machine) and PostgreSQL
/// (scale-out) are interchangeable. No database library's types appear here. It is made
/// of parts (`RevisionStore`, …) so a new implementation can be written and tested one
/// part at a time.
extension ContactStore {
    /// The quota with free contacts counted per account (phone verification off).
    public func quota(of accountID: String, freeLimit: Int, now: Date) async throws -> QuotaState {
        try await quota(of: accountID, freeLimit: freeLimit, perVerifiedNumber: false, now: now)
    }
}

public protocol HaatStore: RevisionStore, AccountStore, PhoneCodeStore, ContactStore, LeadStore, LeadAlertStore, PaymentStore, BuildStore {
    // MARK: Admin

    /// Marks the creator verified (the badge an admin gives after checking them).
    func verify(_ slug: Slug, by actor: String) async throws -> CreatorRecord
    /// Confirms that the account with the profile's `account` email owns it, and hands that
    /// account the leads that waited meanwhile (`StoreError.creatorNotFound` for an unknown
    /// slug). The caller makes sure that account exists: confirming an email nobody holds
    /// yet would hand the profile to whoever registers it first.
    func confirmOwner(of slug: Slug, by actor: String, now: Date) async throws -> OwnerConfirmation
    /// Suspends (revoking every refresh token, so no new access token is issued) or
    /// reinstates an account, recorded in the audit log. Nil for an unknown account.
    func setAccountStatus(_ status: AccountStatus, ofAccount id: String, reason: String?, by actor: String) async throws -> Account?
    /// Accounts, newest first, optionally matching `query` (in email or name) and of one status.
    func accounts(matching query: String?, status: AccountStatus?, limit: Int, after cursor: String?) async throws -> Page<Account>
    /// Every contact attempt matching `filter`, newest first.
    func contactAttempts(_ filter: ContactAttemptFilter, limit: Int, after cursor: String?) async throws -> Page<ContactAttemptRecord>
    /// Attempts per account since `since`, most first: who is scraping numbers.
    func attemptsByAccount(since: Date, limit: Int) async throws -> [AccountActivity]
    func adminStats(now: Date) async throws -> AdminStats
    /// Subscriptions, newest first; `status` as read at `now` (an active one past its end is expired).
    func subscriptions(status: SubscriptionStatus?, now: Date, limit: Int, after cursor: String?) async throws -> Page<SubscriptionRecord>
    /// Cancels a subscription at once. Nil when there is none with this id.
    func cancelSubscription(_ id: String, by actor: String, now: Date) async throws -> SubscriptionRecord?
    /// Grants a plan as a payment would (extending an active subscription from its end). Nil for an unknown account.
    func grantPlan(to accountID: String, planID: String, periodDays: Int, by actor: String, now: Date) async throws -> SubscriptionState?
    /// The audit log, newest first: moderation and every other admin action.
    func auditLog(limit: Int, after cursor: String?) async throws -> Page<AuditEntry>

    /// Every revealed contact and each creator's leads answered, for the build's ranking
    /// and recommendations.
    func discoverySignals() async throws -> DiscoverySignals

    // MARK: Reviews and reports

    /// A review of a contact by its customer, pending an admin's approval.
    func createReview(contactID: String, customerID: String, rating: Int, text: String?, now: Date) async throws -> ReviewCreation
    func reviews(status: ReviewStatus?, limit: Int, after cursor: String?) async throws -> Page<ReviewRecord>
    /// Approves or rejects a review. Nil when there is none with this id.
    func decideReview(_ id: String, status: ReviewStatus, by actor: String, now: Date) async throws -> ReviewRecord?
    /// Every approved review of every creator, newest first per creator (for the build).
    func publishedReviews() async throws -> [Slug: [PublishedReview]]
    /// A report by `reporterID`; a contact report needs the reporter to be its customer or its creator.
    func createReport(by reporterID: String, subject: ReportSubject, reason: ReportReason, details: String?, now: Date) async throws -> ReportCreation
    func reports(open: Bool?, limit: Int, after cursor: String?) async throws -> Page<ReportRecord>
    /// Resolves an open report, suspending the creator or the other party as `action` says.
    func resolveReport(_ id: String, action: ReportAction, note: String?, by actor: String, now: Date) async throws -> ReportResolutionOutcome
}

extension AccountStore {
    /// An account whose email nobody vouched for (every sign-up through the API).
    public func createAccount(email: EmailAddress, name: String, role: Role, passwordHash: String) async throws -> Account {
        try await createAccount(email: email, name: name, role: role, passwordHash: passwordHash, emailVouched: false)
    }
}

extension RevisionStore {
    /// Every live revision with its text and images, in slug order.
    public func liveRevisions() async throws -> [LiveRevision] {
        let heads = try await liveRevisionHeads()
        let revisions = Dictionary(uniqueKeysWithValues: try await revisions(heads.map(\.key)).map { (RevisionKey(slug: $0.slug, sha256: $0.contentSHA256), $0) })
        return heads.compactMap { head in
            revisions[head.key].map { LiveRevision(revision: $0, verified: head.verified, approvedAt: head.approvedAt) }
        }
    }
}
