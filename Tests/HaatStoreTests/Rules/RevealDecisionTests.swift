import Foundation
import HaatStore
import Testing

/// The reveal's verdict from what its lookup read, with no database.
struct RevealDecisionTests {
    enum Expected: Equatable {
        case unknownAccount, accountSuspended, notFound, ownProfile, phoneUnverified, quotaRefused, repeatOf(String), firstContact(Charge)
    }

    static func facts(status: String = "active", slug: String? = "asha-cakes", phone: String? = "+919800000001", owner: String = "asha@example.com",
                      email: String = "riya@example.com", existing: String? = nil, freeUsed: Int = 0, verified: Bool = true) -> RevealFacts {
        RevealFacts(accountEmail: email, accountStatus: status, customerName: "Riya", slug: slug, owner: slug == nil ? nil : owner,
                    phone: phone, whatsapp: nil, existingContactID: existing, freeUsed: freeUsed, subscription: nil, phoneVerified: verified)
    }

    @Test(arguments: [
        (RevealFacts?.none, Expected.unknownAccount, ContactOutcome?.none),
        (facts(status: "suspended"), .accountSuspended, .forbidden),
        (facts(slug: nil), .notFound, .notFound),
        (facts(phone: nil), .notFound, .notFound),
        (facts(email: "asha@example.com"), .ownProfile, .forbidden),
        (facts(existing: "c1", freeUsed: 9), .repeatOf("c1"), .repeated),
        (facts(freeUsed: 2), .quotaRefused, .quotaRefused),
        (facts(freeUsed: 1), .firstContact(.free), nil),
        // With phone verification required: a first contact needs a verified number; a repeat does not.
        (facts(verified: false), .phoneUnverified, .forbidden),
        (facts(existing: "c2", verified: false), .repeatOf("c2"), .repeated),
        (facts(email: "asha@example.com", verified: false), .ownProfile, .forbidden),
    ] as [(RevealFacts?, Expected, ContactOutcome?)])
    func verdictAndTheAttemptItRecords(_ facts: RevealFacts?, _ expected: Expected, _ recorded: ContactOutcome?) {
        let lookup = ContactLookup(facts, freeLimit: 2, requiresVerifiedPhone: true)
        #expect(lookup.isRepeat == (facts?.existingContactID != nil && expected != .ownProfile && expected != .accountSuspended))
        switch lookup.verdict {
        case .decided(let decision, let attempt):
            #expect(attempt?.outcome == recorded)
            switch decision {
            case .unknownAccount: #expect(expected == .unknownAccount)
            case .accountSuspended: #expect(expected == .accountSuspended)
            case .notFound: #expect(expected == .notFound)
            case .ownProfile: #expect(expected == .ownProfile)
            case .phoneUnverified: #expect(expected == .phoneUnverified)
            case .rateLimited: Issue.record("the rule never counts a rate limit: a shared store's statement does")
            case .quotaRefused(let quota): #expect(expected == .quotaRefused && quota.freeRemaining == 0)
            case .revealed(let reveal):
                #expect(expected == .repeatOf(reveal.contactID) && reveal.charged == .repeated && reveal.newLead == nil)
                #expect(attempt?.charged == .repeated)
            }
        case .firstContact(let live, let charge, _):
            #expect(expected == .firstContact(charge) && live.owner == "asha@example.com" && live.customerName == "Riya")
        }
    }
}
