import Crypto
import Foundation
import JWTKit
import Testing
@testable import WebPush

@Suite struct VAPIDKeyTests {
    struct Claims: JWTPayload {
        let aud: String
        let exp: Int
        let sub: String
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    /// The header push services check: a JWT signed ES256 by the key whose public half is
    /// `k`, for the endpoint's origin, expiring within 24 hours, naming the subject.
    @Test func theAuthorizationIsAJWTForTheEndpointsOriginSignedByTheKey() async throws {
        let key = try VAPIDKey(privateKey: P256.Signing.PrivateKey(), subject: "mailto:ops@haat.example")
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let header = try await key.authorization(for: URL(string: "https://fcm.googleapis.com:443/fcm/send/abc?x=1")!, now: now)
        let parts = try #require(header.wholeMatch(of: /vapid t=([^,]+),k=(.+)/))
        #expect(String(parts.2) == key.publicKey)
        #expect(try #require(Base64URL.decode(key.publicKey)).count == 65)
        // Verified with the public key alone, as a push service does.
        let publicKey = try ES256PublicKey(backing: P256.Signing.PublicKey(x963Representation: #require(Base64URL.decode(String(parts.2)))))
        let verifier = await JWTKeyCollection().add(ecdsa: publicKey)
        let claims = try await verifier.verify(String(parts.1), as: Claims.self)
        #expect(claims.aud == "https://fcm.googleapis.com:443" && claims.sub == "mailto:ops@haat.example")
        #expect(claims.exp == 1_800_000_000 + 12 * 3600)
        let jwtHeader = try JSONSerialization.jsonObject(with: #require(Base64URL.decode(String(String(parts.1).split(separator: ".")[0])))) as! [String: Any]
        #expect(jwtHeader["alg"] as? String == "ES256" && jwtHeader["typ"] as? String == "JWT")
        // The same service's next push reuses the token until halfway to its expiry.
        #expect(try await key.authorization(for: URL(string: "https://fcm.googleapis.com:443/other")!, now: now.addingTimeInterval(5 * 3600)) == header)
        #expect(try await key.authorization(for: URL(string: "https://fcm.googleapis.com:443/other")!, now: now.addingTimeInterval(7 * 3600)) != header)
        // Never more than the 24 hours RFC 8292 allows.
        let long = try VAPIDKey(privateKey: key.privateKey, subject: key.subject, tokenLifetime: 7 * 86_400)
        let longHeader = try await long.authorization(for: URL(string: "https://push.example/x")!, now: now)
        let longToken = String(try #require(longHeader.wholeMatch(of: /vapid t=([^,]+),k=(.+)/)).1)
        #expect(try await verifier.verify(longToken, as: Claims.self).exp == 1_800_000_000 + 86_400)
    }

    @Test func theKeyIsReadFromPEMOrBase64URLAndNothingElse() throws {
        let key = P256.Signing.PrivateKey()
        #expect(try VAPIDKey.privateKey(from: key.pemRepresentation + "\n").rawRepresentation == key.rawRepresentation)
        #expect(try VAPIDKey.privateKey(from: Base64URL.encode(key.rawRepresentation)).rawRepresentation == key.rawRepresentation)
        for bad in ["", "not a key", Base64URL.encode(Data(count: 16)), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"] {
            #expect(throws: VAPIDKey.KeyError.unreadable) { try VAPIDKey.privateKey(from: bad) }
        }
    }

    @Test func theSubjectIsAMailtoOrHTTPSURL() throws {
        #expect(throws: VAPIDKey.KeyError.badSubject) { try VAPIDKey(privateKey: P256.Signing.PrivateKey(), subject: "ops@haat.example") }
        _ = try VAPIDKey(privateKey: P256.Signing.PrivateKey(), subject: "https://haat.example/contact")
    }
}
