import Crypto
import Foundation
import Hummingbird
import Synchronization
import WebPush

/// A browser's push service on loopback, for tests and the push benchmark: it takes
/// `POST /push/<name>` as a push service takes a message for one subscription, keeps
/// each request as it arrived, and answers 201, or the failures a test asks for. The
/// independent check of the encryption and the VAPID token is the Python fake's
/// (http-ece, py-vapid); this one is for the server's own tests and its load.
public final class FakePushService: Sendable {
    public struct Received: Sendable {
        public let name: String
        /// By lowercased name.
        public let headers: [String: String]
        public let body: Data
        /// When it arrived.
        public let at: Date
    }

    public enum Failure: Sendable, Equatable {
        /// Answer this status (404 or 410: the browser is gone; 429 or 5xx: later).
        case status(Int)
    }

    private let state = Mutex<(received: [Received], failures: [String: [Failure]])>(([], [:]))
    /// Called with each message as it arrives (the benchmark's clock).
    let onReceive: @Sendable (Received) -> Void

    public init(onReceive: @escaping @Sendable (Received) -> Void = { _ in }) {
        self.onReceive = onReceive
    }

    public var received: [Received] { state.withLock { $0.received } }
    public func received(by name: String) -> [Received] { received.filter { $0.name == name } }

    /// The next messages for subscription `name` are answered with these, one each, in order.
    public func inject(_ failures: Failure..., for name: String) {
        state.withLock { $0.failures[name, default: []] += failures }
    }

    public func application(host: String = "127.0.0.1", port: Int = 0,
                            onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let router = Router()
        router.post("push/:name") { request, context -> Response in
            let name = context.parameters.get("name") ?? ""
            let body = try await request.body.collect(upTo: 8192)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
            let message = Received(name: name, headers: headers, body: Data(buffer: body), at: Date())
            let failure = self.state.withLock { state -> Failure? in
                state.received.append(message)
                guard var queued = state.failures[name], !queued.isEmpty else { return nil }
                let first = queued.removeFirst()
                state.failures[name] = queued
                return first
            }
            self.onReceive(message)
            if case .status(let code)? = failure { return Response(status: .init(code: code)) }
            return Response(status: .created)
        }
        return Application(router: router, configuration: .init(address: .hostname(host, port: port)),
                           onServerRunning: { await onListening($0.localAddress?.port ?? port) })
    }

    /// Runs `body` with the service listening on a free loopback port (its base URL given).
    public func whileListening(_ body: (String) async throws -> Void) async throws {
        let listening = AsyncStream<Int>.makeStream()
        let app = application { listening.continuation.yield($0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            defer { group.cancelAll() }
            var ports = listening.stream.makeAsyncIterator()
            guard let port = await ports.next() else { return }
            try await body("http://127.0.0.1:\(port)")
        }
    }
}

/// A browser's side of a subscription: its key pair and auth secret, what it sends the
/// server (`PushSubscription.toJSON()`), and how it reads a message (RFC 8291 §3.4).
public struct FakeBrowser: Sendable {
    public let key = P256.KeyAgreement.PrivateKey()
    public let auth: Data

    public init() {
        var generator = SystemRandomNumberGenerator()
        auth = Data((0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// The subscription's JSON for `endpoint`.
    public func subscription(endpoint: String) -> [String: Any] {
        ["endpoint": endpoint, "keys": ["p256dh": Base64URL.encode(key.publicKey.x963Representation), "auth": Base64URL.encode(auth)]]
    }

    public enum ReadError: Error { case malformed, notLastRecord }

    /// The message inside an `aes128gcm` body sent to this browser.
    public func decrypt(_ body: Data) throws -> Data {
        let body = Data(body)
        guard body.count > 21 else { throw ReadError.malformed }
        let salt = body.prefix(16), keyLength = Int(body[20])
        guard body.count > 21 + keyLength + 16 else { throw ReadError.malformed }
        let serverPublic = try P256.KeyAgreement.PublicKey(x963Representation: body[21..<(21 + keyLength)])
        let shared = try key.sharedSecretFromKeyAgreement(with: serverPublic)
        let info = Data("WebPush: info".utf8) + [0] + key.publicKey.x963Representation + serverPublic.x963Representation
        let inputKey = shared.hkdfDerivedSymmetricKey(using: SHA256.self, salt: auth, sharedInfo: info, outputByteCount: 32)
        let contentKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: inputKey, salt: salt, info: Data("Content-Encoding: aes128gcm".utf8) + [0],
                                                outputByteCount: 16)
        let nonce = HKDF<SHA256>.deriveKey(inputKeyMaterial: inputKey, salt: salt, info: Data("Content-Encoding: nonce".utf8) + [0],
                                           outputByteCount: 12)
        let sealed = body.suffix(from: 21 + keyLength)
        let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: nonce.withUnsafeBytes { Data($0) }),
                                        ciphertext: sealed.dropLast(16), tag: sealed.suffix(16))
        var record = try AES.GCM.open(box, using: contentKey)
        // The last record ends with 0x02 after any zero padding (RFC 8188 §2).
        while record.last == 0 { record.removeLast() }
        guard record.last == 2 else { throw ReadError.notLastRecord }
        return record.dropLast()
    }
}
