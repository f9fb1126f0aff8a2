import Foundation
import Hummingbird

/// What a fake SMS provider received and accepted, and the failures a test asks of it.
/// Shared by the MSG91 and Twilio fakes: each checks its provider's auth and body rules,
/// then records the text as delivered to the number.
public final class FakeSMSLog: @unchecked Sendable {
    /// One request exactly as it arrived, for byte-level assertions.
    public struct Request: Sendable {
        public let method: String
        public let path: String
        /// By lowercased name.
        public let headers: [String: String]
        public let body: String
    }

    /// An accepted text: to whom (E.164), and what (the text, or the template's variables).
    public struct Delivered: Sendable, Equatable {
        public let to: String
        public let text: String?
        public let variables: [String: String]

        public init(to: String, text: String?, variables: [String: String]) {
            self.to = to
            self.text = text
            self.variables = variables
        }
    }

    /// A failure to answer with, instead of accepting.
    public enum Failure: Sendable {
        case status(Int)
        /// Answers after this long (a slow provider).
        case delay(Duration)
    }

    private let lock = NSLock()
    private var recorded: [Request] = []
    private var accepted: [Delivered] = []
    private var failures: [Failure] = []

    public init() {}

    public var requests: [Request] { lock.withLock { recorded } }
    public var delivered: [Delivered] { lock.withLock { accepted } }

    /// The next requests answer these failures, one each, in order.
    public func inject(_ failures: Failure...) { lock.withLock { self.failures += failures } }

    /// The newest text to `phone`.
    public func lastText(to phone: String) -> Delivered? { lock.withLock { accepted.last { $0.to == phone } } }

    func record(_ request: Hummingbird.Request, body: String) -> Failure? {
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
        return lock.withLock {
            recorded.append(Request(method: request.method.rawValue, path: request.uri.path, headers: headers, body: body))
            return failures.isEmpty ? nil : failures.removeFirst()
        }
    }

    func deliver(_ text: Delivered) { lock.withLock { accepted.append(text) } }

    static func json(_ status: HTTPResponse.Status, _ object: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// A fake provider as a Hummingbird application on loopback.
public protocol FakeSMSProvider: Sendable {
    associatedtype App: ApplicationProtocol
    var log: FakeSMSLog { get }
    func application(host: String, port: Int, onListening: @escaping @Sendable (Int) async -> Void) -> App
}

extension FakeSMSProvider {
    /// Runs `body` with the fake listening on a free loopback port (its base URL given).
    public func whileListening(_ body: (String) async throws -> Void) async throws {
        let listening = AsyncStream<Int>.makeStream()
        let app = application(host: "127.0.0.1", port: 0) { listening.continuation.yield($0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            defer { group.cancelAll() }
            var ports = listening.stream.makeAsyncIterator()
            guard let port = await ports.next() else { return }
            try await body("http://127.0.0.1:\(port)")
        }
    }
}
