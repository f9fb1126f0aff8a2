import GRDB

/// The SQLite schema as named, append-only migrations: never edit one that has shipped,
/// add the next.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-creators-and-revisions") { db in
            try db.create(table: "revisions") { t in
                t.column("slug", .text).notNull()
                t.column("sha256", .text).notNull()
                t.column("text", .text).notNull()
                t.column("state", .text).notNull()  // pending | approved | rejected
                t.column("source", .text).notNull()  // content | editor
                t.column("created_at", .datetime).notNull()
                t.column("decided_at", .datetime)
                t.column("decided_by", .text)
                t.column("reason", .text)
                t.primaryKey(["slug", "sha256"])
            }
            // The images a revision references, in portfolio order.
            try db.create(table: "revision_images") { t in
                t.column("slug", .text).notNull()
                t.column("revision_sha256", .text).notNull()
                t.column("position", .integer).notNull()
                t.column("name", .text).notNull()
                t.column("sha256", .text).notNull()
                t.column("bytes", .integer).notNull()
                t.column("width", .integer).notNull()
                t.column("height", .integer).notNull()
                t.column("format", .text).notNull()
                t.primaryKey(["slug", "revision_sha256", "position"])
            }
            try db.create(table: "creators") { t in
                t.primaryKey("slug", .text)
                t.column("name", .text).notNull()
                t.column("account", .text).notNull().indexed()
                t.column("status", .text).notNull().indexed()
                t.column("current_sha256", .text).notNull()
                t.column("approved_sha256", .text)
                t.column("approved_at", .datetime)
                t.column("verified", .boolean).notNull().defaults(to: false)
                t.column("status_reason", .text)
                t.column("created_at", .datetime).notNull()
                t.column("updated_at", .datetime).notNull()
            }
            try db.create(table: "moderation_events") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("slug", .text).notNull().indexed()
                t.column("action", .text).notNull()
                t.column("sha256", .text)
                t.column("actor", .text).notNull()
                t.column("reason", .text)
                t.column("at", .datetime).notNull()
            }
        }
        migrator.registerMigration("v2-accounts-and-sessions") { db in
            try db.create(table: "accounts") { t in
                t.primaryKey("id", .text)
                t.column("email", .text).notNull().unique()  // lowercased
                t.column("name", .text).notNull()
                t.column("role", .text).notNull()
                t.column("status", .text).notNull()
                t.column("password_hash", .text).notNull()
                t.column("created_at", .datetime).notNull()
            }
            // Refresh tokens are kept only as SHA-256: a leaked database reveals none.
            try db.create(table: "refresh_tokens") { t in
                t.primaryKey("token_hash", .text)
                t.column("family", .text).notNull().indexed()
                t.column("account_id", .text).notNull().indexed().references("accounts")
                t.column("created_at", .datetime).notNull()
                t.column("expires_at", .datetime).notNull()
                t.column("rotated_at", .datetime)
                t.column("revoked_at", .datetime)
            }
        }
        migrator.registerMigration("v3-contacts-leads-subscriptions") { db in
            try db.alter(table: "revisions") { t in
                t.add(column: "phone", .text)
                t.add(column: "whatsapp", .text)
            }
            // One row per customer and creator: the first reveal decides what was charged.
            try db.create(table: "contacts") { t in
                t.primaryKey("id", .text)
                t.column("customer_id", .text).notNull().references("accounts")
                t.column("creator_slug", .text).notNull().indexed()
                t.column("charged", .text).notNull()  // free | subscription
                t.column("service", .text)
                t.column("message", .text)
                t.column("callback_phone", .text)
                t.column("created_at", .datetime).notNull()
                t.uniqueKey(["customer_id", "creator_slug"])
            }
            // A creator's lead for each revealed contact; seq orders a creator's leads.
            try db.create(table: "leads") { t in
                t.primaryKey("contact_id", .text).references("contacts")
                t.column("creator_slug", .text).notNull()
                t.column("seq", .integer).notNull()
                t.column("status", .text).notNull().defaults(to: "new")
                t.column("created_at", .datetime).notNull()
                t.column("first_response_at", .datetime)
                t.uniqueKey(["creator_slug", "seq"])
            }
            // Every attempt, whatever came of it, for analytics and abuse monitoring.
            try db.create(table: "contact_attempts") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("customer_id", .text).notNull().indexed()
                t.column("creator_slug", .text).notNull().indexed()
                t.column("outcome", .text).notNull()
                t.column("charged", .text)
                t.column("client_address", .text).notNull()
                t.column("created_at", .datetime).notNull().indexed()
            }
            try db.create(table: "subscriptions") { t in
                t.primaryKey("id", .text)
                t.column("account_id", .text).notNull().indexed().references("accounts")
                t.column("plan_id", .text).notNull()
                t.column("status", .text).notNull()  // active | expired | cancelled
                t.column("current_period_end", .datetime).notNull()
                t.column("created_at", .datetime).notNull()
            }
        }
        // Indexes for the contact reveal, which runs for every request on the single writer:
        migrator.registerMigration("v4-reveal-indexes") { db in
            // Each index of the attempts log that is not in time order costs a random page
            // write per reveal (measured: the p99 tripled). The log keeps only its time
            // index, which grows at its end; the abuse monitor's questions ("which
            // accounts made the most attempts this hour?") are time windows.
            try db.drop(index: "contact_attempts_on_customer_id")
            try db.drop(index: "contact_attempts_on_creator_slug")
            // The approved revision's phone, read from this covering index rather than from
            // revision rows, whose profile text would crowd the page cache.
            try db.create(index: "revisions_contact", on: "revisions", columns: ["slug", "sha256", "phone", "whatsapp"])
            // Free contacts used, counted from the index alone.
            try db.create(index: "contacts_by_customer_charge", on: "contacts", columns: ["customer_id", "charged"])
        }
        // Real-time leads. A lead belongs to the creator account that owned the profile
        // when the customer asked, and `seq` counts per account (one socket stream, one
        // acknowledgement mark, whatever number of profiles the account has).
        migrator.registerMigration("v5-lead-stream") { db in
            try db.create(table: "leads_v5") { t in
                t.primaryKey("contact_id", .text).references("contacts")
                t.column("creator_slug", .text).notNull()
                t.column("account", .text).notNull()  // the owner's email, lowercased
                t.column("seq", .integer).notNull()
                t.column("status", .text).notNull().defaults(to: "new")
                t.column("created_at", .datetime).notNull()
                t.column("first_response_at", .datetime)
                t.uniqueKey(["account", "seq"])
            }
            try db.execute(sql: """
                INSERT INTO leads_v5 (contact_id, creator_slug, account, seq, status, created_at, first_response_at)
                SELECT l.contact_id, l.creator_slug, c.account,
                    ROW_NUMBER() OVER (PARTITION BY c.account ORDER BY l.created_at, l.contact_id),
                    l.status, l.created_at, l.first_response_at
                FROM leads l JOIN creators c ON c.slug = l.creator_slug
                """)
            try db.drop(table: "leads")
            try db.rename(table: "leads_v5", to: "leads")
            try db.create(index: "leads_by_account_created", on: "leads", columns: ["account", "created_at"])
            // How far each creator account has acknowledged its stream.
            try db.create(table: "lead_acknowledgements") { t in
                t.primaryKey("account", .text)
                t.column("seq", .integer).notNull()
            }
            // Single-use WebSocket tickets, kept only as SHA-256 (any instance can redeem).
            try db.create(table: "notification_tickets") { t in
                t.primaryKey("token_hash", .text)
                t.column("account_id", .text).notNull().references("accounts")
                t.column("expires_at", .datetime).notNull().indexed()
                t.column("used_at", .datetime)
            }
        }
        // Payments through Razorpay. An order remembers what it buys; `payment_id` is unique,
        // so one payment pays one order once however often it is reported. Every report
        // (Checkout's verify, each webhook event) goes to the events log, deduplicated by
        // Razorpay's event id.
        migrator.registerMigration("v6-payments") { db in
            try db.create(table: "payment_orders") { t in
                t.primaryKey("id", .text)  // Razorpay's order id
                t.column("account_id", .text).notNull().indexed().references("accounts")
                t.column("plan_id", .text).notNull()
                t.column("amount_paise", .integer).notNull()
                t.column("currency", .text).notNull()
                t.column("period_days", .integer).notNull()
                t.column("status", .text).notNull()  // created | paid
                t.column("payment_id", .text).unique()
                t.column("subscription_id", .text)
                t.column("created_at", .datetime).notNull()
                t.column("paid_at", .datetime)
            }
            try db.create(table: "payment_events") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("event_id", .text).unique()  // X-Razorpay-Event-Id; null for Checkout's verify
                t.column("source", .text).notNull()  // checkout | webhook
                t.column("event", .text).notNull()  // verify, payment.captured, order.paid, payment.failed, …
                t.column("order_id", .text)
                t.column("payment_id", .text)
                t.column("amount_paise", .integer)
                t.column("currency", .text)
                t.column("outcome", .text).notNull()
                t.column("created_at", .datetime).notNull().indexed()
            }
            // The current subscription is an account's latest one (see `currentSubscription`).
            try db.create(index: "subscriptions_by_account_created", on: "subscriptions", columns: ["account_id", "created_at"])
        }
        // Admin and trust: reviews, reports, rebuilds and the audit log of admin actions on
        // accounts, subscriptions, reports and reviews (moderation of creators keeps its
        // own log, moderation_events).
        migrator.registerMigration("v7-admin-and-trust") { db in
            try db.create(table: "reviews") { t in
                t.primaryKey("id", .text)
                t.column("contact_id", .text).notNull().unique().references("contacts")
                t.column("creator_slug", .text).notNull()
                t.column("customer_id", .text).notNull().references("accounts")
                t.column("rating", .integer).notNull()
                t.column("text", .text)
                t.column("status", .text).notNull()  // pending | approved | rejected
                t.column("created_at", .datetime).notNull()
                t.column("decided_at", .datetime)
                t.column("decided_by", .text)
            }
            try db.create(index: "reviews_by_status_created", on: "reviews", columns: ["status", "created_at"])
            try db.create(index: "reviews_by_creator_status", on: "reviews", columns: ["creator_slug", "status"])
            try db.create(table: "reports") { t in
                t.primaryKey("id", .text)
                t.column("reporter_id", .text).notNull().references("accounts")
                t.column("creator_slug", .text)
                t.column("contact_id", .text)
                t.column("reason", .text).notNull()
                t.column("details", .text)
                t.column("status", .text).notNull()  // open | resolved
                t.column("resolution_action", .text)
                t.column("resolution_note", .text)
                t.column("resolved_at", .datetime)
                t.column("resolved_by", .text)
                t.column("created_at", .datetime).notNull()
            }
            try db.create(index: "reports_by_status_created", on: "reports", columns: ["status", "created_at"])
            try db.create(table: "builds") { t in
                t.primaryKey("id", .text)
                t.column("status", .text).notNull()  // queued | running | succeeded | failed
                t.column("pages_written", .integer)
                t.column("duration_ms", .integer)
                t.column("error", .text)
                t.column("requested_by", .text).notNull()
                t.column("created_at", .datetime).notNull()
            }
            try db.create(table: "audit_log") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("actor", .text).notNull()
                t.column("action", .text).notNull()
                t.column("target", .text).notNull()
                t.column("reason", .text)
                t.column("at", .datetime).notNull().indexed()
            }
            try db.create(index: "moderation_events_at", on: "moderation_events", columns: ["at"])
        }
        // Profile ownership (`ProfileOwnership`): an email alone proves nothing, so an
        // account owns a profile naming its email only once that is confirmed.
        migrator.registerMigration("v8-owner-confirmations") { db in
            try db.create(table: "owner_confirmations") { t in
                t.column("slug", .text).notNull()
                t.column("email", .text).notNull()  // lowercased, as creators.account
                t.column("confirmed_by", .text).notNull()
                t.column("confirmed_at", .datetime).notNull()
                t.primaryKey(["slug", "email"])
            }
            try db.alter(table: "accounts") { t in
                t.add(column: "email_vouched", .boolean).notNull().defaults(to: false)
            }
        }
        // One-time codes by SMS (kept only as keyed hashes) and the numbers they verified.
        migrator.registerMigration("v9-phone-codes") { db in
            try db.create(table: "one_time_codes") { t in
                t.primaryKey("id", .text)
                t.column("phone", .text).notNull()
                t.column("purpose", .text).notNull()
                t.column("account_id", .text)
                t.column("subject", .text)  // what a claim code claims: a profile's slug
                t.column("code_hash", .text).notNull()
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("client_address", .text).notNull()
                t.column("created_at", .datetime).notNull()
                t.column("expires_at", .datetime).notNull()
                t.column("used_at", .datetime)
            }
            try db.create(index: "one_time_codes_by_phone", on: "one_time_codes", columns: ["phone", "created_at"])
            try db.create(index: "one_time_codes_by_address", on: "one_time_codes", columns: ["client_address", "created_at"])
            try db.alter(table: "accounts") { t in
                t.add(column: "phone", .text)
                t.add(column: "phone_verified_at", .datetime)
            }
            try db.create(index: "accounts_by_phone", on: "accounts", columns: ["phone"])
        }
        // Lead alerts with the dashboard closed: Web Push subscriptions, each remembering the
        // last lead it was sent.
        migrator.registerMigration("v10-push-subscriptions") { db in
            try db.create(table: "push_subscriptions") { t in
                t.primaryKey("id", .text)
                t.column("account", .text).notNull()  // lowercased email, as leads.account
                t.column("endpoint", .text).notNull()
                t.column("p256dh", .text).notNull()
                t.column("auth", .text).notNull()
                t.column("device", .text).notNull()
                t.column("created_at", .datetime).notNull()
                t.column("pushed_seq", .integer).notNull()
                t.column("next_attempt_at", .datetime).notNull()
                t.column("attempts", .integer).notNull()
                t.column("failing_since", .datetime)
                t.column("claimed_until", .datetime).notNull()
                t.uniqueKey(["account", "endpoint"])
            }
            try db.create(index: "push_subscriptions_due", on: "push_subscriptions", columns: ["next_attempt_at"])
        }
        // A text when a lead waits unopened: the account's setting, and each lead's text.
        migrator.registerMigration("v11-text-alerts") { db in
            try db.alter(table: "accounts") { t in
                t.add(column: "sms_after_minutes", .integer)
                t.add(column: "sms_alerts_since", .datetime)
            }
            try db.create(table: "lead_sms") { t in
                t.primaryKey("contact_id", .text)
                t.column("claimed_until", .datetime).notNull()
                t.column("attempts", .integer).notNull()
                t.column("sent_at", .datetime)
            }
        }
        return migrator
    }
}
