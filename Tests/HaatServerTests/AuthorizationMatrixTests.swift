import Foundation
import HaatCore
import HaatStore
import Hummingbird
import StoreFixtures
import Testing
@testable import HaatServer

/// Every route of the API, called anonymously and as a customer, a creator and an admin:
/// public routes never ask for a token; everything else is 401 without one; admin routes
/// are 403 for every other role, creator routes for every role but creator. And no
/// account ever reaches another's objects.
struct AuthorizationMatrixTests {
    /// Routes anyone may call (API.md): health, the spec, signing in, plans, Razorpay's webhook.
    static let publicRoutes: Set<String> = [
        "GET health", "GET openapi.json", "POST auth/register", "POST auth/login", "POST auth/refresh", "POST auth/logout", "POST auth/otp", "POST auth/otp/verify",
        "GET plans", "POST payments/webhook",
    ]

    enum Caller: String, CaseIterable {
        case anonymous, customer, creator, admin
    }

    static func expectation(for route: String, caller: Caller) -> String {
        if publicRoutes.contains(route) { return "allowed" }
        if caller == .anonymous { return "401" }
        let path = route.split(separator: " ")[1]
        if path.hasPrefix("admin/") { return caller == .admin ? "allowed" : "403" }
        if path.hasPrefix("creator/") { return caller == .creator ? "allowed" : "403" }
        return "allowed"
    }

    @Test(arguments: StoreKind.allCases) func everyRouteAnswersEachRoleAsDocumented(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind) { $0.keepsTestAlertLog = true }  // demo mode's route too
        try server.usePublishing(["creators/cake-one/index.md": TestServer.creatorFile(name: "Cake One", account: "cakes@example.com", number: 10001)])
        try await server.importAndApprove(["cake-one"])
        let router = Router(context: HaatRequestContext.self)
        let routes = await registerAPI(on: router.group("api/v1"), configuration: server.configuration, store: server.store,
                                     testAlertLog: TestAlertLog()).routes
        #expect(routes.count >= 40 && routes.contains { $0.path == "creator/alerts/log" })
        try await server.run { api in
            var tokens: [Caller: String] = [:]
            tokens[.customer] = try await api.register("asha@example.com")["access_token"] as? String
            tokens[.creator] = try await api.register("maker@example.com", role: "creator")["access_token"] as? String
            tokens[.admin] = try await server.adminToken(api)
            var mismatches: [String] = []
            for route in routes {
                let name = "\(route.method.rawValue) \(route.path)"
                let path = route.path.replacing(/:(\w+)/) { _ in "unknown-id" }
                for caller in Caller.allCases {
                    let reply = try await api.send(route.method, path, json: [String: Any](), token: tokens[caller])
                    // A refused sign-in (401 invalid_credentials, or invalid_code for an unknown
                    // one-time code) is the route working, not asking for a token.
                    let got = reply.errorCode == "unauthenticated" ? "401" : reply.errorCode == "forbidden" ? "403" : "allowed"
                    #expect(reply.status.code != 401 || ["unauthenticated", "invalid_credentials", "invalid_code"].contains(reply.errorCode ?? ""), "\(name): \(reply.text)")
                    let expected = Self.expectation(for: name, caller: caller)
                    if got != expected { mismatches.append("\(name) as \(caller): \(reply.status.code) \(reply.text), expected \(expected)") }
                }
            }
            #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
        }
    }

    @Test(arguments: StoreKind.allCases) func noAccountReachesAnothersObjects(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        try server.usePublishing(["creators/cake-one/index.md": TestServer.creatorFile(name: "Cake One", account: "cakes@example.com", number: 10001)])
        try await server.importAndApprove(["cake-one"])
        try await server.run { api in
            let asha = try #require(try await api.register("asha@example.com")["access_token"] as? String)
            let ravi = try #require(try await api.register("ravi@example.com")["access_token"] as? String)
            let owner = try #require(try await api.register("cakes@example.com", role: "creator")["access_token"] as? String)
            let stranger = try #require(try await api.register("other-maker@example.com", role: "creator")["access_token"] as? String)
            let contact = try #require(try await api.send(.post, "creators/cake-one/contact", token: asha).json["contact_id"] as? String)

            #expect((try await api.send(.get, "contacts", token: ravi).json["items"] as? [Any])?.isEmpty == true)
            #expect(try await api.send(.post, "contacts/\(contact)/review", json: ["rating": 1], token: ravi).status == .notFound)
            #expect(try await api.send(.post, "reports", json: ["contact_id": contact, "reason": "spam"], token: ravi).status == .notFound)
            #expect(try await api.send(.post, "reports", json: ["contact_id": contact, "reason": "spam"], token: stranger).status == .notFound)
            #expect((try await api.send(.get, "creator/leads", token: stranger).json["items"] as? [Any])?.isEmpty == true)
            #expect(try await api.send(.patch, "creator/leads/\(contact)", json: ["status": "won"], token: stranger).status == .notFound)
            #expect((try await api.send(.get, "creator/leads", token: owner).json["items"] as? [[String: Any]])?.first?["contact_id"] as? String == contact)
            let me = try await api.send(.get, "me", token: ravi)
            #expect((me.json["user"] as? [String: Any])?["email"] as? String == "ravi@example.com")
        }
    }
}
