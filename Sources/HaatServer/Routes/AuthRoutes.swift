import Crypto
import Foundation
import HTTPTypes
import HaatCore
import HaatStore
import Hummingbird

/// `/auth/register`, `/auth/login`, `/auth/refresh`, `/auth/logout` and `/me`.
struct AuthRoutes: Sendable {
    let store: any HaatStore
    let passwords: Passwords
    /// `passwords.makeDecoyHash()`, made once.
    let decoyHash: String
    let authenticator: Authenticator
    let limiter: any RequestLimiter
    let configuration: ServerConfiguration
    let sessions: Sessions

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
        if let wait = try await limiter.hit("register-ip:\(context.clientAddress)", limit: limits.limit(limits.registrationsPerAddress, per: limits.registrationWindow)) {
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
        return try sessions.response(try await sessions.start(for: account), for: request, status: .created)
    }

    @Sendable func login(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let body = try await JSONResponse.decode(LoginBody.self, from: request, context: context)
        let limits = configuration.rateLimits
        let email = EmailAddress(body.email ?? "")
        // The limits count the email as the account lookup reads it: "a@b.in\r\n" is a@b.in.
        let emailKey = email?.value ?? (body.email ?? "").lowercased(), address = context.clientAddress
        // Counted before the password check, all at once: concurrent guesses cannot pass a
        // limit. A correct password takes its count back below.
        let attempt: RateLimiter.Admission
        switch try await limiter.admit([
            ("login-email-address:\(emailKey) \(address)", limits.limit(limits.failedLoginsPerEmailAndAddress, per: limits.loginWindow)),
            ("login-address:\(address)", limits.limit(limits.failedLoginsPerAddress, per: limits.loginWindow)),
            ("login-email:\(emailKey)", limits.limit(limits.failedLoginsPerEmail, per: limits.loginWindow)),
        ], now: Date()) {
        case .success(let admission): attempt = admission
        case .failure(let limited): throw APIError.rateLimited(retryAfter: limited.retryAfter)
        }
        let account = try await email.asyncFlatMap { try await store.account(email: $0) }
        // Verify against a decoy when the email is unknown or has no password yet: every
        // refusal takes as long.
        let hash = account.flatMap { $0.passwordHash == Passwords.unset ? nil : $0.passwordHash }
        let matches = try await passwords.verify(body.password ?? "", against: hash ?? decoyHash)
        guard let account, hash != nil, matches else { throw APIError.invalidCredentials }
        try await limiter.release(attempt)
        guard account.status == .active else {
            throw APIError.accountSuspended
        }
        return try sessions.response(try await sessions.start(for: account), for: request)
    }

    @Sendable func refresh(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let (token, fromCookie) = try await presentedRefreshToken(request, context: context)
        do {
            let successor = SecretToken.random()
            let outcome = try await store.rotateRefreshToken(hash: SecretToken.hash(token), successorHash: SecretToken.hash(successor),
                                                             expiresAt: Date().addingTimeInterval(configuration.refreshTokenLifetime), now: Date())
            switch outcome {
            case .rotated(let accountID):
                guard let account = try await store.account(id: accountID) else { throw APIError.unauthenticated() }
                guard account.status == .active else {
                    throw APIError.accountSuspended
                }
                return try sessions.response(try await sessions.body(for: account, refreshToken: successor), for: request)
            case .reused:
                throw APIError.unauthenticated("This refresh token was already used, so every session of this sign-in was ended: sign in again.")
            case .invalid:
                throw APIError.unauthenticated("The refresh token is invalid or expired: sign in again.")
            }
        } catch var error as APIError where fromCookie {
            // A cookie that signs in no more: the browser stops sending it.
            error.headers.append(HTTPField(name: .setCookie, value: RefreshCookie.clearing))
            throw error
        }
    }

    @Sendable func logout(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let (token, _) = try await presentedRefreshToken(request, context: context)
        try await store.revokeRefreshFamily(ofToken: SecretToken.hash(token))
        var response = JSONResponse.noContent()
        response.headers.append(HTTPField(name: .setCookie, value: RefreshCookie.clearing))
        return response
    }

    /// The refresh token of `/auth/refresh` and `/auth/logout`: the body's `refresh_token`
    /// (other clients), else the cookie (browsers, whose scripts never see the token).
    private func presentedRefreshToken(_ request: Request, context: HaatRequestContext) async throws -> (token: String, fromCookie: Bool) {
        let body = try await JSONResponse.decode(RefreshBody.self, from: request, context: context, emptyAs: "{}")
        if let token = body.refreshToken, !token.isEmpty { return (token, false) }
        if let token = RefreshCookie.token(in: request) { return (token, true) }
        throw APIError.validation("refresh_token is required (in the body, or the session cookie a browser sends)")
    }

    @Sendable func me(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let account = try await authenticator.account(for: request)
        let quota = try await store.quota(of: account.id, freeLimit: configuration.freeContacts,
                                          perVerifiedNumber: configuration.phoneVerification == .required, now: Date())
        return try JSONResponse.make(MeBody(user: UserBody(account, own: true), quota: QuotaBody(quota)))
    }
}

extension Optional {
    func asyncFlatMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
