import Foundation
import HaatCore
import HaatStore
import StoreFixtures
import Testing

/// Accounts and sessions behave the same on every store.
struct AccountStoreContractTests {
    @Test(arguments: StoreKind.allCases) func accountsAreUniqueByEmailInAnyCase(_ kind: StoreKind) async throws {
        let opened = try await kind.open()
        let store = opened.store
        let account = try await store.createAccount(email: EmailAddress("Asha@Example.com")!, name: "Asha", role: .customer, passwordHash: "hash")
        #expect(account.email.value == "asha@example.com" && account.status == .active)
        await #expect(throws: StoreError.emailTaken) {
            try await store.createAccount(email: EmailAddress("ASHA@example.com")!, name: "Other", role: .creator, passwordHash: "x")
        }
        let read = try #require(try await store.account(id: account.id))
        #expect(read.email == account.email && read.name == "Asha" && read.role == .customer && read.passwordHash == "hash")
        // Databases keep times to the millisecond (SQLite) or microsecond (PostgreSQL).
        #expect(abs(read.createdAt.timeIntervalSince(account.createdAt)) < 0.01)
        #expect(try await store.account(email: EmailAddress("asha@EXAMPLE.com")!)?.id == account.id)
        try await store.setStatus(.suspended, ofAccount: account.id)
        #expect(try await store.account(id: account.id)?.status == .suspended)
        #expect(try await store.account(id: "nobody") == nil)
        try await opened.close()
    }

    @Test(arguments: StoreKind.allCases) func refreshTokensRotateOnceAndAReplayRevokesTheLogin(_ kind: StoreKind) async throws {
        let opened = try await kind.open()
        let store = opened.store
        let account = try await store.createAccount(email: EmailAddress("a@example.com")!, name: "A", role: .customer, passwordHash: "hash")
        let now = Date()
        try await store.storeRefreshToken(hash: "t1", family: "f", accountID: account.id, expiresAt: now.addingTimeInterval(3600))
        #expect(try await store.rotateRefreshToken(hash: "t1", successorHash: "t2", expiresAt: now.addingTimeInterval(3600), now: now) == .rotated(accountID: account.id))
        // t1 again: someone replayed it, so t2 dies too.
        #expect(try await store.rotateRefreshToken(hash: "t1", successorHash: "t3", expiresAt: now.addingTimeInterval(3600), now: now) == .reused)
        #expect(try await store.rotateRefreshToken(hash: "t2", successorHash: "t4", expiresAt: now.addingTimeInterval(3600), now: now) == .invalid)
        // Expired, unknown, and logged out.
        try await store.storeRefreshToken(hash: "old", family: "g", accountID: account.id, expiresAt: now.addingTimeInterval(-1))
        #expect(try await store.rotateRefreshToken(hash: "old", successorHash: "x", expiresAt: now, now: now) == .invalid)
        #expect(try await store.rotateRefreshToken(hash: "unknown", successorHash: "y", expiresAt: now, now: now) == .invalid)
        try await store.storeRefreshToken(hash: "h1", family: "h", accountID: account.id, expiresAt: now.addingTimeInterval(3600))
        try await store.revokeRefreshFamily(ofToken: "h1")
        #expect(try await store.rotateRefreshToken(hash: "h1", successorHash: "h2", expiresAt: now, now: now) == .invalid)
        try await opened.close()
    }

    @Test(arguments: StoreKind.allCases) func aTokenPresentedTwiceAtOnceRotatesOnce(_ kind: StoreKind) async throws {
        let opened = try await kind.open()
        let store = opened.store
        let account = try await store.createAccount(email: EmailAddress("b@example.com")!, name: "B", role: .customer, passwordHash: "hash")
        let later = Date().addingTimeInterval(3600)
        try await store.storeRefreshToken(hash: "t", family: "f", accountID: account.id, expiresAt: later)
        let outcomes = try await withThrowingTaskGroup(of: RefreshOutcome.self) { group in
            for index in 0..<8 {
                group.addTask { try await store.rotateRefreshToken(hash: "t", successorHash: "s\(index)", expiresAt: later, now: Date()) }
            }
            return try await group.reduce(into: [RefreshOutcome]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 == .rotated(accountID: account.id) }.count == 1, "\(outcomes)")
        try await opened.close()
    }
}
