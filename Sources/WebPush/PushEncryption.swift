import Crypto
import Foundation

/// A push message's body encrypted for one browser (RFC 8291, `Content-Encoding:
/// aes128gcm` of RFC 8188): ECDH between a fresh key of ours and the subscription's
/// `p256dh`, HKDF with its `auth` secret, then AES-128-GCM over the message, in one record.
/// Every primitive is swift-crypto's; only the RFC's arrangement of them is here.
public enum PushEncryption {
    public enum EncryptionError: Error, Equatable {
        /// `p256dh` is not an uncompressed P-256 point, or `auth` not 16 bytes.
        case badSubscriptionKeys
        /// Longer than one record of `recordSize` holds.
        case tooLong
    }

    /// One record: what push services accept (4,096 bytes with the header).
    public static let recordSize = 4096
    static let tagLength = 16

    /// The body to send: salt, record size, our public key, then the ciphertext.
    /// `serverKey` and `salt` are fresh for every message; tests pass RFC 8291's.
    public static func encrypt(_ message: some DataProtocol, p256dh: Data, auth: Data,
                               serverKey: P256.KeyAgreement.PrivateKey = .init(),
                               salt: Data = randomSalt()) throws -> Data {
        guard auth.count == 16, let browserKey = try? P256.KeyAgreement.PublicKey(x963Representation: p256dh),
              salt.count == 16 else { throw EncryptionError.badSubscriptionKeys }
        let serverPublic = serverKey.publicKey.x963Representation
        // RFC 8291 §3.3: the input keying material, from the ECDH secret and the auth secret.
        let shared = try serverKey.sharedSecretFromKeyAgreement(with: browserKey)
        let keyInfo = Data("WebPush: info".utf8) + [0] + browserKey.x963Representation + serverPublic
        let inputKey = shared.hkdfDerivedSymmetricKey(using: SHA256.self, salt: auth, sharedInfo: keyInfo, outputByteCount: 32)
        // RFC 8188 §2.2–2.3: the content key and nonce, from the salt.
        let contentKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: inputKey, salt: salt,
                                                 info: Data("Content-Encoding: aes128gcm".utf8) + [0], outputByteCount: 16)
        let nonceBytes = HKDF<SHA256>.deriveKey(inputKeyMaterial: inputKey, salt: salt,
                                                info: Data("Content-Encoding: nonce".utf8) + [0], outputByteCount: 12)
        // One record, the last: the message, then the delimiter 0x02 (no padding).
        var record = Data(message)
        record.append(2)
        let header = salt + bigEndian(UInt32(recordSize)) + [UInt8(serverPublic.count)] + serverPublic
        guard header.count + record.count + tagLength <= recordSize else { throw EncryptionError.tooLong }
        let sealed = try AES.GCM.seal(record, using: contentKey, nonce: AES.GCM.Nonce(data: nonceBytes.withUnsafeBytes { Data($0) }))
        return header + sealed.ciphertext + sealed.tag
    }

    public static func randomSalt() -> Data {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    private static func bigEndian(_ value: UInt32) -> Data {
        withUnsafeBytes(of: value.bigEndian) { Data($0) }
    }
}
