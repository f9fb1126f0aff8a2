import Foundation
import HaatCore

/// Texts for leads left unopened (API.md `PUT /creator/alerts`), for both stores. The
/// setting is the account's (`sms_after_minutes`, and `sms_alerts_since`, when it was
/// turned on); each lead texted or being texted has a `lead_sms` row. A lead is claimed
/// by inserting its row, or taking over a lapsed claim, in one statement: of several
/// instances only one gets it back, so each lead is texted once.
extension SQLStore {
    public func smsAlertMinutes(ofAccount id: String) async throws -> Int? {
        try await read { database in try await database.value("SELECT sms_after_minutes FROM accounts WHERE id = \(id)", as: Int.self) }
    }

    public func setSMSAlertMinutes(_ minutes: Int?, ofAccount id: String, now: Date) async throws {
        try await transaction { database in
            if let minutes {
                try await database.execute("""
                    UPDATE accounts SET sms_after_minutes = \(minutes), sms_alerts_since = COALESCE(sms_alerts_since, \(now)) WHERE id = \(id)
                    """)
            } else {
                try await database.execute("UPDATE accounts SET sms_after_minutes = NULL, sms_alerts_since = NULL WHERE id = \(id)")
            }
        }
    }

    public func claimDueTexts(now: Date, lease: TimeInterval, maximumAge: TimeInterval, limit: Int) async throws -> [DueText] {
        try await transaction { database in
            let dialect = database.dialect
            let candidates = try await database.rows("""
                SELECT l.contact_id, l.account, a.phone, l.creator_slug, c.name, k.service
                FROM leads l JOIN accounts a ON a.email = l.account JOIN contacts k ON k.id = l.contact_id JOIN accounts c ON c.id = k.customer_id
                WHERE a.sms_after_minutes IS NOT NULL AND a.phone IS NOT NULL AND a.phone_verified_at IS NOT NULL
                    AND l.created_at >= a.sms_alerts_since AND l.created_at >= \(now.addingTimeInterval(-maximumAge))
                    AND \(sql: dialect.atLeast(minutes: "a.sms_after_minutes", before: now, "l.created_at"))
                    AND l.seq > COALESCE((SELECT seq FROM lead_acknowledgements WHERE account = l.account), 0)
                    AND \(sql: ProfileOwnership.leadVisible)
                    AND NOT EXISTS (SELECT 1 FROM lead_sms s WHERE s.contact_id = l.contact_id
                        AND (s.sent_at IS NOT NULL OR s.claimed_until > \(now) OR s.attempts >= \(SMSAlertRules.attempts)))
                ORDER BY l.created_at LIMIT \(limit)
                """) { row in
                DueText(contactID: try row[0], ownerEmail: try row[1], phone: try row[2], creatorSlug: try row[3], customerName: try row[4],
                        service: try row[5])
            }
            var claimed: [DueText] = []
            for text in candidates {
                let won = try await database.exists("""
                    INSERT INTO lead_sms (contact_id, claimed_until, attempts) VALUES (\(text.contactID), \(now.addingTimeInterval(lease)), 0)
                    ON CONFLICT (contact_id) DO UPDATE SET claimed_until = excluded.claimed_until
                        WHERE lead_sms.sent_at IS NULL AND lead_sms.claimed_until <= \(now) AND lead_sms.attempts < \(SMSAlertRules.attempts)
                    RETURNING contact_id
                    """)
                if won { claimed.append(text) }
            }
            return claimed
        }
    }

    public func finishText(contactID: String, sentAt: Date?, retryAt: Date) async throws {
        try await transaction { database in
            if let sentAt {
                try await database.execute("UPDATE lead_sms SET sent_at = \(sentAt) WHERE contact_id = \(contactID)")
            } else {
                try await database.execute("UPDATE lead_sms SET attempts = attempts + 1, claimed_until = \(retryAt) WHERE contact_id = \(contactID)")
            }
        }
    }
}
