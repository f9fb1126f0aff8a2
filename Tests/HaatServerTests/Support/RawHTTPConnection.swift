import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection to the server under test that sends exactly the bytes it is
/// given, when it is told to: the slow clients, half-closed bodies and connection floods
/// that no HTTP client library will produce. Blocking calls: run it on a thread of its
/// own (`RawWebSocketProbe.onThreadOfItsOwn`).
final class RawHTTPConnection: @unchecked Sendable {
    let fd: Int32
    private(set) var received: [UInt8] = []
    /// The server closed its side (a read returned end of file, or the connection reset).
    private(set) var closedByServer = false

    init?(port: Int) {
        guard let fd = RawWebSocketProbe.loopbackSocket(port: port) else { return nil }
        self.fd = fd
    }

    deinit { close(fd) }

    var text: String { String(decoding: received, as: UTF8.self) }

    /// Sends `text`; false when the server is gone (no SIGPIPE: MSG_NOSIGNAL).
    @discardableResult
    func send(_ text: String) -> Bool {
        send(bytes: Array(text.utf8))
    }

    @discardableResult
    func send(bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// Closes the sending side only: the server sees the end of the request's bytes.
    func halfClose() {
        shutdown(fd, Int32(SHUT_WR))
    }

    /// Reads what arrives for up to `seconds`, returning early once the server closes;
    /// true if it did.
    @discardableResult
    func read(for seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !closedByServer {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { break }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(left * 1000) + 1) > 0 else { continue }
            let count = recv(fd, &buffer, buffer.count, 0)
            if count > 0 {
                received += buffer[0..<count]
            } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                closedByServer = true
            }
        }
        return closedByServer
    }

    /// Reads until the server closes or a whole response with a `Content-Length` body has
    /// come; the response's text.
    func response(within seconds: Double = 5) -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        while deadline.timeIntervalSinceNow > 0 {
            if let end = text.range(of: "\r\n\r\n") {
                let head = text[..<end.lowerBound].lowercased()
                let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                if text.utf8.count - text[..<end.upperBound].utf8.count >= length {
                    let whole = text
                    received.removeAll()
                    return whole
                }
            }
            if closedByServer { return received.isEmpty ? nil : text }
            read(for: min(0.05, max(0, deadline.timeIntervalSinceNow)))
        }
        return nil
    }

    /// Sends `pieces` one every `interval` seconds until they run out or the server
    /// closes; how long after the first piece it closed, or nil if it never did (then it
    /// waits `interval` once more).
    func trickle(_ pieces: [String], every interval: Double) -> Double? {
        let start = Date()
        for piece in pieces {
            guard send(piece) else { return Date().timeIntervalSince(start) }
            if read(for: interval) { return Date().timeIntervalSince(start) }
        }
        return nil
    }

    /// After how long the server closes a connection it is sending nothing more on; nil if
    /// not within `seconds`.
    func closedWithin(_ seconds: Double) -> Double? {
        let start = Date()
        return read(for: seconds) ? Date().timeIntervalSince(start) : nil
    }
}
