"""The schema, as numbered migrations: version N is ``MIGRATIONS[N - 1]``.

Never edit a released migration; append a new one.
"""

from __future__ import annotations

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE campaigns (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            account TEXT NOT NULL,
            created_by TEXT NOT NULL,
            chat TEXT NOT NULL,
            text TEXT NOT NULL,
            sender TEXT,
            schedule_at TEXT,
            segments INTEGER NOT NULL CHECK (segments >= 0),
            recipient_count INTEGER NOT NULL,
            phase TEXT NOT NULL CHECK (phase IN ('DRAFT', 'CONFIRMED', 'CANCELLED')),
            reason TEXT,
            created_at TEXT NOT NULL,
            confirmed_at TEXT
        )""",
        "CREATE INDEX campaigns_by_chat ON campaigns (chat, id)",
        """CREATE TABLE recipients (
            campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
            seq INTEGER NOT NULL,
            msisdn TEXT NOT NULL,
            PRIMARY KEY (campaign_id, seq),
            UNIQUE (campaign_id, msisdn)
        ) WITHOUT ROWID""",
        """CREATE TABLE chunks (
            id INTEGER PRIMARY KEY,
            campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
            seq INTEGER NOT NULL,
            partner_event_id TEXT NOT NULL UNIQUE,
            first_recipient INTEGER NOT NULL,
            last_recipient INTEGER NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('PENDING', 'IN_FLIGHT', 'ACCEPTED', 'REJECTED',
                'UNKNOWN', 'NOT_SENT', 'DUPLICATE', 'SKIPPED')),
            attempts INTEGER NOT NULL DEFAULT 0,
            accepted INTEGER NOT NULL DEFAULT 0,
            rejected INTEGER NOT NULL DEFAULT 0,
            credits_spent INTEGER NOT NULL DEFAULT 0,
            status TEXT,
            reason TEXT,
            sent_at TEXT,
            updated_at TEXT NOT NULL,
            UNIQUE (campaign_id, seq)
        )""",
        "CREATE INDEX chunks_unsettled ON chunks (state) WHERE state IN ('IN_FLIGHT', 'UNKNOWN')",
        """CREATE TABLE chunk_events (
            event_id INTEGER PRIMARY KEY,
            chunk_id INTEGER NOT NULL REFERENCES chunks (id)
        )""",
        "CREATE INDEX chunk_events_by_chunk ON chunk_events (chunk_id)",
        """CREATE TABLE messages (
            campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
            msg_id INTEGER NOT NULL,
            chunk_id INTEGER NOT NULL REFERENCES chunks (id),
            partner_msg_id TEXT NOT NULL,
            msisdn TEXT NOT NULL,
            status TEXT NOT NULL,
            number_sms INTEGER NOT NULL,
            PRIMARY KEY (campaign_id, partner_msg_id, msg_id)
        )""",
    ),
    (
        # Chat events claimed once (Telegram update ids, Slack event ids...).
        """CREATE TABLE claims (
            id TEXT PRIMARY KEY,
            claimed_at TEXT NOT NULL
        ) WITHOUT ROWID""",
        # One wizard (or scratch state) per conversation, as JSON.
        """CREATE TABLE conversations (
            key TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            data TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) WITHOUT ROWID""",
        # uSendit accounts known to the bot; the password only encrypted (Fernet).
        """CREATE TABLE accounts (
            username TEXT PRIMARY KEY,
            secret BLOB NOT NULL,
            updated_at TEXT NOT NULL
        ) WITHOUT ROWID""",
        # Which account a chat user acts with.
        """CREATE TABLE links (
            identity TEXT PRIMARY KEY,
            username TEXT NOT NULL REFERENCES accounts (username),
            updated_at TEXT NOT NULL
        ) WITHOUT ROWID""",
        """CREATE TABLE preferences (
            identity TEXT NOT NULL,
            name TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (identity, name)
        ) WITHOUT ROWID""",
    ),
    (
        # The work queue: what a confirmed campaign asks of the worker, and its lease.
        "ALTER TABLE campaigns ADD COLUMN work TEXT CHECK (work IN ('SEND', 'RESEND', 'SETTLE'))",
        "ALTER TABLE campaigns ADD COLUMN generation INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE campaigns ADD COLUMN lease_owner TEXT",
        "ALTER TABLE campaigns ADD COLUMN lease_expires TEXT",
        "ALTER TABLE campaigns ADD COLUMN not_before TEXT",
        "ALTER TABLE campaigns ADD COLUMN failures INTEGER NOT NULL DEFAULT 0",
        # Sends left unsure (or unsent) by a version that sent inside the chat turn.
        """UPDATE campaigns SET work = 'SEND' WHERE phase = 'CONFIRMED' AND id IN (
            SELECT campaign_id FROM chunks WHERE state IN ('IN_FLIGHT', 'UNKNOWN'))""",
        "CREATE INDEX campaigns_with_work ON campaigns (id) WHERE work IS NOT NULL",
        # The outbox: one message per chat and subject, kept up to date by version.
        """CREATE TABLE notices (
            id INTEGER PRIMARY KEY,
            chat TEXT NOT NULL,
            subject TEXT NOT NULL,
            data TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 1,
            shown_version INTEGER NOT NULL DEFAULT 0,
            ref TEXT,
            lease_owner TEXT,
            lease_expires TEXT,
            not_before TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (chat, subject)
        )""",
        "CREATE INDEX notices_due ON notices (updated_at, id) WHERE version > shown_version",
        "CREATE INDEX notices_by_subject ON notices (subject)",
    ),
    (
        # A draft is edited in place: each change bumps its revision, and Confirm names
        # the revision its preview showed.
        "ALTER TABLE campaigns ADD COLUMN revision INTEGER NOT NULL DEFAULT 0",
        # Claimed events are forgotten after a day (the worker prunes them).
        "CREATE INDEX claims_by_time ON claims (claimed_at)",
    ),
    (
        # Numbers the opt-out list left out of a draft (they are not its recipients).
        "ALTER TABLE campaigns ADD COLUMN opted_out INTEGER NOT NULL DEFAULT 0",
        # Recipients left out of every send of their campaign: on the opt-out list when
        # their chunk went (even if put there after the draft was made).
        """CREATE TABLE excluded_recipients (
            campaign_id INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            excluded_at TEXT NOT NULL,
            PRIMARY KEY (campaign_id, seq),
            FOREIGN KEY (campaign_id, seq) REFERENCES recipients (campaign_id, seq)
        ) WITHOUT ROWID""",
        # Numbers that must never get an SMS from an account.
        """CREATE TABLE opt_outs (
            account TEXT NOT NULL,
            msisdn TEXT NOT NULL,
            added_by TEXT NOT NULL,
            added_at TEXT NOT NULL,
            PRIMARY KEY (account, msisdn)
        ) WITHOUT ROWID""",
        # A chat's SMS texts and recipient lists, kept by name.
        """CREATE TABLE templates (
            id INTEGER PRIMARY KEY,
            chat TEXT NOT NULL,
            name TEXT NOT NULL,
            text TEXT NOT NULL,
            created_by TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (chat, name)
        )""",
        """CREATE TABLE recipient_lists (
            id INTEGER PRIMARY KEY,
            chat TEXT NOT NULL,
            name TEXT NOT NULL,
            size INTEGER NOT NULL,
            created_by TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            last_used_at TEXT,
            UNIQUE (chat, name)
        )""",
        """CREATE TABLE recipient_list_numbers (
            list_id INTEGER NOT NULL REFERENCES recipient_lists (id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            msisdn TEXT NOT NULL,
            PRIMARY KEY (list_id, seq)
        ) WITHOUT ROWID""",
    ),
    (
        # A part's per-number outcomes, read a part at a time (a campaign's results
        # file, written without holding 100k outcomes at once).
        "CREATE INDEX messages_by_chunk ON messages (chunk_id)",
    ),
    (
        # Low-credit alerts per account and chat, and the payments a /buy waits for.
        """CREATE TABLE credit_alerts (
            account TEXT NOT NULL,
            chat TEXT NOT NULL,
            threshold INTEGER NOT NULL,
            below INTEGER NOT NULL,
            crossings INTEGER NOT NULL,
            data TEXT NOT NULL,
            set_by TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (account, chat)
        ) WITHOUT ROWID""",
        """CREATE TABLE payment_watches (
            id INTEGER PRIMARY KEY,
            account TEXT NOT NULL,
            chat TEXT NOT NULL,
            baseline INTEGER NOT NULL,
            data TEXT NOT NULL,
            started_at TEXT NOT NULL,
            until TEXT NOT NULL
        )""",
    ),
    (
        # A campaign's daily delivery window, with the zone its hours were said in
        # (``Europe/Lisbon 09:00-20:00 working days``); NULL: any time.
        "ALTER TABLE campaigns ADD COLUMN delivery_window TEXT",
    ),
    (
        # When a scheduled campaign's report was posted (``bot.schedule_reports``): its
        # time came, GetSchedule was read again, the chat was told. Campaigns whose time
        # passed under an older version are not reported now.
        "ALTER TABLE campaigns ADD COLUMN reported_at TEXT",
        """UPDATE campaigns SET reported_at = schedule_at WHERE schedule_at IS NOT NULL
            AND schedule_at <= strftime('%Y-%m-%dT%H:%M:%f000+00:00', 'now')""",
        """CREATE INDEX campaigns_to_report ON campaigns (schedule_at)
            WHERE reported_at IS NULL AND schedule_at IS NOT NULL""",
    ),
    (
        # Approval of big sends: a chat's threshold in credits, the approvers' chat of an
        # account, and one request per campaign with its single decision (the campaign
        # stays DRAFT until that decision confirms or cancels it).
        """CREATE TABLE approval_thresholds (
            chat TEXT PRIMARY KEY,
            threshold INTEGER NOT NULL,
            set_by TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) WITHOUT ROWID""",
        """CREATE TABLE approvers_chats (
            account TEXT PRIMARY KEY,
            chat TEXT NOT NULL,
            data TEXT NOT NULL,
            set_by TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) WITHOUT ROWID""",
        """CREATE TABLE approvals (
            campaign_id INTEGER PRIMARY KEY REFERENCES campaigns (id),
            revision INTEGER NOT NULL,
            chat TEXT NOT NULL,
            state TEXT NOT NULL
                CHECK (state IN ('PENDING', 'APPROVED', 'REJECTED', 'EXPIRED')),
            requested_by TEXT NOT NULL,
            credits INTEGER NOT NULL,
            threshold INTEGER NOT NULL,
            data TEXT NOT NULL,
            requested_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            decided_by TEXT,
            decided_name TEXT,
            decided_at TEXT
        )""",
        "CREATE INDEX approvals_pending ON approvals (expires_at) WHERE state = 'PENDING'",
    ),
    (
        # The audit log: who spent money or changed access, where, when and what. Only
        # ever appended to: the triggers refuse to change or delete an entry.
        """CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            who TEXT NOT NULL,
            who_name TEXT,
            chat TEXT NOT NULL,
            platform TEXT NOT NULL,
            account TEXT,
            action TEXT NOT NULL,
            what TEXT NOT NULL
        )""",
        "CREATE INDEX audit_log_by_chat ON audit_log (chat, id)",
        "CREATE INDEX audit_log_by_account ON audit_log (account, id)",
        """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
        """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    ),
    (
        # Personalised texts (bot/personal_text.py): a campaign's file columns (JSON list),
        # its cost as the sum of its messages' segments and its preview summary (JSON);
        # per recipient its line in the file and values (storage/recipient_fields.py),
        # its own rendered text and segments. NULL for a plain text: the campaign's.
        "ALTER TABLE campaigns ADD COLUMN field_names TEXT",
        "ALTER TABLE campaigns ADD COLUMN credits INTEGER",
        "ALTER TABLE campaigns ADD COLUMN personal TEXT",
        "ALTER TABLE recipients ADD COLUMN fields TEXT",
        "ALTER TABLE recipients ADD COLUMN text TEXT",
        "ALTER TABLE recipients ADD COLUMN segments INTEGER",
    ),
    (
        # A draft of many recipients is stored a thousand rows per transaction, so other
        # chats' writes go between (storage/sqlite_campaigns.py); till its last row it is
        # listed here and seen by no one, and one left by a process that died is removed
        # at start.
        """CREATE TABLE loading_campaigns (
            campaign_id INTEGER PRIMARY KEY REFERENCES campaigns (id)
        )""",
    ),
    (
        # Per-number outcomes keyed by their part: one B-tree, which a part's thousand rows
        # go into side by side (it was a row-id table, its key and a part index: three).
        # A campaign's rows are found through its parts (chunks' UNIQUE (campaign_id, seq)).
        """CREATE TABLE messages_by_part (
            chunk_id INTEGER NOT NULL REFERENCES chunks (id),
            partner_msg_id TEXT NOT NULL,
            msg_id INTEGER NOT NULL,
            campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
            msisdn TEXT NOT NULL,
            status TEXT NOT NULL,
            number_sms INTEGER NOT NULL,
            PRIMARY KEY (chunk_id, partner_msg_id, msg_id)
        ) WITHOUT ROWID""",
        "INSERT INTO messages_by_part (chunk_id, partner_msg_id, msg_id, campaign_id, msisdn, "
        "status, number_sms) SELECT chunk_id, partner_msg_id, msg_id, campaign_id, msisdn, "
        "status, number_sms FROM messages",
        "DROP TABLE messages",
        "ALTER TABLE messages_by_part RENAME TO messages",
    ),
    (
        # A part's per-number outcomes packed into one row (storage/outcome_packs.py): its
        # answer was a thousand rows. The outcomes as one flat JSON array, five values a
        # number; its refusals counted by status.
        """CREATE TABLE part_outcomes (
            chunk_id INTEGER PRIMARY KEY REFERENCES chunks (id),
            outcomes TEXT NOT NULL,
            refusals TEXT NOT NULL
        )""",
        """INSERT INTO part_outcomes (chunk_id, outcomes, refusals)
        SELECT m.chunk_id,
            '[' || group_concat(substr(m.one, 2, length(m.one) - 2), ',') || ']',
            (SELECT json_group_object(c.status, c.n) FROM (
                SELECT r.status, count(*) AS n FROM messages AS r
                WHERE r.chunk_id = m.chunk_id AND r.status <> 'SCHEDULED' GROUP BY r.status
            ) AS c)
        FROM (
            SELECT chunk_id,
                json_array(partner_msg_id, msisdn, msg_id, status, number_sms) AS one
            FROM messages
        ) AS m GROUP BY m.chunk_id""",
        "DROP TABLE messages",
    ),
    (
        # Recipients without UNIQUE (campaign_id, msisdn): that second B-tree cost a draft
        # 7-8 µs a number in a real file's random order (1 µs in order), against 3-4 for
        # the row itself. A draft's numbers are checked distinct once, where the one insert
        # is (storage/sqlite_campaigns.py). SQLite drops no constraint in place: the table
        # is rebuilt, and excluded_recipients (whose key refers to it) around it.
        """CREATE TABLE recipients_new (
            campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
            seq INTEGER NOT NULL,
            msisdn TEXT NOT NULL,
            fields TEXT,
            text TEXT,
            segments INTEGER,
            PRIMARY KEY (campaign_id, seq)
        ) WITHOUT ROWID""",
        "INSERT INTO recipients_new (campaign_id, seq, msisdn, fields, text, segments) "
        "SELECT campaign_id, seq, msisdn, fields, text, segments FROM recipients",
        """CREATE TABLE excluded_kept (
            campaign_id INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            excluded_at TEXT NOT NULL
        )""",
        "INSERT INTO excluded_kept SELECT campaign_id, seq, excluded_at FROM excluded_recipients",
        "DROP TABLE excluded_recipients",
        "DROP TABLE recipients",
        "ALTER TABLE recipients_new RENAME TO recipients",
        """CREATE TABLE excluded_recipients (
            campaign_id INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            excluded_at TEXT NOT NULL,
            PRIMARY KEY (campaign_id, seq),
            FOREIGN KEY (campaign_id, seq) REFERENCES recipients (campaign_id, seq)
        ) WITHOUT ROWID""",
        "INSERT INTO excluded_recipients SELECT campaign_id, seq, excluded_at FROM excluded_kept",
        "DROP TABLE excluded_kept",
    ),
)
