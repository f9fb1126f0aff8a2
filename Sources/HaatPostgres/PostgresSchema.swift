import PostgresNIO

/// The PostgreSQL schema as named, append-only migrations (never edit one that has
/// shipped; add the next). The tables and their meaning are SQLite's (`SQLiteSchema`),
/// in PostgreSQL's types: times are `timestamptz`, counters `bigint`.
/// Each migration is a list of statements: the extended protocol runs one at a time.
enum PostgresSchema {
    struct Migration: Sendable {
        let name: String
        let statements: [PostgresQuery]
    }

    static let migrations: [Migration] = [
        Migration(name: "v1-haat", statements: [
            // Creators and their revisions (DESIGN.md "Revisions, approval and media").
            """
            CREATE TABLE revisions (
                slug text NOT NULL, sha256 text NOT NULL, text text NOT NULL,
                state text NOT NULL, source text NOT NULL, created_at timestamptz NOT NULL,
                decided_at timestamptz, decided_by text, reason text, phone text, whatsapp text,
                PRIMARY KEY (slug, sha256))
            """,
            """
            CREATE TABLE revision_images (
                slug text NOT NULL, revision_sha256 text NOT NULL, position integer NOT NULL,
                name text NOT NULL, sha256 text NOT NULL, bytes bigint NOT NULL,
                width integer NOT NULL, height integer NOT NULL, format text NOT NULL,
                PRIMARY KEY (slug, revision_sha256, position))
            """,
            """
            CREATE TABLE creators (
                slug text PRIMARY KEY, name text NOT NULL, account text NOT NULL, status text NOT NULL,
                current_sha256 text NOT NULL, approved_sha256 text, approved_at timestamptz,
                verified boolean NOT NULL DEFAULT false, status_reason text,
                created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)
            """,
            "CREATE INDEX creators_by_account ON creators (account)",
            "CREATE INDEX creators_by_status ON creators (status)",
            """
            CREATE TABLE moderation_events (
                id bigserial PRIMARY KEY, slug text NOT NULL, action text NOT NULL, sha256 text,
                actor text NOT NULL, reason text, at timestamptz NOT NULL)
            """,
            "CREATE INDEX moderation_events_by_slug ON moderation_events (slug)",
            "CREATE INDEX moderation_events_at ON moderation_events (at)",
            // Accounts and sessions; refresh tokens only as SHA-256.
            """
            CREATE TABLE accounts (
                id text PRIMARY KEY, email text NOT NULL UNIQUE, name text NOT NULL, role text NOT NULL,
                status text NOT NULL, password_hash text NOT NULL, created_at timestamptz NOT NULL)
            """,
            """
            CREATE TABLE refresh_tokens (
                token_hash text PRIMARY KEY, family text NOT NULL, account_id text NOT NULL REFERENCES accounts,
                created_at timestamptz NOT NULL, expires_at timestamptz NOT NULL,
                rotated_at timestamptz, revoked_at timestamptz)
            """,
            "CREATE INDEX refresh_tokens_by_family ON refresh_tokens (family)",
            "CREATE INDEX refresh_tokens_by_account ON refresh_tokens (account_id)",
            // Contacts: one row per customer and creator; the first reveal decides the charge.
            """
            CREATE TABLE contacts (
                id text PRIMARY KEY, customer_id text NOT NULL REFERENCES accounts, creator_slug text NOT NULL,
                charged text NOT NULL, service text, message text, callback_phone text,
                created_at timestamptz NOT NULL, UNIQUE (customer_id, creator_slug))
            """,
            "CREATE INDEX contacts_by_creator ON contacts (creator_slug)",
            "CREATE INDEX contacts_by_customer_charge ON contacts (customer_id, charged)",
            // A lead per revealed contact; seq counts per creator account.
            """
            CREATE TABLE leads (
                contact_id text PRIMARY KEY REFERENCES contacts, creator_slug text NOT NULL, account text NOT NULL,
                seq bigint NOT NULL, status text NOT NULL DEFAULT 'new', created_at timestamptz NOT NULL,
                first_response_at timestamptz, UNIQUE (account, seq))
            """,
            "CREATE INDEX leads_by_account_created ON leads (account, created_at)",
            "CREATE TABLE lead_acknowledgements (account text PRIMARY KEY, seq bigint NOT NULL)",
            """
            CREATE TABLE notification_tickets (
                token_hash text PRIMARY KEY, account_id text NOT NULL REFERENCES accounts,
                expires_at timestamptz NOT NULL, used_at timestamptz)
            """,
            "CREATE INDEX notification_tickets_by_expiry ON notification_tickets (expires_at)",
            """
            CREATE TABLE contact_attempts (
                id bigserial PRIMARY KEY, customer_id text NOT NULL, creator_slug text NOT NULL, outcome text NOT NULL,
                charged text, client_address text NOT NULL, created_at timestamptz NOT NULL)
            """,
            "CREATE INDEX contact_attempts_at ON contact_attempts (created_at)",
            """
            CREATE TABLE subscriptions (
                id text PRIMARY KEY, account_id text NOT NULL REFERENCES accounts, plan_id text NOT NULL,
                status text NOT NULL, current_period_end timestamptz NOT NULL, created_at timestamptz NOT NULL)
            """,
            "CREATE INDEX subscriptions_by_account_created ON subscriptions (account_id, created_at)",
            // Payments through Razorpay: payment_id unique (one payment pays one order once),
            // every report in the events log, deduplicated by Razorpay's event id.
            """
            CREATE TABLE payment_orders (
                id text PRIMARY KEY, account_id text NOT NULL REFERENCES accounts, plan_id text NOT NULL,
                amount_paise bigint NOT NULL, currency text NOT NULL, period_days integer NOT NULL, status text NOT NULL,
                payment_id text UNIQUE, subscription_id text, created_at timestamptz NOT NULL, paid_at timestamptz)
            """,
            "CREATE INDEX payment_orders_by_account ON payment_orders (account_id)",
            """
            CREATE TABLE payment_events (
                id bigserial PRIMARY KEY, event_id text UNIQUE, source text NOT NULL, event text NOT NULL,
                order_id text, payment_id text, amount_paise bigint, currency text, outcome text NOT NULL,
                created_at timestamptz NOT NULL)
            """,
            "CREATE INDEX payment_events_at ON payment_events (created_at)",
            // Admin and trust.
            """
            CREATE TABLE reviews (
                id text PRIMARY KEY, contact_id text NOT NULL UNIQUE REFERENCES contacts, creator_slug text NOT NULL,
                customer_id text NOT NULL REFERENCES accounts, rating integer NOT NULL, text text, status text NOT NULL,
                created_at timestamptz NOT NULL, decided_at timestamptz, decided_by text)
            """,
            "CREATE INDEX reviews_by_status_created ON reviews (status, created_at)",
            "CREATE INDEX reviews_by_creator_status ON reviews (creator_slug, status)",
            """
            CREATE TABLE reports (
                id text PRIMARY KEY, reporter_id text NOT NULL REFERENCES accounts, creator_slug text, contact_id text,
                reason text NOT NULL, details text, status text NOT NULL, resolution_action text, resolution_note text,
                resolved_at timestamptz, resolved_by text, created_at timestamptz NOT NULL)
            """,
            "CREATE INDEX reports_by_status_created ON reports (status, created_at)",
            """
            CREATE TABLE builds (
                id text PRIMARY KEY, status text NOT NULL, pages_written integer, duration_ms bigint, error text,
                requested_by text NOT NULL, created_at timestamptz NOT NULL)
            """,
            """
            CREATE TABLE audit_log (
                id bigserial PRIMARY KEY, actor text NOT NULL, action text NOT NULL, target text NOT NULL,
                reason text, at timestamptz NOT NULL)
            """,
            "CREATE INDEX audit_log_at ON audit_log (at)",
        ]),
        // Each creator account's last lead number, so a first contact takes the next one in
        // the statement that writes the lead (its row lock orders concurrent leads), rather
        // than under an advisory lock and a MAX over the leads, two more round trips.
        Migration(name: "v2-lead-sequences", statements: [
            "CREATE TABLE lead_sequences (account text PRIMARY KEY, last_seq bigint NOT NULL)",
            "INSERT INTO lead_sequences (account, last_seq) SELECT account, MAX(seq) FROM leads GROUP BY account",
        ]),
        // Profile ownership (`ProfileOwnership`): an email alone proves nothing, so an
        // account owns a profile naming its email only once that is confirmed.
        Migration(name: "v3-owner-confirmations", statements: [
            """
            CREATE TABLE owner_confirmations (
                slug text NOT NULL, email text NOT NULL, confirmed_by text NOT NULL, confirmed_at timestamptz NOT NULL,
                PRIMARY KEY (slug, email))
            """,
            "ALTER TABLE accounts ADD COLUMN email_vouched boolean NOT NULL DEFAULT false",
        ]),
        // One-time codes by SMS (kept only as keyed hashes) and the numbers they verified.
        Migration(name: "v4-phone-codes", statements: [
            """
            CREATE TABLE one_time_codes (
                id text PRIMARY KEY, phone text NOT NULL, purpose text NOT NULL, account_id text, subject text, code_hash text NOT NULL,
                attempts integer NOT NULL DEFAULT 0, client_address text NOT NULL, created_at timestamptz NOT NULL,
                expires_at timestamptz NOT NULL, used_at timestamptz)
            """,
            "CREATE INDEX one_time_codes_by_phone ON one_time_codes (phone, created_at)",
            "CREATE INDEX one_time_codes_by_address ON one_time_codes (client_address, created_at)",
            "ALTER TABLE accounts ADD COLUMN phone text, ADD COLUMN phone_verified_at timestamptz",
            "CREATE INDEX accounts_by_phone ON accounts (phone)",
        ]),
        // Rate limits every instance shares: one fixed window per key.
        Migration(name: "v5-rate-windows", statements: [
            "CREATE TABLE rate_windows (key text PRIMARY KEY, started_at timestamptz NOT NULL, count integer NOT NULL)",
        ]),
        // Lead alerts with the dashboard closed: Web Push subscriptions, each remembering the
        // last lead it was sent.
        Migration(name: "v6-push-subscriptions", statements: [
            """
            CREATE TABLE push_subscriptions (
                id text PRIMARY KEY, account text NOT NULL, endpoint text NOT NULL, p256dh text NOT NULL, auth text NOT NULL,
                device text NOT NULL, created_at timestamptz NOT NULL, pushed_seq bigint NOT NULL, next_attempt_at timestamptz NOT NULL,
                attempts integer NOT NULL, failing_since timestamptz, claimed_until timestamptz NOT NULL, UNIQUE (account, endpoint))
            """,
            "CREATE INDEX push_subscriptions_due ON push_subscriptions (next_attempt_at)",
        ]),
        // A text when a lead waits unopened: the account's setting, and each lead's text.
        Migration(name: "v7-text-alerts", statements: [
            "ALTER TABLE accounts ADD COLUMN sms_after_minutes integer, ADD COLUMN sms_alerts_since timestamptz",
            "CREATE TABLE lead_sms (contact_id text PRIMARY KEY, claimed_until timestamptz NOT NULL, attempts integer NOT NULL, sent_at timestamptz)",
        ]),
    ]
}
