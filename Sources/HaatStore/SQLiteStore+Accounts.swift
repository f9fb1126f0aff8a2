import Foundation
import GRDB
import HaatCore

extension SQLiteStore {
    public func createAccount(email: EmailAddress, name: String, role: Role, passwordHash: String, emailVouched: Bool) async throws -> Account {
        let account = Account(id: UUID().uuidString.lowercased(), email: email, name: name, role: role, status: .active,
                              passwordHash: passwordHash, createdAt: Date())
        return try await pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM accounts WHERE email = ?", arguments: [email.value]) == true {
                throw StoreError.emailTaken
            }
            try db.execute(sql: """
                INSERT INTO accounts (id, email, name, role, status, password_hash, created_at, email_vouched) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [account.id, email.value, name, role.rawValue, account.status.rawValue, passwordHash, account.createdAt,
                                 emailVouched])
            return account
        }
    }

    public func account(id: String) async throws -> Account? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM accounts WHERE id = ?", arguments: [id]).map(SQLiteStore.account)
        }
    }

    public func account(email: EmailAddress) async throws -> Account? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM accounts WHERE email = ?", arguments: [email.value]).map(SQLiteStore.account)
        }
    }

    public func setStatus(_ status: AccountStatus, ofAccount id: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE accounts SET status = ? WHERE id = ?", arguments: [status.rawValue, id])
        }
    }

    public func storeRefreshToken(hash: String, family: String, accountID: String, expiresAt: Date) async throws {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO refresh_tokens (token_hash, family, account_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)
                """, arguments: [hash, family, accountID, Date(), expiresAt])
        }
    }

    public func rotateRefreshToken(hash: String, successorHash: String, expiresAt: Date, now: Date) async throws -> RefreshOutcome {
        try await pool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM refresh_tokens WHERE token_hash = ?", arguments: [hash]) else {
                return .invalid
            }
            let family: String = row["family"]
            if row["revoked_at"] as Date? != nil { return .invalid }
            if row["rotated_at"] as Date? != nil {
                try db.execute(sql: "UPDATE refresh_tokens SET revoked_at = ? WHERE family = ? AND revoked_at IS NULL", arguments: [now, family])
                return .reused
            }
            guard (row["expires_at"] as Date) > now else { return .invalid }
            try db.execute(sql: "UPDATE refresh_tokens SET rotated_at = ? WHERE token_hash = ?", arguments: [now, hash])
            try db.execute(sql: """
                INSERT INTO refresh_tokens (token_hash, family, account_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)
                """, arguments: [successorHash, family, row["account_id"] as String, now, expiresAt])
            return .rotated(accountID: row["account_id"])
        }
    }

    public func revokeRefreshFamily(ofToken hash: String) async throws {
        try await pool.write { db in
            try db.execute(sql: """
                UPDATE refresh_tokens SET revoked_at = ?
                WHERE revoked_at IS NULL AND family = (SELECT family FROM refresh_tokens WHERE token_hash = ?)
                """, arguments: [Date(), hash])
        }
    }

    static func account(_ row: Row) throws -> Account {
        guard let role = Role(rawValue: row["role"]), let status = AccountStatus(rawValue: row["status"]) else {
            throw StoreError.conflict("corrupt account row")
        }
        return Account(id: row["id"], email: EmailAddress(normalized: row["email"]), name: row["name"], role: role, status: status,
                       passwordHash: row["password_hash"], createdAt: row["created_at"])
    }
}
