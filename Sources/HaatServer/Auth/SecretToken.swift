import Crypto
import Foundation
import HaatCore

/// Opaque bearer secrets (refresh tokens, WebSocket tickets): 256 random bits, URL-safe,
/// stored only as their SHA-256, so a leaked database reveals none.
enum SecretToken {
    static func random() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func hash(_ token: String) -> String {
        RevisionDigest.sha256(Data(token.utf8))
    }
}
