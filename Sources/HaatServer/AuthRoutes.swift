import Crypto
import Foundation
import HaatCore
import HaatStore
import Hummingbird

/// `/auth/register`, `/auth/login`, `/auth/refresh`, `/auth/logout` and `/me`.
struct AuthRoutes: Sendable {
    let store: any HaatStore
    let passwords: Passwords
    /// `passwords.makeDecoyHash()`, made once.
    let decoyHash: String
    let tokens: AccessTokens
    let authenticator: Authenticator
    let limiter: RateLimiter
    let configuration: ServerConfiguration

    struct RegisterBody: Decodable {
        let email: String?
        let password: String?
        let name: String?
        let role: String?
    }

    struct LoginBody: Decodable {
        let email: String?
        let password: String?
    }

    struct RefreshBody: Decodable {
        let refreshToken: String?
        enum CodingKeys: String, CodingKey { case refreshToken = "refresh_token" }
    }

    struct MeBody: Encodable {
        let user: UserBody
        let quota: QuotaBody
    }

    func register(on router: APIRouter) {
        router.on(.post, "auth/register", use: register)
        router.on(.post, "auth/login", use: login)
        router.on(.post, "auth/refresh", use: refresh)
        router.on(.post, "auth/logout", use: logout)
        router.on(.get, "me", use: me)
    }

    @Sendable func register(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let body = try await JSONResponse.decode(RegisterBody.self, from: request, context: context)
        let limits = configuration.rateLimits
        if let wait = limiter.hit("register-ip:\(context.clientAddress)", limit: limits.limit(limits.registrationsPerAddress, per: limits.registrationWindow)) {
            throw APIError.rateLimited(retryAfter: wait)
        }
        var problems: [String] = []
        let email = body.email.flatMap(EmailAddress.init)
        if email == nil { problems.append("email must be an email address") }
        let password = body.password ?? ""
        if !Passwords.isAcceptable(password) {
            problems.append("password must be \(Passwords.minimumLength) to \(Passwords.maximumLength) characters")
        }
        let name = (body.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty || name.count > 80 { problems.append("name must be 1 to 80 characters") }
        // Only these two roles can be chosen; admins are made from the command line.
        let role: Role? = switch body.role {
        case nil, "customer"?: .customer
        case "creator"?: .creator
        default: nil
        }
        if role == nil { problems.append("role must be \"customer\" or \"creator\"") }
        guard problems.isEmpty, let email, let role else { throw APIError.validation(problems.joined(separator: "; ")) }
        let hash = try await passwords.hash(password)
        let account: Account
        do {
            account = try await store.createAccount(email: email, name: name, role: role, passwordHash: hash)
        } catch StoreError.emailTaken {
            throw APIError(.conflict, code: "email_taken", message: "An account with this email already exists: sign in instead.")
        }
        return try JSONResponse.make(try await newSession(for: account), status: .created)
    }

    @Sendable func login(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let body = try await JSONResponse.decode(LoginBody.self, from: request, context: context)
        let limits = configuration.rateLimits
        let emailText = (body.email ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let emailKey = "login-email:\(emailText)", addressKey = "login-ip:\(context.clientAddress)"
        let perEmail = limits.limit(limits.failedLoginsPerEmail, per: limits.loginWindow)
        let perAddress = limits.limit(limits.failedLoginsPerAddress, per: limits.loginWindow)
        let emailWait = limiter.retryAfter(emailKey, limit: perEmail)
        let addressWait = limiter.retryAfter(addressKey, limit: perAddress)
        if let wait = emailWait ?? addressWait { throw APIError.rateLimited(retryAfter: wait) }
        let account = try await EmailAddress(emailText).asyncFlatMap { try await store.account(email: $0) }
        // Verify against a decoy when the email is unknown: both refusals take as long.
        let matches = try await passwords.verify(body.password ?? "", against: account?.passwordHash ?? decoyHash)
        guard let account, matches else {
            limiter.record(emailKey, limit: perEmail)
            limiter.record(addressKey, limit: perAddress)
            throw APIError.invalidCredentials
        }
        guard account.status == .active else {
            throw APIError.accountSuspended
        }
        return try JSONResponse.make(try await newSession(for: account))
    }

    @Sendable func refresh(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let body = try await JSONResponse.decode(RefreshBody.self, from: request, context: context)
        guard let token = body.refreshToken, !token.isEmpty else { throw APIError.validation("refresh_token is required") }
        let successor = SecretToken.random()
        let outcome = try await store.rotateRefreshToken(hash: SecretToken.hash(token), successorHash: SecretToken.hash(successor),
                                                         expiresAt: Date().addingTimeInterval(configuration.refreshTokenLifetime), now: Date())
        switch outcome {
        case .rotated(let accountID):
            guard let account = try await store.account(id: accountID) else { throw APIError.unauthenticated() }
            guard account.status == .active else {
                throw APIError.accountSuspended
            }
            return try JSONResponse.make(SessionBody(user: UserBody(account), accessToken: try await tokens.issue(for: account),
                                                     refreshToken: successor, expiresIn: Int(tokens.lifetime)))
        case .reused:
            throw APIError.unauthenticated("This refresh token was already used, so every session of this sign-in was ended: sign in again.")
        case .invalid:
            throw APIError.unauthenticated("The refresh token is invalid or expired: sign in again.")
        }
    }

    @Sendable func logout(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let body = try await JSONResponse.decode(RefreshBody.self, from: request, context: context)
        guard let token = body.refreshToken, !token.isEmpty else { throw APIError.validation("refresh_token is required") }
        try await store.revokeRefreshFamily(ofToken: SecretToken.hash(token))
        return JSONResponse.noContent()
    }

    @Sendable func me(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let account = try await authenticator.account(for: request)
        let quota = try await store.quota(of: account.id, freeLimit: configuration.freeContacts, now: Date())
        return try JSONResponse.make(MeBody(user: UserBody(account), quota: QuotaBody(quota)))
    }

    private func newSession(for account: Account) async throws -> SessionBody {
        let refresh = SecretToken.random()
        try await store.storeRefreshToken(hash: SecretToken.hash(refresh), family: UUID().uuidString.lowercased(), accountID: account.id,
                                          expiresAt: Date().addingTimeInterval(configuration.refreshTokenLifetime))
        return SessionBody(user: UserBody(account), accessToken: try await tokens.issue(for: account), refreshToken: refresh,
                           expiresIn: Int(tokens.lifetime))
    }
}

extension Optional {
    func asyncFlatMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
