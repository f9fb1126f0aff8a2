import Crypto
import Foundation

/// Razorpay's two signatures (RAZORPAY.md §4, §5), both lowercase hex HMAC-SHA256:
/// Checkout's payment signature over `order_id|payment_id` with the key secret, and a
/// webhook's over the exact body bytes with the webhook secret. Checks compare the MACs in
/// constant time (swift-crypto), after decoding the hex; anything not 64 hex digits fails.
public enum RazorpaySignature {
    public static func payment(orderID: String, paymentID: String, keySecret: String) -> String {
        hex(HMAC<SHA256>.authenticationCode(for: Data("\(orderID)|\(paymentID)".utf8), using: SymmetricKey(data: Data(keySecret.utf8))))
    }

    public static func webhook(body: some DataProtocol, secret: String) -> String {
        hex(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8))))
    }

    /// Whether `signature` is Checkout's signature of this payment of the order the server
    /// stored (never the order id the browser echoes).
    public static func isValidPayment(orderID: String, paymentID: String, signature: String, keySecret: String) -> Bool {
        guard let mac = bytes(ofHex: signature) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Data("\(orderID)|\(paymentID)".utf8),
                                                      using: SymmetricKey(data: Data(keySecret.utf8)))
    }

    /// Whether `signature` (`X-Razorpay-Signature`) signs these exact body bytes.
    public static func isValidWebhook(body: some DataProtocol, signature: String, secret: String) -> Bool {
        guard let mac = bytes(ofHex: signature) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: body, using: SymmetricKey(data: Data(secret.utf8)))
    }

    static func hex(_ mac: HMAC<SHA256>.MAC) -> String {
        mac.map { String(format: "%02x", $0) }.joined()
    }

    /// 32 bytes from 64 lowercase hex digits (what Razorpay sends), else nil.
    static func bytes(ofHex text: String) -> Data? {
        let digits = Array(text.utf8)
        guard digits.count == 64 else { return nil }
        var bytes = Data(capacity: 32)
        for index in stride(from: 0, to: 64, by: 2) {
            guard let high = value(of: digits[index]), let low = value(of: digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    private static func value(of digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
