import Crypto
import Foundation
import Testing
@testable import WebPush
import WebPushFake

/// RFC 8291's worked example (Appendix A): the same keys, salt and message give the same bytes.
@Suite struct PushEncryptionTests {
    static let serverPrivate = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"
    static let browserPrivate = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"
    static let browserPublic = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"
    static let auth = "BTBZMqHH6r4Tts7J_aSIgg"
    static let salt = "DGv6ra1nlYgDCS1FRnbzlw"
    static let body = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"

    func bytes(_ text: String) throws -> Data { try #require(Base64URL.decode(text)) }

    @Test func theRFCsExampleEncryptsToTheRFCsBytes() throws {
        let serverKey = try P256.KeyAgreement.PrivateKey(rawRepresentation: bytes(Self.serverPrivate))
        let body = try PushEncryption.encrypt(Data("When I grow up, I want to be a watermelon".utf8),
                                              p256dh: bytes(Self.browserPublic), auth: bytes(Self.auth),
                                              serverKey: serverKey, salt: bytes(Self.salt))
        #expect(Base64URL.encode(body) == Self.body)
    }

    /// A fresh key and salt each time, and the browser's side (RFC 8291 §3.4, `FakeBrowser`)
    /// gets the message back.
    @Test func eachMessageHasItsOwnSaltAndKeyAndTheBrowserReadsIt() throws {
        let browser = FakeBrowser()
        let message = Data(#"{"type":"lead","seq":7}"#.utf8)
        let first = try PushEncryption.encrypt(message, p256dh: browser.key.publicKey.x963Representation, auth: browser.auth)
        let second = try PushEncryption.encrypt(message, p256dh: browser.key.publicKey.x963Representation, auth: browser.auth)
        #expect(first.prefix(16) != second.prefix(16) && first[21..<86] != second[21..<86])
        #expect(try browser.decrypt(first) == message)
        // Another browser cannot read it.
        #expect(throws: (any Error).self) { try FakeBrowser().decrypt(first) }
    }

    @Test func badKeysAndOversizedMessagesAreRefused() throws {
        let browser = P256.KeyAgreement.PrivateKey().publicKey.x963Representation
        #expect(throws: PushEncryption.EncryptionError.badSubscriptionKeys) {
            try PushEncryption.encrypt(Data("x".utf8), p256dh: Data(repeating: 4, count: 65), auth: Data(count: 16))
        }
        #expect(throws: PushEncryption.EncryptionError.badSubscriptionKeys) {
            try PushEncryption.encrypt(Data("x".utf8), p256dh: browser, auth: Data(count: 8))
        }
        #expect(throws: PushEncryption.EncryptionError.tooLong) {
            try PushEncryption.encrypt(Data(repeating: 65, count: 4000), p256dh: browser, auth: Data(count: 16))
        }
        // 3,000 bytes (API.md's largest push body) fit in the one record.
        _ = try PushEncryption.encrypt(Data(repeating: 65, count: 3000), p256dh: browser, auth: Data(count: 16))
    }
}
