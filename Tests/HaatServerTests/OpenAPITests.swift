import Foundation
import HaatStore
import Hummingbird
import StoreFixtures
import Testing
@testable import HaatServer

/// The served OpenAPI document and the router describe the same API: every route the
/// router has is documented with its method, and every documented route exists. And the
/// document holds together: every reference resolves, every path parameter is declared,
/// and every operation declares the answers any operation of its kind can give (what
/// schemathesis checks against a running server in `make test`, here without one).
struct OpenAPITests {
    @Test(arguments: StoreKind.allCases) func documentAndRouterAgree(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind)
        let router = Router(context: HaatRequestContext.self)
        let api = await registerAPI(on: router.group("api/v1"), configuration: server.configuration, store: server.store)
        let served = Set(api.routes.map { "\($0.method.rawValue.lowercased()) /\($0.path.replacing(/:(\w+)/) { "{\($0.1)}" })" })

        try await server.run { client in
            let reply = try await client.send(.get, "openapi.json")
            #expect(reply.status == .ok)
            #expect((reply.json["openapi"] as? String)?.hasPrefix("3.") == true)
            let paths = try #require(reply.json["paths"] as? [String: [String: Any]])
            var documented: Set<String> = []
            for (path, operations) in paths {
                for method in operations.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                    documented.insert("\(method) \(path)")
                }
            }
            #expect(served == documented, "undocumented: \(served.subtracting(documented)); not served: \(documented.subtracting(served))")
            #expect(served.count >= 10)
        }
    }

    static let methods: Set<String> = ["get", "post", "put", "patch", "delete"]

    static func document() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: OpenAPIRoutes.document) as? [String: Any])
    }

    /// The node a local reference (`#/components/schemas/Error`) points at.
    static func resolve(_ reference: String, in document: [String: Any]) -> Any? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: Any? = document
        for token in reference.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false) {
            let key = String(token).replacing("~1", with: "/").replacing("~0", with: "~")
            node = (node as? [String: Any])?[key]
        }
        return node
    }

    /// `node` itself, or what it refers to when it is a `{"$ref": ...}`.
    static func dereferenced(_ node: Any?, in document: [String: Any]) -> [String: Any]? {
        guard let object = node as? [String: Any] else { return nil }
        guard let reference = object["$ref"] as? String else { return object }
        return resolve(reference, in: document) as? [String: Any]
    }

    /// Every (path, method, operation) of the document.
    static func operations(of document: [String: Any]) throws -> [(path: String, method: String, operation: [String: Any])] {
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        return paths.sorted { $0.key < $1.key }.flatMap { path, item in
            item.filter { methods.contains($0.key) }.sorted { $0.key < $1.key }.compactMap { method, operation in
                (operation as? [String: Any]).map { (path, method, $0) }
            }
        }
    }

    @Test func everyReferenceResolves() throws {
        let document = try Self.document()
        var references: [String] = []
        func collect(_ node: Any) {
            if let object = node as? [String: Any] {
                if let reference = object["$ref"] as? String { references.append(reference) }
                object.values.forEach(collect)
            } else if let array = node as? [Any] {
                array.forEach(collect)
            }
        }
        collect(document)
        #expect(references.count > 100)
        let broken = references.filter { Self.resolve($0, in: document) == nil }
        #expect(broken.isEmpty, "references to nothing: \(Set(broken).sorted())")
    }

    /// Each `{name}` of a path is a declared path parameter of each of its operations, and
    /// nothing else is (schemathesis refuses to test an operation otherwise).
    @Test func everyPathParameterIsDeclared() throws {
        let document = try Self.document()
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var problems: [String] = []
        for (path, method, operation) in try Self.operations(of: document) {
            let inPath = Set(path.matches(of: /\{(\w+)\}/).map { String($0.1) })
            let declared = ((paths[path]?["parameters"] as? [Any] ?? []) + (operation["parameters"] as? [Any] ?? []))
                .compactMap { Self.dereferenced($0, in: document) }
                .filter { $0["in"] as? String == "path" }
            let names = Set(declared.compactMap { $0["name"] as? String })
            if names != inPath { problems.append("\(method.uppercased()) \(path) declares \(names.sorted()), not \(inPath.sorted())") }
            if declared.contains(where: { $0["required"] as? Bool != true }) { problems.append("\(method.uppercased()) \(path): a path parameter not required") }
        }
        #expect(problems.isEmpty, "\(problems)")
    }

    /// The answers every operation of a kind can give (API.md "Conventions"): 422 for a NUL
    /// in a query parameter, on every operation; 401 and 403 with a token required; 400 and
    /// 413 for a JSON body; 429 with `Retry-After`; and every error in API.md's shape.
    @Test func everyOperationDeclaresTheAnswersOfItsKind() throws {
        let document = try Self.document()
        var problems: [String] = []
        for (path, method, operation) in try Self.operations(of: document) {
            let name = "\(method.uppercased()) \(path)"
            let responses = (operation["responses"] as? [String: Any] ?? [:]).mapValues { Self.dereferenced($0, in: document) ?? [:] }
            var expected: Set<String> = ["422"]
            if let security = operation["security"] as? [Any], !security.isEmpty { expected.formUnion(["401", "403"]) }
            let body = Self.dereferenced(operation["requestBody"], in: document)
            if (body?["content"] as? [String: Any])?["application/json"] != nil { expected.formUnion(["400", "413"]) }
            let missing = expected.subtracting(responses.keys)
            if !missing.isEmpty { problems.append("\(name) does not declare \(missing.sorted())") }
            for (status, response) in responses where status.first == "4" || status.first == "5" {
                let schema = ((response["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any]
                let shape = schema?["$ref"] as? String
                if !["#/components/schemas/Error", "#/components/schemas/SubscriptionRequired"].contains(shape) {
                    problems.append("\(name) \(status) is not API.md's error shape")
                }
                if status == "429", (response["headers"] as? [String: Any])?["Retry-After"] == nil {
                    problems.append("\(name) 429 without Retry-After")
                }
            }
        }
        #expect(problems.isEmpty, "\(problems)")
    }

    /// A response object lists every field it carries, so schemathesis fails on a field
    /// the document does not describe. Open on purpose: the top of Error, which
    /// SubscriptionRequired extends, and the parts of an allOf.
    @Test func everyResponseObjectIsClosed() throws {
        let document = try Self.document()
        var open: Set<String> = [], visited: Set<String> = []
        func check(_ node: Any, at place: String, composed: Bool = false) {
            if let array = node as? [Any] {
                array.forEach { check($0, at: place) }
                return
            }
            guard let object = node as? [String: Any] else { return }
            if let reference = object["$ref"] as? String {
                guard visited.insert(reference).inserted, let target = Self.resolve(reference, in: document) else { return }
                check(target, at: reference, composed: reference == "#/components/schemas/Error")
                return
            }
            if object["properties"] != nil, !composed, object["additionalProperties"] as? Bool != false,
               object["additionalProperties"] as? [String: Any] == nil {
                open.insert(place)
            }
            for (key, value) in object {
                if key == "allOf", let parts = value as? [Any] {
                    parts.forEach { check($0, at: place, composed: true) }
                } else if key != "examples", key != "example" {
                    check(value, at: place)
                }
            }
        }
        for (path, method, operation) in try Self.operations(of: document) {
            for (status, response) in operation["responses"] as? [String: Any] ?? [:] {
                let content = Self.dereferenced(response, in: document)?["content"] ?? [:]
                check(content, at: "\(method.uppercased()) \(path) \(status)")
            }
        }
        #expect(open.isEmpty, "response objects without additionalProperties: false: \(open.sorted())")
    }
}
