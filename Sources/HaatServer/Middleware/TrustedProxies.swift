import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The proxies (a TLS reverse proxy, a load balancer) whose `X-Forwarded-For` Haat
/// believes: `HAAT_TRUSTED_PROXIES`, IP addresses and CIDR ranges separated by commas.
///
/// Behind a proxy every connection comes from the proxy, so limits counted per client
/// address would be shared by every customer at once. A client can write any
/// `X-Forwarded-For` it likes, though, so the header counts only when the connection
/// comes from a trusted proxy, and only the part that trusted proxies wrote: read from
/// the right, the first address that is not a trusted proxy's is the client's.
public struct TrustedProxies: Sendable, Equatable {
    let ranges: [AddressRange]

    /// Nobody: the connection's own address is the client's (the default).
    public static let none = TrustedProxies(ranges: [])

    init(ranges: [AddressRange]) { self.ranges = ranges }

    /// `text` such as `127.0.0.1, 10.0.0.0/8, ::1`; empty means nobody.
    public init(parsing text: String) throws(Invalid) {
        var ranges: [AddressRange] = []
        for entry in text.split(separator: ",") {
            let entry = entry.trimmingCharacters(in: .whitespaces)
            guard !entry.isEmpty else { continue }
            guard let range = AddressRange(entry) else { throw Invalid(entry: entry) }
            ranges.append(range)
        }
        self.ranges = ranges
    }

    public struct Invalid: Error, CustomStringConvertible {
        public let entry: String
        public var description: String {
            "\"\(entry)\" is not an IP address or a CIDR range (for example 127.0.0.1, 10.0.0.0/8 or ::1)"
        }
    }

    public var isEmpty: Bool { ranges.isEmpty }

    func trusts(_ address: IPAddress) -> Bool { ranges.contains { $0.contains(address) } }

    /// The client's address, for a connection from `peer` whose request carried
    /// `forwardedFor` (every `X-Forwarded-For` line, joined by commas).
    public func clientAddress(peer: String, forwardedFor: String?) -> String {
        guard let forwardedFor, let peerAddress = IPAddress(peer), trusts(peerAddress) else { return peer }
        var client = peer
        for hop in forwardedFor.split(separator: ",").reversed() {
            let hop = hop.trimmingCharacters(in: .whitespaces)
            // Not an address: nothing to its left was written by anyone we trust.
            guard let address = IPAddress(hop) else { break }
            client = hop
            if !trusts(address) { break }
        }
        return client
    }
}

/// An IPv4 or IPv6 address as its bytes; an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`,
/// what a dual-stack socket reports for an IPv4 peer) is its IPv4 address.
struct IPAddress: Equatable {
    let bytes: [UInt8]

    init?(_ text: String) {
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
        } else if inet_pton(AF_INET6, text, &v6) == 1 {
            let all = withUnsafeBytes(of: &v6) { Array($0) }
            let mappedPrefix: [UInt8] = Array(repeating: 0, count: 10) + [0xFF, 0xFF]
            bytes = Array(all.prefix(12)) == mappedPrefix ? Array(all.suffix(4)) : all
        } else {
            return nil
        }
    }
}

/// An address and how many of its leading bits a member shares: `10.0.0.0/8`; a bare
/// address is a range of one.
struct AddressRange: Equatable, Sendable {
    let bytes: [UInt8]
    let prefixBits: Int

    init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress(String(parts[0])) else { return nil }
        let width = address.bytes.count * 8
        var prefix = width
        if parts.count == 2 {
            guard let bits = Int(parts[1]), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), (0...width).contains(bits) else { return nil }
            prefix = bits
        }
        bytes = address.bytes
        prefixBits = prefix
    }

    func contains(_ address: IPAddress) -> Bool {
        guard address.bytes.count == bytes.count else { return false }
        var remaining = prefixBits
        for (mine, theirs) in zip(bytes, address.bytes) where remaining > 0 {
            let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
            if mine & mask != theirs & mask { return false }
            remaining -= 8
        }
        return true
    }
}
