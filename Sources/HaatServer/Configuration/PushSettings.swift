import Crypto
import Foundation
import NIOCore
import WebPush

/// Web Push to creators' devices (API.md "Lead alerts with the dashboard closed"): on with
/// `HAAT_VAPID_PRIVATE_KEY` and `HAAT_VAPID_SUBJECT`; `--demo` generates a key. Without a
/// key, push is off and its routes answer 404.
public struct PushSettings: Sendable {
    public let key: VAPIDKey
    /// Which endpoints may be called: https to public addresses, unless
    /// `HAAT_PUSH_ALLOW_PRIVATE=1` (tests on loopback only).
    public let policy: PushEndpointPolicy
    /// Devices per creator account; a new one beyond this replaces the oldest.
    public var subscriptionsPerAccount = 10
    /// How often deliveries that failed are looked at, to try them again when due.
    public var pollInterval: Duration = .seconds(2)
    /// How often every subscription is looked at, for what no wake-up named: leads made by
    /// another instance that stopped before it pushed them, work a stopped instance left
    /// claimed. Rounded up to a whole number of polls.
    public var sweepInterval: Duration = .seconds(30)
    /// How long a push service has to answer one message.
    public var requestTimeout: TimeAmount = .seconds(10)
    /// Retries of a failing subscription wait 2^n seconds, n the tries so far, up to this.
    public var longestRetryWait: TimeInterval = 10 * 60
    /// How long a lead is retried for before it is given up (API.md: an hour).
    public var retryFor: TimeInterval = 3600

    public init(key: VAPIDKey, policy: PushEndpointPolicy) {
        self.key = key
        self.policy = policy
    }

    static let demoSubject = "mailto:demo@haat.invalid"

    /// The settings the environment gives, or a generated key in demo mode, or nil (push
    /// off), with what the operator should be told. A key or subject that cannot be used is a
    /// start-up error naming it.
    static func fromEnvironment(_ environment: [String: String], demo: Bool) throws -> (settings: PushSettings?, note: String) {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let allowPrivate = value("HAAT_PUSH_ALLOW_PRIVATE") == "1"
        let policy = PushEndpointPolicy(allowPrivate: allowPrivate)
        let warning = allowPrivate ? " HAAT_PUSH_ALLOW_PRIVATE=1: push endpoints on private addresses and plain http are allowed (tests only)." : ""
        guard let text = value("HAAT_VAPID_PRIVATE_KEY") else {
            guard demo else { return (nil, "Push alerts are off: set HAAT_VAPID_PRIVATE_KEY and HAAT_VAPID_SUBJECT to turn them on.") }
            let key = try VAPIDKey(privateKey: P256.Signing.PrivateKey(), subject: value("HAAT_VAPID_SUBJECT") ?? demoSubject)
            return (PushSettings(key: key, policy: policy),
                    "Demo mode: generated a throwaway VAPID key for push alerts (devices subscribed now stop getting them when the server stops)." + warning)
        }
        let privateKey: P256.Signing.PrivateKey
        do { privateKey = try VAPIDKey.privateKey(from: text) } catch {
            throw ConfigurationError("HAAT_VAPID_PRIVATE_KEY is \(error); generate one with `openssl ecparam -name prime256v1 -genkey -noout`")
        }
        guard let subject = value("HAAT_VAPID_SUBJECT") else {
            throw ConfigurationError("HAAT_VAPID_SUBJECT must be set with HAAT_VAPID_PRIVATE_KEY: a mailto: or https: URL push services may contact")
        }
        let key: VAPIDKey
        do { key = try VAPIDKey(privateKey: privateKey, subject: subject) } catch {
            throw ConfigurationError("HAAT_VAPID_SUBJECT must be a mailto: or https: URL, not \"\(subject)\"")
        }
        return (PushSettings(key: key, policy: policy), "Push alerts are on." + warning)
    }
}
