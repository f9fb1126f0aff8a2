import Foundation

/// Razorpay, as `haat serve` talks to it (API.md "Command line and configuration").
public struct PaymentSettings: Sendable {
    /// `RAZORPAY_API_BASE`: `https://api.razorpay.com`, or a fake on loopback.
    public var apiBase: String
    /// `RAZORPAY_KEY_ID`: public, handed to Checkout in the browser.
    public var keyID: String
    /// `RAZORPAY_KEY_SECRET`: Basic auth to the API and the key of Checkout's signatures.
    public var keySecret: String
    /// `RAZORPAY_WEBHOOK_SECRET`: the key of webhook signatures (not the key secret).
    public var webhookSecret: String
    /// The Checkout script the browser loads: Razorpay's, or the fake's stand-in.
    public var checkoutScript: String
    /// Test payments through the loopback fake: pages say so.
    public var testMode: Bool
    /// How long a call to Razorpay may take, retries of a refused connection included.
    public var requestTimeout: TimeInterval = 10

    public static let razorpayAPIBase = "https://api.razorpay.com"
    public static let razorpayCheckoutScript = "https://checkout.razorpay.com/v1/checkout.js"

    public init(apiBase: String = razorpayAPIBase, keyID: String, keySecret: String, webhookSecret: String,
                checkoutScript: String = razorpayCheckoutScript, testMode: Bool = false) {
        self.apiBase = apiBase
        self.keyID = keyID
        self.keySecret = keySecret
        self.webhookSecret = webhookSecret
        self.checkoutScript = checkoutScript
        self.testMode = testMode
    }
}
