import Crypto
import Foundation
import Testing
@testable import HaatServer

/// `HAAT_JWT_SECRET`'s rules: placeholders are refused, what `openssl rand` makes is not.
struct SigningSecretTests {
    @Test func obviousPlaceholdersAreRefused() {
        #expect(SigningSecret.problem(String(repeating: "a", count: 40)) == "is one character repeated")
        #expect(SigningSecret.problem(String(repeating: "ab", count: 20))?.contains("2 characters repeated") == true)
        #expect(SigningSecret.problem(String(repeating: "changeme", count: 5))?.contains("8 characters repeated") == true)
        // A block repeated and cut short at the end is still a repetition.
        #expect(SigningSecret.problem(String(repeating: "0123456789abcdef", count: 3).dropLast(5).description)?.contains("16 characters repeated") == true)
        #expect(SigningSecret.problem("short")?.contains("at least 32") == true)
        // Long and not periodic, but drawn from a handful of characters.
        #expect(SigningSecret.problem("aaaaaaaaaabbbbbbbbbbccccccccccdddddddddd")?.contains("only 4 distinct characters") == true)
        #expect(SigningSecret.problem("passwordpassword1234passwordpassword")?.contains("distinct") == true)
    }

    @Test func randomSecretsAreAccepted() {
        for _ in 0..<1000 {
            let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
            // `openssl rand -hex 32` and `openssl rand -base64 32`.
            let hex = bytes.map { String(format: "%02x", $0) }.joined()
            #expect(SigningSecret.problem(hex) == nil, "\(hex)")
            #expect(SigningSecret.problem(hex.uppercased()) == nil, "\(hex)")
            #expect(SigningSecret.problem(bytes.base64EncodedString()) == nil, "\(bytes.base64EncodedString())")
        }
        #expect(SigningSecret.problem("a secret long enough for the tests " + UUID().uuidString) == nil)
    }
}
