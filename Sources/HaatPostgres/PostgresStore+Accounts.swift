import Foundation
import HaatCore
import HaatStore
import PostgresNIO

/// Accounts and sessions. Same meaning as `SQLiteStore`'s.
extension PostgresStore: AccountStore {
    public func createAccount(email: EmailAddress, name: String, role: Role, passwordHash: String, emailVouched: Bool) async throws -> Account {
        let account = Account(id: UUID().uuidString.lowercased(), email: email, name: name, role: role, status: .active,
                              passwordHash: passwordHash, createdAt: Date())
        // The unique email decides between two sign-ups at once, on any instance.
        let created = try await rowCount("""
            INSERT INTO accounts (id, email, name, role, status, password_hash, created_at, email_vouched)
            VALUES (\(account.id), \(email.value), \(name), \(role.rawValue), \(account.status.rawValue), \(passwordHash), \(account.createdAt),
                \(emailVouched))
            ON CONFLICT (email) DO NOTHING RETURNING id
            """)
        guard created > 0 else { throw StoreError.emailTaken }
        return account
    }

    public func account(id: String) async throws -> Account? {
        try await rows("SELECT * FROM accounts WHERE id = \(id)", Self.account).first
    }

    public func account(email: EmailAddress) async throws -> Account? {
        try await rows("SELECT * FROM accounts WHERE email = \(email.value)", Self.account).first
    }

    public func setStatus(_ status: AccountStatus, ofAccount id: String) async throws {
        try await client.query("UPDATE accounts SET status = \(status.rawValue) WHERE id = \(id)", logger: logger)
    }

    public func storeRefreshToken(hash: String, family: String, accountID: String, expiresAt: Date) async throws {
        try await client.query("""
            INSERT INTO refresh_tokens (token_hash, family, account_id, created_at, expires_at)
            VALUES (\(hash), \(family), \(accountID), \(Date()), \(expiresAt))
            """, logger: logger)
    }

    public func rotateRefreshToken(hash: String, successorHash: String, expiresAt: Date, now: Date) async throws -> RefreshOutcome {
        try await transaction { connection in
            // Locked: a token presented twice at once rotates once; the other sees it used.
            guard let token = try await Self.rows("SELECT * FROM refresh_tokens WHERE token_hash = \(hash) FOR UPDATE", on: connection, logger: logger, { row in
                (family: try row.value("family", as: String.self), accountID: try row.value("account_id", as: String.self),
                 expiresAt: try row.value("expires_at", as: Date.self), rotatedAt: try row.value("rotated_at", as: Date?.self),
                 revokedAt: try row.value("revoked_at", as: Date?.self))
            }).first else { return .invalid }
            if token.revokedAt != nil { return .invalid }
            if token.rotatedAt != nil {
                try await connection.query("UPDATE refresh_tokens SET revoked_at = \(now) WHERE family = \(token.family) AND revoked_at IS NULL",
                                           logger: logger)
                return .reused
            }
            guard token.expiresAt > now else { return .invalid }
            try await connection.query("UPDATE refresh_tokens SET rotated_at = \(now) WHERE token_hash = \(hash)", logger: logger)
            try await connection.query("""
                INSERT INTO refresh_tokens (token_hash, family, account_id, created_at, expires_at)
                VALUES (\(successorHash), \(token.family), \(token.accountID), \(now), \(expiresAt))
                """, logger: logger)
            return .rotated(accountID: token.accountID)
        }
    }

    public func revokeRefreshFamily(ofToken hash: String) async throws {
        try await client.query("""
            UPDATE refresh_tokens SET revoked_at = \(Date())
            WHERE revoked_at IS NULL AND family = (SELECT family FROM refresh_tokens WHERE token_hash = \(hash))
            """, logger: logger)
    }

    static func account(_ row: PostgresRandomAccessRow) throws -> Account {
        guard let role = Role(rawValue: try row.value("role")), let status = AccountStatus(rawValue: try row.value("status")) else {
            throw StoreError.conflict("corrupt account row")
        }
        return Account(id: try row.value("id"), email: EmailAddress(normalized: try row.value("email")), name: try row.value("name"),
                       role: role, status: status, passwordHash: try row.value("password_hash"), createdAt: try row.value("created_at"))
    }
}
