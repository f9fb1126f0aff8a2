import Foundation
import Testing
@testable import HaatStore

/// The limits and the life of one-time codes, as tables: no database.
struct CodePolicyTests {
    static let now = Date(timeIntervalSince1970: 2_000_000_000)
    static func ago(_ seconds: TimeInterval) -> Date { now.addingTimeInterval(-seconds) }

    @Test(arguments: [
        // (last code for this number and purpose, codes to the number this hour, codes from the address this hour, wait)
        (nil, 0, 0, nil),
        (ago(10), 1, 1, 20),                      // resend after 30 s
        (ago(30), 1, 1, nil),
        (ago(40), 5, 5, 3600 - 3000),             // the number's fifth code of the hour was 50 min ago (oldest: ago(3000))
        (nil, 4, 10, 3600 - 3000),                // the address's tenth
        (nil, 4, 9, nil),
    ] as [(Date?, Int, Int, Int?)])
    func aNewCodeWaitsForEveryFullLimit(last: Date?, toNumber: Int, fromAddress: Int, wait: Int?) {
        let times = { (count: Int) in (0..<count).map { Self.ago(3000 - Double($0) * 10) } }
        let facts = CodeRequestFacts(lastForNumberAndPurpose: last, sentToNumberInWindow: times(toNumber), sentFromAddressInWindow: times(fromAddress))
        #expect(CodePolicy().admits(facts, now: Self.now) == wait)
    }

    @Test(arguments: [
        (nil, 0, 60, true, CodeCheck.right),
        (nil, 0, 60, false, .wrong),
        (nil, 4, 60, false, .wrong),
        (nil, 5, 60, true, .dead),               // out of tries: even the right code
        (nil, 0, -1, true, .dead),               // expired
        (ago(5), 0, 60, true, .dead),            // used
    ] as [(Date?, Int, TimeInterval, Bool, CodeCheck)])
    func aPresentedCodeIsRightWrongOrDead(usedAt: Date?, attempts: Int, expiresIn: TimeInterval, matches: Bool, expected: CodeCheck) {
        let code = StoredCode(id: "otp_1", phone: "+919822012345", purpose: .signIn, accountID: nil, codeHash: "h", attempts: attempts,
                              expiresAt: Self.now.addingTimeInterval(expiresIn), usedAt: usedAt)
        #expect(CodePolicy().check(code, matches: matches, now: Self.now) == expected)
    }
}
