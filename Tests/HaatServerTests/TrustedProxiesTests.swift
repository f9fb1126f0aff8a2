import Testing
@testable import HaatServer

struct TrustedProxiesTests {
    let proxies = try! TrustedProxies(parsing: "127.0.0.1, 10.0.0.0/8, fd00::/8")

    @Test func aForwardedAddressCountsOnlyFromATrustedPeer() {
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: "203.0.113.7") == "203.0.113.7")
        #expect(proxies.clientAddress(peer: "198.51.100.1", forwardedFor: "203.0.113.7") == "198.51.100.1", "anyone can write the header")
        #expect(TrustedProxies.none.clientAddress(peer: "127.0.0.1", forwardedFor: "203.0.113.7") == "127.0.0.1")
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: nil) == "127.0.0.1")
    }

    @Test func theClientIsTheFirstUntrustedHopFromTheRight() {
        // The client wrote "1.1.1.1" itself; our load balancer (10.x) saw 203.0.113.7.
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: "1.1.1.1, 203.0.113.7, 10.1.2.3") == "203.0.113.7")
        // Every hop trusted: the leftmost is as far as anyone we trust saw.
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: "10.0.0.9, 10.1.2.3") == "10.0.0.9")
        // Garbage stops the walk at the last hop we could believe.
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: "203.0.113.7, not-an-address, 10.1.2.3") == "10.1.2.3")
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: "") == "127.0.0.1")
    }

    @Test func rangesMatchByTheirPrefixInBothFamilies() {
        #expect(proxies.clientAddress(peer: "11.0.0.1", forwardedFor: "203.0.113.7") == "11.0.0.1", "outside 10.0.0.0/8")
        #expect(proxies.clientAddress(peer: "fd12:3456::1", forwardedFor: "2001:db8::5") == "2001:db8::5")
        #expect(proxies.clientAddress(peer: "fe80::1", forwardedFor: "2001:db8::5") == "fe80::1")
        // A dual-stack socket reports an IPv4 peer as IPv4-mapped IPv6.
        #expect(proxies.clientAddress(peer: "::ffff:127.0.0.1", forwardedFor: "203.0.113.7") == "203.0.113.7")
        let narrow = try! TrustedProxies(parsing: "192.168.4.0/22")
        #expect(narrow.clientAddress(peer: "192.168.7.255", forwardedFor: "203.0.113.7") == "203.0.113.7")
        #expect(narrow.clientAddress(peer: "192.168.8.0", forwardedFor: "203.0.113.7") == "192.168.8.0")
    }

    @Test func aListThatIsNotAddressesIsRefusedNamingTheEntry() {
        for bad in ["localhost", "10.0.0.0/33", "10.0.0.0/", "::1/129", "10.0.0.0/8/1", "10.0.0.0/+8"] {
            #expect(throws: TrustedProxies.Invalid.self, "\(bad)") { try TrustedProxies(parsing: "127.0.0.1, \(bad)") }
        }
        do {
            _ = try TrustedProxies(parsing: "127.0.0.1,proxy.internal")
            Issue.record("accepted a host name")
        } catch {
            #expect(error.description.contains("\"proxy.internal\" is not an IP address or a CIDR range"))
        }
        #expect((try? TrustedProxies(parsing: " , "))?.isEmpty == true)
    }
}
