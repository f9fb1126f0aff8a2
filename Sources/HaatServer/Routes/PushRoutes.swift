import Foundation
import HaatStore
import Hummingbird
import WebPush

/// API.md "Lead alerts with the dashboard closed": the server's VAPID key and the creator's
/// push subscriptions, one per device. Creator accounts only; with push off (no VAPID key),
/// each route answers 404 once the caller is known to be a creator.
struct PushRoutes: Sendable {
    let store: any HaatStore
    let authenticator: Authenticator
    let settings: PushSettings?
    /// Push services' endpoints are URLs of a few hundred characters.
    static let longestEndpoint = 2048

    struct KeyBody: Encodable {
        let vapidPublicKey: String
        enum CodingKeys: String, CodingKey { case vapidPublicKey = "vapid_public_key" }
    }

    /// `PushSubscription.toJSON()`.
    struct SubscriptionBody: Decodable {
        struct Keys: Decodable {
            let p256dh: String?
            let auth: String?
        }
        let endpoint: String?
        let keys: Keys?
    }

    struct CreatedBody: Encodable {
        let subscriptionId: String
        enum CodingKeys: String, CodingKey { case subscriptionId = "subscription_id" }
    }

    /// A device in the creator's list: never its keys, nor the endpoint's path (a
    /// capability to push to it), only the push service it goes through.
    struct DeviceBody: Encodable {
        let subscriptionId: String
        let device: String
        let pushService: String
        let createdAt: String
        enum CodingKeys: String, CodingKey {
            case subscriptionId = "subscription_id", device, pushService = "push_service", createdAt = "created_at"
        }

        init(_ record: PushSubscriptionRecord) {
            subscriptionId = record.id
            device = record.device
            pushService = URL(string: record.endpoint)?.host ?? ""
            createdAt = RFC3339.string(from: record.createdAt)
        }
    }

    func register(on router: APIRouter) {
        router.on(.get, "creator/push/key", use: key)
        router.on(.post, "creator/push/subscriptions", use: subscribe)
        router.on(.get, "creator/push/subscriptions", use: subscriptions)
        router.on(.delete, "creator/push/subscriptions/:id", use: unsubscribe)
    }

    /// The signed-in creator and the push settings; 404 when push is off.
    func creatorWithPush(for request: Request) async throws -> (Account, PushSettings) {
        let account = try await authenticator.account(for: request, role: .creator, refusal: "Only creator accounts get lead alerts.")
        guard let settings else {
            throw APIError.notFound("Push alerts are off on this server (it has no HAAT_VAPID_PRIVATE_KEY).")
        }
        return (account, settings)
    }

    @Sendable func key(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let (_, settings) = try await creatorWithPush(for: request)
        return try JSONResponse.make(KeyBody(vapidPublicKey: settings.key.publicKey))
    }

    @Sendable func subscribe(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let (account, settings) = try await creatorWithPush(for: request)
        let body = try await JSONResponse.decode(SubscriptionBody.self, from: request, context: context)
        guard let endpoint = body.endpoint, !endpoint.isEmpty else { throw APIError.validation("endpoint is required") }
        guard endpoint.count <= Self.longestEndpoint else { throw APIError.validation("endpoint is longer than \(Self.longestEndpoint) characters") }
        guard let p256dh = body.keys?.p256dh, let auth = body.keys?.auth,
              PushSender.Subscription(endpoint: endpoint, p256dh: p256dh, auth: auth) != nil else {
            throw APIError.validation("keys.p256dh must be a P-256 public key and keys.auth 16 bytes, both base64url, as PushSubscription.toJSON() gives them")
        }
        do { _ = try await settings.policy.check(endpoint) } catch {
            throw APIError.validation("endpoint: \(error.description)")
        }
        let record = try await store.addPushSubscription(
            PushSubscriptionRecord(id: SecretToken.random(), ownerEmail: account.email.value, endpoint: endpoint, p256dh: p256dh, auth: auth,
                                   device: DeviceName(userAgent: request.headers[.userAgent] ?? "").text, createdAt: Date()),
            limit: settings.subscriptionsPerAccount)
        return try JSONResponse.make(CreatedBody(subscriptionId: record.id), status: .created)
    }

    @Sendable func subscriptions(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let (account, _) = try await creatorWithPush(for: request)
        let (limit, cursor) = try ListQuery.parse(request)
        let page = try await store.pushSubscriptions(ownedBy: account.email.value, limit: limit, after: cursor)
        return try JSONResponse.make(ListBody(items: page.items.map(DeviceBody.init), nextCursor: page.nextCursor))
    }

    @Sendable func unsubscribe(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let (account, _) = try await creatorWithPush(for: request)
        let id = context.parameters.get("id") ?? ""
        guard try await store.deletePushSubscription(id: id, ownedBy: account.email.value) else {
            throw APIError.notFound("You have no push subscription \"\(id)\".")
        }
        return JSONResponse.noContent()
    }
}
