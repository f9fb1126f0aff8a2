import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Opens a WebSocket by hand on a plain TCP socket and returns the close code of the
/// server's first frame, if that frame is a close. For refusals, where the server closes
/// right after the upgrade: the WebSocket client library sometimes misses a close frame
/// that arrives in the same read as the 101 response (seen as a rare hang), while a
/// socket read shows what the server really sent.
enum RawWebSocketProbe {
    /// Runs a probe on a thread of its own: probes block while they read, and the server
    /// under test needs the test process's few task threads (one per core) to answer.
    static func onThreadOfItsOwn<T: Sendable>(_ probe: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: probe()) }.start()
        }
    }

    /// What a client that answers nothing saw: the opcodes of the server's frames, in
    /// order, and after how long the server hung up (nil: not within the time allowed).
    struct Silence {
        var opcodes: [UInt8] = []
        var droppedAfter: Double?
    }

    /// Opens the socket, then reads whatever comes (pings included) and answers nothing.
    static func stayingSilent(port: Int, path: String, timeoutSeconds: Int) -> Silence {
        var silence = Silence()
        guard let fd = connected(port: port, timeoutSeconds: timeoutSeconds) else { return silence }
        defer { close(fd) }
        sendHandshake(fd, path: path)
        let start = Date()
        guard head(fd) != nil else { return silence }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date().timeIntervalSince(start) < Double(timeoutSeconds) {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                silence.droppedAfter = Date().timeIntervalSince(start)
                break
            }
            guard count > 0 else { continue }
            received += buffer[0..<count]
            // Server frames are unmasked: opcode, then a 7-bit length (or 126 and 16 bits).
            while received.count >= 2 {
                let short = Int(received[1] & 0x7F)
                let header = short == 126 ? 4 : 2
                guard received.count >= header else { break }
                let length = short == 126 ? Int(received[2]) << 8 | Int(received[3]) : short
                guard received.count >= header + length else { break }
                silence.opcodes.append(received[0] & 0x0F)
                received.removeFirst(header + length)
            }
        }
        return silence
    }

    /// The head of the server's answer to a WebSocket upgrade asked for as the second
    /// request of a kept-alive connection, after a plain `GET firstPath` (as a proxy that
    /// reuses its connections would): the status line and headers, lowercased.
    static func lateUpgradeAnswer(port: Int, firstPath: String, path: String, timeoutSeconds: Int = 5) -> String? {
        guard let fd = connected(port: port, timeoutSeconds: timeoutSeconds) else { return nil }
        defer { close(fd) }
        let plain = "GET \(firstPath) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        _ = plain.withCString { send(fd, $0, strlen($0), 0) }
        guard let first = head(fd), let length = first.split(separator: "\r\n")
                .first(where: { $0.lowercased().hasPrefix("content-length:") })
                .flatMap({ Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) }) else { return nil }
        var body = [UInt8](repeating: 0, count: length)
        guard length == 0 || recv(fd, &body, length, Int32(MSG_WAITALL)) == length else { return nil }
        sendHandshake(fd, path: path)
        return head(fd)?.lowercased()
    }

    /// Reads byte by byte up to the end of an HTTP head, so nothing after it is consumed.
    private static func head(_ fd: Int32) -> String? {
        var received: [UInt8] = []
        var byte: UInt8 = 0
        while received.suffix(4) != [13, 10, 13, 10] {
            guard recv(fd, &byte, 1, 0) == 1 else { return nil }
            received.append(byte)
        }
        return String(decoding: received, as: UTF8.self)
    }

    private static func sendHandshake(_ fd: Int32, path: String) {
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
    }

    private static func connected(port: Int, timeoutSeconds: Int) -> Int32? {
        guard let fd = loopbackSocket(port: port) else { return nil }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    /// A blocking TCP socket connected to the server under test on loopback, or nil.
    static func loopbackSocket(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    static func firstCloseCode(port: Int, path: String, timeoutSeconds: Int = 5) -> Int? {
        guard let fd = connected(port: port, timeoutSeconds: timeoutSeconds) else { return nil }
        defer { close(fd) }
        sendHandshake(fd, path: path)
        // FIN + close, a length, then the code.
        var frame = [UInt8](repeating: 0, count: 4)
        guard head(fd) != nil, recv(fd, &frame, 4, Int32(MSG_WAITALL)) == 4, frame[0] == 0x88 else { return nil }
        return Int(frame[2]) << 8 | Int(frame[3])
    }
}
