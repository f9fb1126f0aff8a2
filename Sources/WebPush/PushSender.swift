import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// Sends one encrypted message to one subscription's push service (RFC 8030), and says
/// what became of it. Knows nothing of Haat: its caller keeps the queue and the retries.
public struct PushSender: Sendable {
    /// A browser's subscription, as `PushSubscription.toJSON()` gives it.
    public struct Subscription: Sendable, Equatable {
        public var endpoint: String
        public var p256dh: Data
        public var auth: Data
        public init(endpoint: String, p256dh: Data, auth: Data) {
            self.endpoint = endpoint
            self.p256dh = p256dh
            self.auth = auth
        }

        /// The keys as a browser sends them (base64url), checked: nil unless `p256dh` is a
        /// point on P-256 and `auth` 16 bytes, as RFC 8291 requires.
        public init?(endpoint: String, p256dh: String, auth: String) {
            guard let point = Base64URL.decode(p256dh), (try? P256.KeyAgreement.PublicKey(x963Representation: point)) != nil,
                  let secret = Base64URL.decode(auth), secret.count == 16 else { return nil }
            self.init(endpoint: endpoint, p256dh: point, auth: secret)
        }
    }

    public enum Outcome: Sendable, Equatable {
        case delivered
        /// 404 or 410: the browser unsubscribed; the subscription should go.
        case gone
        /// 429, 5xx or no answer: worth trying again later (`after` if the service said when).
        case retry(after: TimeInterval?)
        /// An endpoint the policy refuses, a message that cannot be encrypted for it, or any
        /// other answer (a key the service refuses, a body too large): trying again would
        /// get the same. Says why.
        case refused(String)
    }

    public let key: VAPIDKey
    public let policy: PushEndpointPolicy
    let client: HTTPClient
    let timeout: TimeAmount
    /// Origins (scheme, host, port) the policy passed lately: a push service's addresses
    /// are looked up again after a minute, not for every message.
    let checkedOrigins = RecentChecks(keptFor: 60)
    /// The most of a push service's answer read (its body is only ever an error text).
    static let answerLimit = 16 * 1024

    public init(key: VAPIDKey, policy: PushEndpointPolicy, client: HTTPClient, timeout: TimeAmount = .seconds(10)) {
        self.key = key
        self.policy = policy
        self.client = client
        self.timeout = timeout
    }

    /// `message` encrypted for `subscription` and posted to its endpoint with VAPID, kept
    /// by the service for `ttl` seconds if the browser is away.
    public func send(_ message: Data, to subscription: Subscription, ttl: Int = 86_400, urgency: String = "high") async -> Outcome {
        let url: URL
        if let known = URL(string: subscription.endpoint), checkedOrigins.recentlyChecked(VAPIDKey.origin(of: known)) {
            url = known
        } else {
            do { url = try await policy.check(subscription.endpoint) } catch { return .refused(error.description) }
            checkedOrigins.checked(VAPIDKey.origin(of: url))
        }
        let body: Data, authorization: String
        do {
            body = try PushEncryption.encrypt(message, p256dh: subscription.p256dh, auth: subscription.auth)
            authorization = try await key.authorization(for: url)
        } catch {
            return .refused("cannot encrypt or sign for this subscription: \(error)")
        }
        var request = HTTPClientRequest(url: subscription.endpoint)
        request.method = .POST
        request.headers.add(name: "Authorization", value: authorization)
        request.headers.add(name: "Content-Encoding", value: "aes128gcm")
        request.headers.add(name: "Content-Type", value: "application/octet-stream")
        request.headers.add(name: "TTL", value: String(ttl))
        request.headers.add(name: "Urgency", value: urgency)
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: timeout)
            _ = try? await response.body.collect(upTo: Self.answerLimit)
            return Self.outcome(status: Int(response.status.code), retryAfter: response.headers.first(name: "Retry-After"))
        } catch {
            return .retry(after: nil)
        }
    }

    static func outcome(status: Int, retryAfter: String?) -> Outcome {
        switch status {
        case 200..<300: .delivered
        case 404, 410: .gone
        case 429, 500..<600: .retry(after: retryAfter.flatMap(TimeInterval.init))
        default: .refused("the push service answered \(status)")
        }
    }
}

/// What passed a check lately, forgotten `keptFor` seconds after it passed.
final class RecentChecks: Sendable {
    private let passed = Mutex<[String: Date]>([:])
    let keptFor: TimeInterval

    init(keptFor: TimeInterval) { self.keptFor = keptFor }

    func recentlyChecked(_ key: String, now: Date = Date()) -> Bool {
        passed.withLock { ($0[key] ?? .distantPast) > now.addingTimeInterval(-keptFor) }
    }

    func checked(_ key: String, now: Date = Date()) {
        passed.withLock { table in
            if table.count > 1000 { table.removeAll() }  // a handful of push services; never unbounded
            table[key] = now
        }
    }
}
