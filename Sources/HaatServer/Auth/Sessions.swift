import Foundation
import HTTPTypes
import HaatStore
import Hummingbird

/// A new sign-in for an account, by password or by code: a refresh token (stored only as
/// its hash, in a family of its own) and an access token, answered as API.md's `Session`
/// with the browser's refresh cookie.
struct Sessions: Sendable {
    let store: any HaatStore
    let tokens: AccessTokens
    let refreshTokenLifetime: TimeInterval

    func start(for account: Account) async throws -> SessionBody {
        let refresh = SecretToken.random()
        try await store.storeRefreshToken(hash: SecretToken.hash(refresh), family: UUID().uuidString.lowercased(), accountID: account.id,
                                          expiresAt: Date().addingTimeInterval(refreshTokenLifetime))
        return try await body(for: account, refreshToken: refresh)
    }

    /// API.md's `Session` for `account` with a refresh token already stored (a new sign-in's,
    /// or a rotation's successor) and a new access token.
    func body(for account: Account, refreshToken: String) async throws -> SessionBody {
        SessionBody(user: UserBody(account, own: true), accessToken: try await tokens.issue(for: account), refreshToken: refreshToken,
                    expiresIn: Int(tokens.lifetime))
    }

    /// Every response that issues a session goes through here: the JSON and the cookie.
    func response(_ session: SessionBody, for request: Request, status: HTTPResponse.Status = .ok) throws -> Response {
        try RefreshCookie.sessionResponse(session, for: request, lifetime: refreshTokenLifetime, status: status)
    }
}
