import Foundation
import HaatStore
import Testing

/// What resolving a report does, with no database.
struct ReportResolutionTests {
    static let customer = AccountRef(id: "cust", email: "riya@example.com", name: "Riya")
    static let creator = AccountRef(id: "creator", email: "asha@example.com", name: "Asha")

    static func report(by reporter: AccountRef = customer, subject: ReportSubject = .contact("k1"), resolved: Bool = false) -> ReportRecord {
        ReportRecord(id: "r1", reporter: reporter, subject: subject, reason: .noShow, details: nil,
                     resolution: resolved ? .init(action: .dismiss, note: nil, at: Date(timeIntervalSince1970: 0)) : nil,
                     createdAt: Date(timeIntervalSince1970: 0))
    }

    static let parties = ContactParties(customerID: "cust", creatorSlug: "asha-cakes", creatorAccountID: "creator")
    static let noAccount = ContactParties(customerID: "cust", creatorSlug: "asha-cakes", creatorAccountID: nil)
    static let reason = "report r1: no_show (late twice)"

    @Test(arguments: [
        (report(), ReportAction.dismiss, ContactParties?.some(parties), ReportResolution.dismiss),
        (report(resolved: true), .dismiss, parties, .refuse(.alreadyResolved)),
        (report(resolved: true), .suspendUser, parties, .refuse(.alreadyResolved)),
        (report(subject: .creator("asha-cakes")), .suspendCreator, nil, .suspendCreator(slug: "asha-cakes", reason: reason)),
        (report(), .suspendCreator, parties, .suspendCreator(slug: "asha-cakes", reason: reason)),
        (report(), .suspendCreator, nil, .dismiss),
        (report(subject: .creator("asha-cakes")), .suspendUser, nil, .refuse(.noUserInvolved)),
        // The customer reported: the creator's account is suspended; the creator reported: the customer.
        (report(), .suspendUser, parties, .suspendUser(accountID: "creator", reason: reason)),
        (report(by: creator), .suspendUser, parties, .suspendUser(accountID: "cust", reason: reason)),
        (report(), .suspendUser, noAccount, .refuse(.noUserInvolved)),
        (report(), .suspendUser, nil, .refuse(.notFound)),
    ] as [(ReportRecord, ReportAction, ContactParties?, ReportResolution)])
    func resolution(_ report: ReportRecord, _ action: ReportAction, _ parties: ContactParties?, _ expected: ReportResolution) {
        #expect(ReportResolution(report, action: action, note: "late twice", parties: parties) == expected)
    }
}
