import Foundation
import HaatCore

/// One-time codes and verified numbers, for both stores. Limits are counted from the codes
/// themselves, under a lock on the number and one on the address, so instances sharing a
/// database allow together what one allows.
extension SQLStore {
    public func issueCode(_ request: CodeRequest, policy: CodePolicy) async throws -> CodeIssue {
        try await transaction { database in
            // Always the number's lock first, then the address's: two requests never wait on each other in a circle.
            try await database.lock("code-number:\(request.phone)")
            try await database.lock("code-address:\(request.clientAddress)")
            let since = request.now.addingTimeInterval(-CodePolicy.window)
            let last = try await database.value("""
                SELECT created_at FROM one_time_codes WHERE phone = \(request.phone) AND purpose = \(request.purpose.rawValue)
                ORDER BY created_at DESC LIMIT 1
                """, as: Date.self)
            let toNumber = try await database.rows("SELECT created_at FROM one_time_codes WHERE phone = \(request.phone) AND created_at > \(since)") { row -> Date in try row[0] }
            let fromAddress = try await database.rows("""
                SELECT created_at FROM one_time_codes WHERE client_address = \(request.clientAddress) AND created_at > \(since)
                """) { row -> Date in try row[0] }
            let facts = CodeRequestFacts(lastForNumberAndPurpose: last, sentToNumberInWindow: toNumber, sentFromAddressInWindow: fromAddress)
            if let wait = policy.admits(facts, now: request.now) { return .limited(retryAfter: wait) }
            // Codes dead for an hour count against no limit any more: cleared as new ones
            // come, so the table holds about the last hour's codes.
            try await database.execute("DELETE FROM one_time_codes WHERE expires_at < \(since)")
            try await database.execute("""
                INSERT INTO one_time_codes (id, phone, purpose, account_id, subject, code_hash, attempts, client_address, created_at, expires_at)
                VALUES (\(request.id), \(request.phone), \(request.purpose.rawValue), \(request.accountID), \(request.subject), \(request.codeHash), 0,
                    \(request.clientAddress), \(request.now), \(request.now.addingTimeInterval(policy.lifetime)))
                """)
            return .issued
        }
    }

    public func withdrawCode(_ id: String) async throws {
        try await transaction { database in try await database.execute("DELETE FROM one_time_codes WHERE id = \(id)") }
    }

    public func redeemCode(_ id: String, matches: @escaping @Sendable (String) -> Bool, completion: CodeCompletion, policy: CodePolicy, now: Date) async throws -> CodeRedemption {
        try await transaction { database in
            // Locked: the same code presented twice at once is used once.
            guard let code = try await database.row("""
                SELECT id, phone, purpose, account_id, subject, code_hash, attempts, expires_at, used_at FROM one_time_codes
                WHERE id = \(id)\(sql: database.dialect.forUpdate)
                """, StoredCode.init(row:)) else { return .dead }
            // A code asked for by an account is right only from that account: from any other
            // it is a wrong try, and stays unused for its owner.
            let presentedByItsAccount = code.accountID == nil || code.accountID == completion.presenterID
            switch policy.check(code, matches: presentedByItsAccount && matches(code.codeHash), now: now) {
            case .dead:
                return .dead
            case .wrong:
                try await database.execute("UPDATE one_time_codes SET attempts = attempts + 1 WHERE id = \(id)")
                return .wrong
            case .right:
                if code.purpose == .reset, !completion.hasNewPassword { return .newPasswordRequired }
                if code.purpose == .signIn, !completion.hasName, try await !database.exists("SELECT 1 FROM accounts WHERE phone = \(code.phone)") {
                    return .nameRequired
                }
                try await database.execute("UPDATE one_time_codes SET used_at = \(now) WHERE id = \(id)")
                return .redeemed(code)
            }
        }
    }

    public func account(verifiedPhone phone: String) async throws -> Account? {
        try await read { database in
            try await database.row(Account.select + " WHERE phone = \(phone) ORDER BY phone_verified_at DESC, id LIMIT 1", Account.init(row:))
        }
    }

    public func verifyPhone(_ phone: String, ofAccount id: String, at date: Date) async throws {
        try await transaction { database in
            try await database.execute("UPDATE accounts SET phone = \(phone), phone_verified_at = \(date) WHERE id = \(id)")
        }
    }

    public func createPhoneAccount(phone: String, name: String, passwordHash: String, at date: Date) async throws -> Account {
        let id = UUID().uuidString.lowercased()
        let account = Account(id: id, email: EmailAddress(normalized: "phone-\(id)@phone.haat.invalid"), name: name, role: .customer, status: .active,
                              passwordHash: passwordHash, createdAt: date, phone: phone)
        // The placeholder email holds a fresh id: it is never taken.
        guard try await insert(account, emailVouched: false) else { throw StoreError.emailTaken }
        return account
    }

    public func resetPassword(ofAccount id: String, hash: String, now: Date) async throws {
        try await transaction { database in
            try await database.execute("UPDATE accounts SET password_hash = \(hash) WHERE id = \(id)")
            try await database.revokeRefreshTokens(of: id, now: now)
        }
    }
}

extension StoredCode {
    init(row: any SQLRow) throws {
        guard let purpose = CodePurpose(rawValue: try row[2]) else { throw StoreError.conflict("corrupt one-time code row") }
        self.init(id: try row[0], phone: try row[1], purpose: purpose, accountID: try row[3], subject: try row[4], codeHash: try row[5],
                  attempts: try row[6], expiresAt: try row[7], usedAt: try row[8])
    }
}
