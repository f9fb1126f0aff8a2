import Foundation
import HaatCore

/// Who did what: the admin audit log and a creator's moderation history, written inside
/// the transaction of the change they record.
extension SQLExecutor {
    /// A line of the admin audit log.
    public func audit(actor: String, action: String, target: String, reason: String?) async throws {
        try await execute("INSERT INTO audit_log (actor, action, target, reason, at) VALUES (\(actor), \(action), \(target), \(reason), \(Date()))")
    }

    /// A line of a creator's moderation history.
    public func logModeration(_ slug: Slug, action: String, sha256: String?, actor: String, reason: String?) async throws {
        try await execute("""
            INSERT INTO moderation_events (slug, action, sha256, actor, reason, at) VALUES (\(slug.rawValue), \(action), \(sha256), \(actor), \(reason), \(Date()))
            """)
    }
}
