import Foundation
import HaatCore

/// Accounts and sessions, for both stores.
extension SQLStore {
    public func createAccount(email: EmailAddress, name: String, role: Role, passwordHash: String, emailVouched: Bool) async throws -> Account {
        let account = Account(id: UUID().uuidString.lowercased(), email: email, name: name, role: role, status: .active,
                              passwordHash: passwordHash, createdAt: Date())
        guard try await insert(account, emailVouched: emailVouched) else { throw StoreError.emailTaken }
        return account
    }

    /// Writes a new account; false when its email is taken. The unique email decides
    /// between two sign-ups at once, on any instance. An account made with a phone has it
    /// verified from its creation.
    func insert(_ account: Account, emailVouched: Bool) async throws -> Bool {
        try await transaction { database in
            try await database.exists("""
                INSERT INTO accounts (id, email, name, role, status, password_hash, created_at, email_vouched, phone, phone_verified_at)
                VALUES (\(account.id), \(account.email.value), \(account.name), \(account.role.rawValue), \(account.status.rawValue),
                    \(account.passwordHash), \(account.createdAt), \(emailVouched), \(account.phone), \(account.phone.map { _ in account.createdAt }))
                ON CONFLICT (email) DO NOTHING RETURNING id
                """)
        }
    }

    public func account(id: String) async throws -> Account? {
        try await read { database in try await database.row(Account.select + " WHERE id = \(id)", Account.init(row:)) }
    }

    public func account(email: EmailAddress) async throws -> Account? {
        try await read { database in try await database.row(Account.select + " WHERE email = \(email.value)", Account.init(row:)) }
    }

    public func setStatus(_ status: AccountStatus, ofAccount id: String) async throws {
        try await transaction { database in try await database.execute("UPDATE accounts SET status = \(status.rawValue) WHERE id = \(id)") }
    }

    public func storeRefreshToken(hash: String, family: String, accountID: String, expiresAt: Date) async throws {
        try await transaction { database in
            try await database.execute("""
                INSERT INTO refresh_tokens (token_hash, family, account_id, created_at, expires_at)
                VALUES (\(hash), \(family), \(accountID), \(Date()), \(expiresAt))
                """)
        }
    }

    public func rotateRefreshToken(hash: String, successorHash: String, expiresAt: Date, now: Date) async throws -> RefreshOutcome {
        try await transaction { database in
            // Locked: a token presented twice at once rotates once; the other sees it used.
            guard let token = try await database.row("""
                SELECT family, account_id, expires_at, rotated_at, revoked_at FROM refresh_tokens WHERE token_hash = \(hash)\(sql: database.dialect.forUpdate)
                """, { row in
                (family: try row[0] as String, accountID: try row[1] as String, expiresAt: try row[2] as Date, rotatedAt: try row[3] as Date?,
                 revokedAt: try row[4] as Date?)
            }) else { return .invalid }
            if token.revokedAt != nil { return .invalid }
            if token.rotatedAt != nil {
                try await database.execute("UPDATE refresh_tokens SET revoked_at = \(now) WHERE family = \(token.family) AND revoked_at IS NULL")
                return .reused
            }
            guard token.expiresAt > now else { return .invalid }
            try await database.execute("UPDATE refresh_tokens SET rotated_at = \(now) WHERE token_hash = \(hash)")
            try await database.execute("""
                INSERT INTO refresh_tokens (token_hash, family, account_id, created_at, expires_at)
                VALUES (\(successorHash), \(token.family), \(token.accountID), \(now), \(expiresAt))
                """)
            return .rotated(accountID: token.accountID)
        }
    }

    public func revokeRefreshFamily(ofToken hash: String) async throws {
        try await transaction { database in
            try await database.execute("""
                UPDATE refresh_tokens SET revoked_at = \(Date())
                WHERE revoked_at IS NULL AND family = (SELECT family FROM refresh_tokens WHERE token_hash = \(hash))
                """)
        }
    }
}

extension SQLExecutor {
    /// Ends every session of the account: its refresh tokens stop working.
    public func revokeRefreshTokens(of accountID: String, now: Date) async throws {
        try await execute("UPDATE refresh_tokens SET revoked_at = \(now) WHERE account_id = \(accountID) AND revoked_at IS NULL")
    }
}

extension Account {
    /// The columns `init(row:)` reads, in its order.
    public static let select: SQL = "SELECT id, email, name, role, status, password_hash, created_at, phone FROM accounts"

    public init(row: any SQLRow) throws {
        guard let role = Role(rawValue: try row[3]), let status = AccountStatus(rawValue: try row[4]) else {
            throw StoreError.conflict("corrupt account row")
        }
        self.init(id: try row[0], email: EmailAddress(normalized: try row[1]), name: try row[2], role: role, status: status,
                  passwordHash: try row[5], createdAt: try row[6], phone: try row[7])
    }
}
