import Foundation
import HaatStore
import Hummingbird

/// Turns `Authorization: Bearer <access_token>` into the signed-in account, checked
/// against the store on every request so a suspended account stops working at once.
struct Authenticator: Sendable {
    let tokens: AccessTokens
    let store: any HaatStore

    func account(for request: Request, allowSuspended: Bool = false) async throws -> Account {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw APIError.unauthenticated()
        }
        let token = String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        guard let claims = await tokens.verify(token) else {
            throw APIError.unauthenticated("The access token is invalid or expired: refresh it or sign in again.")
        }
        guard let account = try await store.account(id: claims.sub.value) else {
            throw APIError.unauthenticated("The account of this token no longer exists.")
        }
        guard account.status == .active || allowSuspended else { throw APIError.accountSuspended }
        return account
    }
}
