import Foundation
import HTTPTypes
import StoreFixtures
import Testing
@testable import HaatServer

/// API.md: a wrong method on a known path answers 405 `method_not_allowed` with `Allow`,
/// whatever the method: OPTIONS, TRACE and QUERY too (they were 404, as if the path did
/// not exist; found by schemathesis, which tries each).
struct WrongMethodTests {
    @Test func everyMethodAPathDoesNotAcceptIs405WithAllow() async throws {
        try await TestServer(.sqlite).run { api in
            for method in [HTTPRequest.Method.options, .trace, HTTPRequest.Method("QUERY")!, .delete, .put] {
                let reply = try await api.send(method, "auth/login")
                #expect(reply.status == .methodNotAllowed, "\(method) auth/login: \(reply.status)")
                #expect(reply.errorCode == "method_not_allowed", "\(method) auth/login: \(reply.text)")
                #expect(reply.headers[.allow] == "POST", "\(method) auth/login")
            }
            let withParameter = try await api.send(.options, "creator/profiles/aajis-oven/images/cake.jpg")
            #expect(withParameter.status == .methodNotAllowed && withParameter.headers[.allow] == "GET, DELETE")
            #expect(try await api.send(.options, "no/such/thing").status == .notFound)
        }
    }
}
