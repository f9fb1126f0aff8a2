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
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw APIError.unauthenticated()
        }
        let token = String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        guard let claims = await tokens.verify(token) else {
            throw APIError.unauthenticated("The access token is invalid or expired: refresh it or sign in again.")
        }
        return claims
    }

    func account(for request: Request) async throws -> Account {
        let claims = try await claims(for: request)
        guard let account = try await store.account(id: claims.sub.value) else {
            throw APIError.unauthenticated("The account of this token no longer exists.")
        }
        guard account.status == .active else { throw APIError.accountSuspended }
        return account
    }
}
