import Foundation
import HaatCore
import SMSFake
import StoreFixtures
import Testing
@testable import HaatServer

/// API.md: `sign_in` and `reset` codes "answer alike whether or not an account has that
/// number", so asking for codes cannot tell who has an account. Alike in what is answered
/// and in how long it takes: a request is timed for a number with an account and one
/// without, back to back (the order swapped each pair, so a warming cache favours
/// neither), and the median of the pairs' ratios held near 1. Run in the suite's second, quiet pass
/// (scripts/run-tests.sh), where the machine's noise is small against a 2× difference.
struct CodeTimingTests {
    static let pairs = 60

    @Test(arguments: StoreKind.allCases) func codesForKnownAndUnknownNumbersAnswerAlikeAndInAlikeTime(_ kind: StoreKind) async throws {
        try await PhoneCodeTests.withServer(kind, policy: { $0.resendAfter = 0; $0.perNumberPerHour = 1000; $0.perAddressPerHour = 10000 }) { _, api, fake in
            let known = (0..<Self.pairs).map { String(format: "+9170100%05d", $0) }
            let unknown = (0..<Self.pairs).map { String(format: "+9170200%05d", $0) }
            for phone in known {
                let (id, code) = try await PhoneCodeTests.code(api, fake, phone: phone)
                #expect(try await api.send(.post, "auth/otp/verify", json: ["otp_id": id, "code": code, "name": "Known"]).status == .ok)
            }
            for purpose in ["sign_in", "reset"] {
                var knownTimes: [Duration] = [], unknownTimes: [Duration] = [], ratios: [Double] = []
                var answers: Set<String> = []
                for pair in 0..<Self.pairs {
                    let order = pair % 2 == 0 ? [(known[pair], true), (unknown[pair], false)] : [(unknown[pair], false), (known[pair], true)]
                    var pairTimes: [Bool: Duration] = [:]
                    for (phone, hasAccount) in order {
                        var shape = ""
                        let time = try await ContinuousClock().measure {
                            let reply = try await api.send(.post, "auth/otp", json: ["phone": phone, "purpose": purpose])
                            shape = "\(reply.status.code) \(reply.json.keys.sorted()) \(reply.json["expires_in"] ?? "") \(reply.json["resend_after"] ?? "")"
                        }
                        answers.insert(shape)
                        pairTimes[hasAccount] = time
                        if hasAccount { knownTimes.append(time) } else { unknownTimes.append(time) }
                        // Texted either way: whether a text arrives tells nothing either.
                        #expect(fake.log.lastText(to: phone) != nil)
                    }
                    ratios.append(pairTimes[true, default: .zero] / pairTimes[false, default: .seconds(1)])
                }
                #expect(answers.count == 1 && answers.first?.hasPrefix("202 ") == true, "\(purpose): \(answers)")
                // Each pair ran back to back, so a busy moment slows both of it: the median
                // of the pairs' ratios is steadier than the ratio of the medians.
                let ratio = ratios.sorted()[ratios.count / 2]
                #expect(ratio > 2.0 / 3 && ratio < 1.5,
                        "\(purpose): median \(Self.median(knownTimes)) with an account, \(Self.median(unknownTimes)) without")
            }
        }
    }

    static func median(_ times: [Duration]) -> Duration {
        times.sorted()[times.count / 2]
    }
}
