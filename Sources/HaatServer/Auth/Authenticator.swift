import Foundation
import HaatStore
import Hummingbird

/// Turns `Authorization: Bearer <access_token>` into the signed-in account, checked
/// against the store on every request so a suspended account stops working at once.
struct Authenticator: Sendable {
    let tokens: AccessTokens
    let store: any HaatStore

    /// The verified claims of the request's access token (401 without a valid one). Routes
    /// that read the account in their own transaction use this instead of `account(for:)`.
    func claims(for request: Request) async throws -> AccessTokens.Claims {
        guard let token = request.headers[.authorization].flatMap(Self.bearerToken) else {
            throw APIError.unauthenticated()
        }
        guard let claims = await tokens.verify(token) else {
            throw APIError.unauthenticated("The access token is invalid or expired: refresh it or sign in again.")
        }
        return claims
    }

    /// The token of `Bearer <token>` (scheme case-insensitive, spaces around the token
    /// ignored). Plain UTF-8 work: this runs on every authenticated request, and
    /// Foundation's `lowercased` and `trimmingCharacters` cost more than the rest of it.
    static func bearerToken(_ header: String) -> String? {
        let scheme = "bearer "
        let utf8 = header.utf8
        guard utf8.count > scheme.utf8.count,
              zip(utf8, scheme.utf8).allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z") ~= $0 ? $0 | 0x20 : $0) == $1 }) else { return nil }
        let token = header.utf8.dropFirst(scheme.utf8.count).drop(while: { $0 == UInt8(ascii: " ") })
        let trimmed = token.reversed().drop(while: { $0 == UInt8(ascii: " ") }).count
        let result = Substring(token.prefix(trimmed))
        return result.isEmpty ? nil : String(result)
    }

    func account(for request: Request) async throws -> Account {
        let claims = try await claims(for: request)
        guard let account = try await store.account(id: claims.sub.value) else {
            throw APIError.unauthenticated("The account of this token no longer exists.")
        }
        guard account.status == .active else { throw APIError.accountSuspended }
        return account
    }

    /// The signed-in account, which must have `role` (else 403 `forbidden` with `refusal`).
    func account(for request: Request, role: Role, refusal: String) async throws -> Account {
        let account = try await account(for: request)
        guard account.role == role else { throw APIError(.forbidden, code: "forbidden", message: refusal) }
        return account
    }

    /// The signed-in admin (401 without a token, 403 for any other role).
    func admin(for request: Request) async throws -> Account {
        try await account(for: request, role: .admin, refusal: "Only admins may do this.")
    }
}
