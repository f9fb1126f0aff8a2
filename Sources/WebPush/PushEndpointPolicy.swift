import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Which push endpoints the server may call: `https://` URLs whose host resolves only to
/// public addresses, so that a subscription can never make the server request something
/// on the operator's own network (loopback, private, link-local, the cloud metadata
/// address). Checked when a browser subscribes and again before every send, since a name
/// may be pointed elsewhere later. `allowPrivate` lifts both rules, for tests on loopback.
public struct PushEndpointPolicy: Sendable {
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        case notAURL
        case notHTTPS
        case unresolvable(String)
        case privateAddress(String)

        public var description: String {
            switch self {
            case .notAURL: "the endpoint is not a URL"
            case .notHTTPS: "the endpoint must be an https:// URL"
            case .unresolvable(let host): "the endpoint's host \(host) does not resolve"
            case .privateAddress(let host): "the endpoint's host \(host) is not a public address"
            }
        }
    }

    public let allowPrivate: Bool
    /// The host's addresses; getaddrinfo by default, a table in tests.
    let resolve: @Sendable (String) async -> [EndpointAddress]

    public init(allowPrivate: Bool, resolve: (@Sendable (String) async -> [EndpointAddress])? = nil) {
        self.allowPrivate = allowPrivate
        self.resolve = resolve ?? { host in await EndpointAddress.resolve(host) }
    }

    /// The endpoint as a URL, or why the server will not call it.
    public func check(_ endpoint: String) async throws(Refusal) -> URL {
        guard let url = URL(string: endpoint), let scheme = url.scheme?.lowercased(), var host = url.host, !host.isEmpty else {
            throw .notAURL
        }
        if allowPrivate { return url }
        guard scheme == "https" else { throw .notHTTPS }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let addresses = await resolve(host)
        guard !addresses.isEmpty else { throw .unresolvable(host) }
        // Every address must be public: a name with one private address among public ones
        // could be connected to through it.
        guard addresses.allSatisfy(\.isPublic) else { throw .privateAddress(host) }
        return url
    }
}

/// An IPv4 or IPv6 address, as bytes.
public struct EndpointAddress: Sendable, Equatable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init?(_ text: String) {
        var v4 = in_addr(), v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
        } else if inet_pton(AF_INET6, text, &v6) == 1 {
            bytes = withUnsafeBytes(of: &v6) { Array($0) }
        } else {
            return nil
        }
    }

    init(bytes: [UInt8]) { self.bytes = bytes }

    public var description: String { bytes.count == 4 ? bytes.map(String.init).joined(separator: ".") : bytes.map { String(format: "%02x", $0) }.joined() }

    /// Whether this is an address of the public internet: not unspecified, loopback,
    /// private (RFC 1918, RFC 4193), shared (RFC 6598), link-local, benchmarking,
    /// documentation, multicast or reserved; an IPv4-mapped or NAT64 IPv6 address is
    /// judged by the IPv4 address inside it.
    public var isPublic: Bool {
        if bytes.count == 4 { return Self.publicV4(bytes) }
        let b = bytes
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xff && b[11] == 0xff { return Self.publicV4(Array(b[12..<16])) }  // ::ffff:a.b.c.d
        if b[0..<12] == [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0] { return Self.publicV4(Array(b[12..<16])) }   // 64:ff9b::/96
        if b[0..<15].allSatisfy({ $0 == 0 }) { return false }        // :: and ::1
        if b[0] & 0xfe == 0xfc { return false }                       // fc00::/7, unique local
        if b[0] == 0xfe && b[1] & 0xc0 == 0x80 { return false }       // fe80::/10, link-local
        if b[0] == 0xfe && b[1] & 0xc0 == 0xc0 { return false }       // fec0::/10, old site-local
        if b[0] == 0xff { return false }                               // multicast
        if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8 { return false }  // 2001:db8::/32, documentation
        return b[0] & 0xe0 == 0x20                                    // 2000::/3, the global unicast space
    }

    private static func publicV4(_ b: [UInt8]) -> Bool {
        switch (b[0], b[1]) {
        case (0, _), (10, _), (127, _): return false                  // this network, private, loopback
        case (100, 64...127): return false                            // shared address space (CGNAT)
        case (169, 254): return false                                  // link-local, cloud metadata
        case (172, 16...31), (192, 168): return false                 // private
        case (192, 0) where b[2] == 0 || b[2] == 2: return false      // IETF protocol assignments, documentation
        case (198, 18...19): return false                             // benchmarking
        case (198, 51) where b[2] == 100, (203, 0) where b[2] == 113: return false  // documentation
        case (224...255, _): return false                             // multicast, reserved, broadcast
        default: return true
        }
    }

    /// Every address getaddrinfo gives for `host` (none when it does not resolve), off the
    /// cooperative pool: getaddrinfo blocks.
    static func resolve(_ host: String) async -> [EndpointAddress] {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var hints = addrinfo()
                hints.ai_family = AF_UNSPEC
                hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
                var list: UnsafeMutablePointer<addrinfo>?
                guard getaddrinfo(host, nil, &hints, &list) == 0 else { return continuation.resume(returning: []) }
                defer { freeaddrinfo(list) }
                var addresses: [EndpointAddress] = []
                var entry = list
                while let info = entry?.pointee {
                    if info.ai_family == AF_INET, let address = info.ai_addr {
                        address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
                            var raw = v4.pointee.sin_addr
                            addresses.append(EndpointAddress(bytes: withUnsafeBytes(of: &raw) { Array($0) }))
                        }
                    } else if info.ai_family == AF_INET6, let address = info.ai_addr {
                        address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                            var raw = v6.pointee.sin6_addr
                            addresses.append(EndpointAddress(bytes: withUnsafeBytes(of: &raw) { Array($0) }))
                        }
                    }
                    entry = info.ai_next
                }
                continuation.resume(returning: addresses)
            }
        }
    }
}
