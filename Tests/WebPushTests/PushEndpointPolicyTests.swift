import Foundation
import Testing
@testable import WebPush

@Suite struct PushEndpointPolicyTests {
    /// Names resolved from a table, so that "a name resolving to a private address" needs no DNS.
    static let table: [String: [String]] = [
        "fcm.googleapis.com": ["142.250.183.10", "2404:6800:4009:80b::200a"],
        "push.evil.example": ["10.1.2.3"],
        "mixed.evil.example": ["142.250.183.10", "192.168.1.20"],
        "metadata.evil.example": ["169.254.169.254"],
    ]
    let policy = PushEndpointPolicy(allowPrivate: false) { host in
        (table[host] ?? [host]).compactMap(EndpointAddress.init)
    }

    @Test func aPublicHTTPSEndpointIsAccepted() async throws {
        let url = try await policy.check("https://fcm.googleapis.com/fcm/send/abc:def")
        #expect(url.host == "fcm.googleapis.com")
    }

    @Test(arguments: [
        ("http://fcm.googleapis.com/fcm/send/abc", PushEndpointPolicy.Refusal.notHTTPS),
        ("https://127.0.0.1/push", .privateAddress("127.0.0.1")),
        ("https://10.0.0.8/push", .privateAddress("10.0.0.8")),
        ("https://169.254.169.254/latest/meta-data", .privateAddress("169.254.169.254")),
        ("https://[::1]/push", .privateAddress("::1")),
        ("https://[fd00::1]/push", .privateAddress("fd00::1")),
        ("https://[::ffff:127.0.0.1]/push", .privateAddress("::ffff:127.0.0.1")),
        ("https://100.64.0.1/push", .privateAddress("100.64.0.1")),
        ("https://0.0.0.0/push", .privateAddress("0.0.0.0")),
        ("https://push.evil.example/x", .privateAddress("push.evil.example")),
        ("https://mixed.evil.example/x", .privateAddress("mixed.evil.example")),
        ("https://metadata.evil.example/x", .privateAddress("metadata.evil.example")),
        ("https://no-such-name.invalid/x", .unresolvable("no-such-name.invalid")),
        ("not a url", .notAURL),
        ("https:///path-only", .notAURL),
    ])
    func anEndpointIntoTheOperatorsNetworkIsRefused(endpoint: String, refusal: PushEndpointPolicy.Refusal) async {
        await #expect(throws: refusal) { try await policy.check(endpoint) }
    }

    @Test func testsOnLoopbackMayLiftTheRules() async throws {
        let open = PushEndpointPolicy(allowPrivate: true)
        #expect(try await open.check("http://127.0.0.1:9123/push/1").port == 9123)
    }

    @Test func theSystemResolverFindsLoopbackForLocalhost() async {
        await #expect(throws: PushEndpointPolicy.Refusal.privateAddress("localhost")) {
            try await PushEndpointPolicy(allowPrivate: false).check("https://localhost/push")
        }
    }

    @Test func publicAndPrivateAddressesAreToldApart() {
        let publicOnes = ["8.8.8.8", "142.250.183.10", "2404:6800:4009:80b::200a", "2001:4860:4860::8888", "::ffff:8.8.8.8", "64:ff9b::808:808"]
        let privateOnes = ["127.0.0.1", "10.255.0.1", "172.16.0.1", "172.31.255.255", "192.168.0.1", "169.254.1.1", "100.127.0.1",
                           "198.18.0.1", "224.0.0.1", "255.255.255.255", "::", "::1", "fe80::1", "fc00::1", "ff02::1", "2001:db8::1",
                           "::ffff:10.0.0.1", "64:ff9b::a00:1"]
        for text in publicOnes { #expect(EndpointAddress(text)?.isPublic == true, "\(text)") }
        for text in privateOnes { #expect(EndpointAddress(text)?.isPublic == false, "\(text)") }
        #expect(EndpointAddress("172.32.0.1")?.isPublic == true)
    }
}

@Suite struct PushOutcomeTests {
    @Test func answersAreSortedIntoWhatToDoNext() {
        #expect(PushSender.outcome(status: 201, retryAfter: nil) == .delivered)
        #expect(PushSender.outcome(status: 404, retryAfter: nil) == .gone)
        #expect(PushSender.outcome(status: 410, retryAfter: nil) == .gone)
        #expect(PushSender.outcome(status: 429, retryAfter: "30") == .retry(after: 30))
        #expect(PushSender.outcome(status: 503, retryAfter: nil) == .retry(after: nil))
        #expect(PushSender.outcome(status: 413, retryAfter: nil) == .refused("the push service answered 413"))
    }
}
