"""The PostgreSQL schema, as numbered migrations: version N is ``MIGRATIONS[N - 1]``.

The same tables as SQLite's (``storage/migrations.py``), in PostgreSQL's own
types: ``timestamptz`` for every moment, ``jsonb`` for wizard and notice data,
``bytea`` for account secrets, ``bigint`` identities. Applied versions are
rows of ``schema_version``. Never edit a released migration; append a new one.
"""

from __future__ import annotations

from typing import LiteralString

SCHEMA_VERSION_TABLE: LiteralString = """CREATE TABLE IF NOT EXISTS schema_version (
    version integer PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
)"""

MIGRATIONS: tuple[tuple[LiteralString, ...], ...] = (
    (
        """CREATE TABLE campaigns (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            key text NOT NULL UNIQUE,
            account text NOT NULL,
            created_by text NOT NULL,
            chat text NOT NULL,
            text text NOT NULL,
            sender text,
            schedule_at timestamptz,
            segments integer NOT NULL CHECK (segments >= 0),
            recipient_count integer NOT NULL,
            phase text NOT NULL CHECK (phase IN ('DRAFT', 'CONFIRMED', 'CANCELLED')),
            reason text,
            created_at timestamptz NOT NULL,
            confirmed_at timestamptz
        )""",
        "CREATE INDEX campaigns_by_chat ON campaigns (chat, id)",
        "CREATE INDEX campaigns_by_creator ON campaigns (created_by, id)",
        """CREATE TABLE recipients (
            campaign_id bigint NOT NULL REFERENCES campaigns (id),
            seq integer NOT NULL,
            msisdn text NOT NULL,
            PRIMARY KEY (campaign_id, seq),
            UNIQUE (campaign_id, msisdn)
        )""",
        """CREATE TABLE chunks (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            campaign_id bigint NOT NULL REFERENCES campaigns (id),
            seq integer NOT NULL,
            partner_event_id text NOT NULL UNIQUE,
            first_recipient integer NOT NULL,
            last_recipient integer NOT NULL,
            state text NOT NULL CHECK (state IN ('PENDING', 'IN_FLIGHT', 'ACCEPTED', 'REJECTED',
                'UNKNOWN', 'NOT_SENT', 'DUPLICATE', 'SKIPPED')),
            attempts integer NOT NULL DEFAULT 0,
            accepted integer NOT NULL DEFAULT 0,
            rejected integer NOT NULL DEFAULT 0,
            credits_spent integer NOT NULL DEFAULT 0,
            status text,
            reason text,
            sent_at timestamptz,
            updated_at timestamptz NOT NULL,
            UNIQUE (campaign_id, seq)
        )""",
        "CREATE INDEX chunks_unsettled ON chunks (state) WHERE state IN ('IN_FLIGHT', 'UNKNOWN')",
        """CREATE TABLE chunk_events (
            event_id bigint PRIMARY KEY,
            chunk_id bigint NOT NULL REFERENCES chunks (id)
        )""",
        "CREATE INDEX chunk_events_by_chunk ON chunk_events (chunk_id)",
        """CREATE TABLE messages (
            campaign_id bigint NOT NULL REFERENCES campaigns (id),
            msg_id bigint NOT NULL,
            chunk_id bigint NOT NULL REFERENCES chunks (id),
            partner_msg_id text NOT NULL,
            msisdn text NOT NULL,
            status text NOT NULL,
            number_sms integer NOT NULL,
            PRIMARY KEY (campaign_id, partner_msg_id, msg_id)
        )""",
    ),
    (
        # Chat events claimed once (Telegram update ids, Slack event ids...).
        """CREATE TABLE claims (
            id text PRIMARY KEY,
            claimed_at timestamptz NOT NULL
        )""",
        # One wizard (or scratch state) per conversation.
        """CREATE TABLE conversations (
            key text PRIMARY KEY,
            name text NOT NULL,
            data jsonb NOT NULL,
            updated_at timestamptz NOT NULL
        )""",
        # uSendit accounts known to the bot; the password only encrypted (Fernet).
        """CREATE TABLE accounts (
            username text PRIMARY KEY,
            secret bytea NOT NULL,
            updated_at timestamptz NOT NULL
        )""",
        # Which account a chat user acts with.
        """CREATE TABLE links (
            identity text PRIMARY KEY,
            username text NOT NULL REFERENCES accounts (username),
            updated_at timestamptz NOT NULL
        )""",
        """CREATE TABLE preferences (
            identity text NOT NULL,
            name text NOT NULL,
            value text NOT NULL,
            PRIMARY KEY (identity, name)
        )""",
    ),
    (
        # The work queue: what a confirmed campaign asks of the worker, and its lease.
        """ALTER TABLE campaigns
            ADD COLUMN work text CHECK (work IN ('SEND', 'RESEND', 'SETTLE')),
            ADD COLUMN generation integer NOT NULL DEFAULT 0,
            ADD COLUMN lease_owner text,
            ADD COLUMN lease_expires timestamptz,
            ADD COLUMN not_before timestamptz,
            ADD COLUMN failures integer NOT NULL DEFAULT 0""",
        "CREATE INDEX campaigns_with_work ON campaigns (id) WHERE work IS NOT NULL",
        # The outbox: one message per chat and subject, kept up to date by version.
        """CREATE TABLE notices (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            chat text NOT NULL,
            subject text NOT NULL,
            data jsonb NOT NULL,
            version integer NOT NULL DEFAULT 1,
            shown_version integer NOT NULL DEFAULT 0,
            ref text,
            lease_owner text,
            lease_expires timestamptz,
            not_before timestamptz,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            UNIQUE (chat, subject)
        )""",
        "CREATE INDEX notices_due ON notices (updated_at, id) WHERE version > shown_version",
        "CREATE INDEX notices_by_subject ON notices (subject)",
    ),
    (
        # A draft is edited in place: each change bumps its revision, and Confirm names
        # the revision its preview showed.
        "ALTER TABLE campaigns ADD COLUMN revision integer NOT NULL DEFAULT 0",
        # Claimed events are forgotten after a day (the worker prunes them).
        "CREATE INDEX claims_by_time ON claims (claimed_at)",
    ),
    (
        # Numbers the opt-out list left out of a draft (they are not its recipients).
        "ALTER TABLE campaigns ADD COLUMN opted_out integer NOT NULL DEFAULT 0",
        # Recipients left out of every send of their campaign: on the opt-out list when
        # their chunk went (even if put there after the draft was made).
        """CREATE TABLE excluded_recipients (
            campaign_id bigint NOT NULL,
            seq integer NOT NULL,
            excluded_at timestamptz NOT NULL,
            PRIMARY KEY (campaign_id, seq),
            FOREIGN KEY (campaign_id, seq) REFERENCES recipients (campaign_id, seq)
        )""",
        # Numbers that must never get an SMS from an account.
        """CREATE TABLE opt_outs (
            account text NOT NULL,
            msisdn text NOT NULL,
            added_by text NOT NULL,
            added_at timestamptz NOT NULL,
            PRIMARY KEY (account, msisdn)
        )""",
        # A chat's SMS texts and recipient lists, kept by name.
        """CREATE TABLE templates (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            chat text NOT NULL,
            name text NOT NULL,
            text text NOT NULL,
            created_by text NOT NULL,
            updated_at timestamptz NOT NULL,
            UNIQUE (chat, name)
        )""",
        """CREATE TABLE recipient_lists (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            chat text NOT NULL,
            name text NOT NULL,
            size integer NOT NULL,
            created_by text NOT NULL,
            updated_at timestamptz NOT NULL,
            last_used_at timestamptz,
            UNIQUE (chat, name)
        )""",
        """CREATE TABLE recipient_list_numbers (
            list_id bigint NOT NULL REFERENCES recipient_lists (id) ON DELETE CASCADE,
            seq integer NOT NULL,
            msisdn text NOT NULL,
            PRIMARY KEY (list_id, seq)
        )""",
    ),
    (
        # A part's per-number outcomes, read a part at a time (a campaign's results
        # file, written without holding 100k outcomes at once).
        "CREATE INDEX messages_by_chunk ON messages (chunk_id)",
    ),
    (
        # Low-credit alerts per account and chat, and the payments a /buy waits for.
        """CREATE TABLE credit_alerts (
            account text NOT NULL,
            chat text NOT NULL,
            threshold integer NOT NULL,
            below boolean NOT NULL,
            crossings integer NOT NULL,
            data jsonb NOT NULL,
            set_by text NOT NULL,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (account, chat)
        )""",
        """CREATE TABLE payment_watches (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            account text NOT NULL,
            chat text NOT NULL,
            baseline integer NOT NULL,
            data jsonb NOT NULL,
            started_at timestamptz NOT NULL,
            until timestamptz NOT NULL
        )""",
    ),
    (
        # A campaign's daily delivery window, with the zone its hours were said in
        # (``Europe/Lisbon 09:00-20:00 working days``); NULL: any time.
        "ALTER TABLE campaigns ADD COLUMN delivery_window text",
    ),
    (
        # When a scheduled campaign's report was posted (``bot.schedule_reports``): its
        # time came, GetSchedule was read again, the chat was told. Campaigns whose time
        # passed under an older version are not reported now.
        "ALTER TABLE campaigns ADD COLUMN reported_at timestamptz",
        """UPDATE campaigns SET reported_at = schedule_at
            WHERE schedule_at IS NOT NULL AND schedule_at <= now()""",
        """CREATE INDEX campaigns_to_report ON campaigns (schedule_at)
            WHERE reported_at IS NULL AND schedule_at IS NOT NULL""",
    ),
    (
        # Approval of big sends: a chat's threshold in credits, the approvers' chat of an
        # account, and one request per campaign with its single decision (the campaign
        # stays DRAFT until that decision confirms or cancels it).
        """CREATE TABLE approval_thresholds (
            chat text PRIMARY KEY,
            threshold integer NOT NULL,
            set_by text NOT NULL,
            updated_at timestamptz NOT NULL
        )""",
        """CREATE TABLE approvers_chats (
            account text PRIMARY KEY,
            chat text NOT NULL,
            data jsonb NOT NULL,
            set_by text NOT NULL,
            updated_at timestamptz NOT NULL
        )""",
        """CREATE TABLE approvals (
            campaign_id bigint PRIMARY KEY REFERENCES campaigns (id),
            revision integer NOT NULL,
            chat text NOT NULL,
            state text NOT NULL
                CHECK (state IN ('PENDING', 'APPROVED', 'REJECTED', 'EXPIRED')),
            requested_by text NOT NULL,
            credits bigint NOT NULL,
            threshold integer NOT NULL,
            data jsonb NOT NULL,
            requested_at timestamptz NOT NULL,
            expires_at timestamptz NOT NULL,
            decided_by text,
            decided_name text,
            decided_at timestamptz
        )""",
        "CREATE INDEX approvals_pending ON approvals (expires_at) WHERE state = 'PENDING'",
    ),
    (
        # The audit log: who spent money or changed access, where, when and what. Only
        # ever appended to: the triggers refuse to change, delete or truncate an entry.
        """CREATE TABLE audit_log (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at timestamptz NOT NULL,
            who text NOT NULL,
            who_name text,
            chat text NOT NULL,
            platform text NOT NULL,
            account text,
            action text NOT NULL,
            what jsonb NOT NULL
        )""",
        "CREATE INDEX audit_log_by_chat ON audit_log (chat, id)",
        "CREATE INDEX audit_log_by_account ON audit_log (account, id)",
        """CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'restrict_violation';
        END $$""",
        """CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()""",
        """CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()""",
    ),
    (
        # Personalised texts (bot/personal_text.py): a campaign's file columns (JSON list),
        # its cost as the sum of its messages' segments and its preview summary (JSON);
        # per recipient its line in the file and values (storage/recipient_fields.py),
        # its own rendered text and segments. NULL for a plain text: the campaign's.
        "ALTER TABLE campaigns ADD COLUMN field_names text",
        "ALTER TABLE campaigns ADD COLUMN credits integer",
        "ALTER TABLE campaigns ADD COLUMN personal text",
        "ALTER TABLE recipients ADD COLUMN fields text",
        "ALTER TABLE recipients ADD COLUMN text text",
        "ALTER TABLE recipients ADD COLUMN segments integer",
    ),
)
