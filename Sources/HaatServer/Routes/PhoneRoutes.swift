import Foundation
import HaatCore
import HaatStore
import Hummingbird
import Logging
import SMS

/// API.md "Phone numbers and one-time codes": `POST /auth/otp` sends a code by SMS,
/// `POST /auth/otp/verify` redeems it to sign in (making a customer account for a new
/// number), to verify the caller's number, or to reset the password of the account that
/// verified it; and "Creator side": `POST /creator/profiles/{slug}/claim` texts a code to
/// a profile's own approved phone, which confirms the caller as its owner when redeemed. Codes are made and checked here (`OneTimeCodes`); the provider only
/// carries the text; limits are counted in the store (`CodePolicy`), so every instance
/// shares them.
struct PhoneRoutes: Sendable {
    let store: any HaatStore
    let authenticator: Authenticator
    let passwords: Passwords
    let sessions: Sessions
    let codes: OneTimeCodes
    let sms: SMSSettings?
    let policy: CodePolicy
    let verification: PhoneVerification
    /// Delivers the leads that waited for a claimed profile's owner.
    let hub: any NotificationHub
    let logger: Logger

    struct CodeRequestBody: Decodable {
        let phone: String?
        let purpose: String?
    }

    struct IssuedBody: Encodable {
        let otpID: String
        let expiresIn: Int
        let resendAfter: Int
        /// Additive: the text went to the server's console (demo mode), not to a phone.
        let testSMS: Bool
        enum CodingKeys: String, CodingKey { case otpID = "otp_id", expiresIn = "expires_in", resendAfter = "resend_after", testSMS = "test_sms" }
    }

    struct VerifyBody: Decodable {
        let otpID: String?
        let code: String?
        let name: String?
        let newPassword: String?
        enum CodingKeys: String, CodingKey { case otpID = "otp_id", code, name, newPassword = "new_password" }
    }

    struct VerifiedBody: Encodable {
        let user: UserBody
    }

    func register(on router: APIRouter) {
        router.on(.post, "auth/otp", use: requestCode)
        router.on(.post, "auth/otp/verify", use: verifyCode)
        router.on(.post, "creator/profiles/:slug/claim", use: claim)
    }

    @Sendable func requestCode(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let body = try await JSONResponse.decode(CodeRequestBody.self, from: request, context: context)
        var problems: [String] = []
        // A claim's code is asked for on its own route, for a profile's phone.
        let purpose = body.purpose.flatMap(CodePurpose.init(rawValue:)).flatMap { $0 == .claim ? nil : $0 }
        if purpose == nil { problems.append("purpose must be sign_in, verify or reset") }
        let phone = body.phone.flatMap(Phone.mobile)
        if phone == nil { problems.append("phone must be a mobile number, such as 98220 12345 or +91 98220 12345") }
        guard problems.isEmpty, let purpose, let phone else { throw APIError.validation(problems.joined(separator: "; ")) }
        // Only `verify` needs an account: sign-in and reset answer alike for every number.
        let account = purpose == .verify ? try await authenticator.account(for: request) : nil
        return try await send(purpose, to: phone.e164, for: account, subject: nil, from: context.clientAddress)
    }

    /// A code for a creator account's profile, texted to the phone its approved revision
    /// gives: only whoever holds that phone can confirm the account as the owner.
    @Sendable func claim(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let account = try await authenticator.account(for: request, role: .creator, refusal: "Only creator accounts have profiles: sign up as a creator.")
        let slug = context.parameters.get("slug") ?? ""
        // With verification off, owners are confirmed by an admin alone (API.md "Creator side").
        guard verification == .required else {
            throw APIError.notFound("Claiming a profile by a code is off on this server: a Haat admin confirms its owner.")
        }
        guard let profile = try await store.creators(ownedBy: account.email.value).first(where: { $0.slug.rawValue == slug }) else {
            throw APIError.notFound("You have no profile \"\(slug)\".")
        }
        guard !profile.ownerConfirmed else { throw APIError(.conflict, code: "conflict", message: "This profile is already yours.") }
        guard let phone = try await store.approvedContactPhone(of: profile.slug) else {
            throw APIError(.conflict, code: "conflict", message: "This profile has no approved revision yet, so no phone to text: an admin can confirm you instead.")
        }
        return try await send(.claim, to: phone, for: account, subject: profile.slug.rawValue, from: context.clientAddress)
    }

    /// Records a code for `phone` under the limits and texts it; 202 with its id.
    private func send(_ purpose: CodePurpose, to phone: String, for account: Account?, subject: String?, from address: String) async throws -> Response {
        guard let sms else { throw APIError.badGateway("No SMS provider is configured on this server.") }
        let id = "otp_" + SecretToken.random()
        let code = OneTimeCodes.newCode()
        let issued = try await store.issueCode(CodeRequest(id: id, phone: phone, purpose: purpose, accountID: account?.id, subject: subject,
                                                           codeHash: codes.hash(code, id: id), clientAddress: address, now: Date()),
                                               policy: policy)
        if case .limited(let wait) = issued { throw APIError.rateLimited(retryAfter: wait) }
        let minutes = Int(policy.lifetime / 60)
        do {
            try await sms.gateway.send(SMSMessage(to: phone, text: "\(code) is your Haat code. It expires in \(minutes) minutes. Never share it.",
                                                  variables: ["otp": code]))
        } catch {
            // Not sent: it counts against no limit. The log names the provider's words, never the code.
            try await store.withdrawCode(id)
            logger.warning("SMS to a number failed through \(sms.gateway.name): \(error)")
            throw APIError.badGateway("The text could not be sent just now. Please try again in a minute.")
        }
        return try JSONResponse.make(IssuedBody(otpID: id, expiresIn: Int(policy.lifetime), resendAfter: Int(policy.resendAfter), testSMS: sms.testMode),
                                     status: .accepted)
    }

    @Sendable func verifyCode(_ request: Request, context: HaatRequestContext) async throws -> Response {
        let body = try await JSONResponse.decode(VerifyBody.self, from: request, context: context)
        let id = body.otpID ?? "", code = (body.code ?? "").trimmingCharacters(in: .whitespaces)
        let name = body.name.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        if let name, name.count > 80 { throw APIError.validation("name must be 1 to 80 characters") }
        if let password = body.newPassword, !Passwords.isAcceptable(password) {
            throw APIError.validation("new_password must be \(Passwords.minimumLength) to \(Passwords.maximumLength) characters")
        }
        // The caller, when signed in: a verify or claim code counts only from its own account.
        let presenter = request.headers[.authorization] == nil ? nil : try await authenticator.account(for: request)
        let redemption = try await store.redeemCode(id, matches: { [codes] stored in codes.matches(code, id: id, stored: stored) },
                                                    completion: CodeCompletion(hasName: name != nil, hasNewPassword: body.newPassword != nil,
                                                                               presenterID: presenter?.id),
                                                    policy: policy, now: Date())
        switch redemption {
        case .wrong, .dead:
            throw APIError(.unauthorized, code: "invalid_code", message: "That code is not right, or no longer valid: ask for a new one.")
        case .nameRequired:
            throw Self.nameRequired
        case .newPasswordRequired:
            throw APIError.validation("new_password is required to reset a password")
        case .redeemed(let stored):
            switch stored.purpose {
            case .signIn: return try await signIn(stored, name: name, request: request)
            case .verify: return try await verify(stored, by: presenter)
            case .reset: return try await reset(stored, password: body.newPassword ?? "")
            case .claim: return try await claimed(stored, by: presenter)
            }
        }
    }

    /// The account that verified the number most recently, or a new customer account.
    private func signIn(_ code: StoredCode, name: String?, request: Request) async throws -> Response {
        var account = try await store.account(verifiedPhone: code.phone)
        if account == nil, let name {
            account = try await store.createPhoneAccount(phone: code.phone, name: name, passwordHash: Passwords.unset, at: Date())
        }
        guard let account else { throw Self.nameRequired }
        guard account.status == .active else { throw APIError.accountSuspended }
        return try sessions.response(try await sessions.start(for: account), for: request)
    }

    /// The number becomes the caller's. The store redeemed the code only from the account
    /// that asked for it (`CodeCompletion.presenterID`), so `presenter` is that account.
    private func verify(_ code: StoredCode, by presenter: Account?) async throws -> Response {
        guard let account = presenter else { throw Self.notTheirs }
        try await store.verifyPhone(code.phone, ofAccount: account.id, at: Date())
        let verified = try await store.account(id: account.id) ?? account
        return try JSONResponse.make(VerifiedBody(user: UserBody(verified, own: true)))
    }

    /// The code reached the profile's phone: the account that asked (the presenter, as for
    /// `verify`) owns the profile now, and the leads that waited for it are delivered.
    private func claimed(_ code: StoredCode, by presenter: Account?) async throws -> Response {
        guard let account = presenter, let slug = code.subject.flatMap(Slug.init) else { throw Self.notTheirs }
        let confirmation = try await store.confirmOwner(of: slug, by: "sms:\(account.email.value)", now: Date())
        for lead in confirmation.deliveredLeads { hub.publish(lead) }
        return try JSONResponse.make(AdminCreatorRoutes.CreatorItem(confirmation.creator))
    }

    static let nameRequired = APIError.validation("name is required: no account has this number yet, and one is made with it")

    /// A code redeemed without the account it was asked by: the store never does this.
    private static let notTheirs = APIError(.unauthorized, code: "invalid_code", message: "That code was sent for another account: ask for a new one.")

    /// The same answer whether or not an account holds the number.
    private func reset(_ code: StoredCode, password: String) async throws -> Response {
        if let account = try await store.account(verifiedPhone: code.phone) {
            try await store.resetPassword(ofAccount: account.id, hash: try await passwords.hash(password), now: Date())
        }
        return JSONResponse.noContent()
    }
}
