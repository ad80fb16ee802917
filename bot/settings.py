"""The one Settings object: read once from the environment or `.env`, then passed down.

Nothing below this module reads ``os.environ``; every component receives the
fields it needs from a :class:`Settings` instance built at start.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.i18n import LANGUAGES
from bot.recipient_files import MAX_FILE_BYTES, MAX_ROWS

DATABASE_SCHEMES = ("sqlite:///", "postgresql://", "postgres://")


def _split_list(value: object) -> object:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


class Settings(BaseSettings):
    """Every setting of usendit-bot (environment variables or a `.env` file)."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    usendit_wsdl_url: str | None = Field(
        default=None, description="WSDL to load; the bundled one when unset."
    )
    usendit_endpoint: str | None = Field(
        default=None, description="SOAP address to call; the WSDL's address when unset."
    )
    usendit_username: str | None = Field(
        default=None, description="The default uSendit account's username."
    )
    usendit_password: SecretStr | None = Field(
        default=None, description="The default uSendit account's password."
    )
    usendit_timeout: float = Field(
        default=30.0, gt=0, description="Seconds one provider operation may take."
    )
    usendit_fast_send: bool = Field(
        default=True,
        description="Write SendMessages requests and read their answers without zeep "
        "(proven equal to zeep's; zeep still does every other call); false sends them "
        "through zeep too.",
    )
    usendit_sandbox: bool | None = Field(
        default=None,
        description="Run against the embedded sandbox; on when no endpoint and no credentials.",
    )
    database_url: str = Field(
        default="sqlite:///usendit-bot.db",
        description="The store: sqlite:///FILE, or postgresql://... for several replicas.",
    )
    shutdown_grace: float = Field(
        default=10.0,
        ge=0,
        description="Seconds SIGTERM waits for the part in flight and the pending notices.",
    )
    quiet_window: float | None = Field(
        default=None,
        gt=0,
        description="Seconds after a send before 'no event at uSendit' may mean 'not sent'; "
        "at least 900 by default, and never below twice USENDIT_TIMEOUT.",
    )
    worker_lease: float = Field(
        default=15.0,
        ge=1,
        le=60,
        description="Seconds a worker's lease on a campaign lasts (renewed every third of it); "
        "a dead process's campaign is taken over after at most this long.",
    )
    chunk_size: int = Field(
        default=1000, ge=1, le=5000, description="Sms per SendMessages call (one part)."
    )
    credit_check_minutes: float = Field(
        default=10.0,
        gt=0,
        le=1440,
        description="Minutes between readings of the credits of accounts with a low-credit "
        "alert (/alert); they are also read after every campaign.",
    )
    approval_minutes: float = Field(
        default=60.0,
        gt=0,
        le=10080,
        description="Minutes an approval request of a big send (/approval) waits for a "
        "decision before it expires and the campaign is not sent.",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="Fernet key(s), comma-separated; the first encrypts. Generated when unset.",
    )
    bot_admins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Identities with the admin role."
    )
    bot_senders: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Identities with the sender role."
    )
    bot_viewers: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Identities with the viewer role."
    )
    default_region: str = Field(default="PT", description="Region of numbers without +code.")
    default_timezone: str = Field(default="Europe/Lisbon", description="Timezone of schedules.")
    default_language: str = Field(default="en", description="Language of replies: en, pt, es.")
    max_recipients: int = Field(
        default=MAX_ROWS,
        ge=1,
        description="Most rows a recipients file may hold (each number of a cell counts as "
        "one), and most numbers typed at once; reading 100,000 takes about 60 MB of memory.",
    )
    max_file_mb: float = Field(
        default=MAX_FILE_BYTES / 1_000_000,
        gt=0,
        le=50,
        description="Largest recipients file taken, in MB (10^6 bytes); adapters refuse a larger "
        "one before downloading it. At most 50.",
    )
    telegram_bot_token: SecretStr | None = Field(default=None, description="Enables Telegram.")
    telegram_api_base_url: str | None = Field(default=None, description="Bot API server.")
    telegram_webhook_url: str | None = Field(default=None, description="Webhook mode URL.")
    telegram_webhook_secret: SecretStr | None = Field(default=None, description="Webhook secret.")
    slack_bot_token: SecretStr | None = Field(default=None, description="Enables Slack.")
    slack_signing_secret: SecretStr | None = Field(default=None, description="Slack HTTP mode.")
    slack_app_token: SecretStr | None = Field(default=None, description="Slack Socket Mode.")
    slack_api_base_url: str | None = Field(default=None, description="Slack Web API base.")
    port: int = Field(default=8080, ge=0, le=65535, description="HTTP port of `serve`.")

    @field_validator("bot_admins", "bot_senders", "bot_viewers", mode="before")
    @classmethod
    def _identities(cls, value: object) -> object:
        return _split_list(value)

    @field_validator("default_language")
    @classmethod
    def _language(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"DEFAULT_LANGUAGE must be one of {', '.join(LANGUAGES)}")
        return value

    @field_validator("default_timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"DEFAULT_TIMEZONE {value!r} is not a known timezone (e.g. Europe/Lisbon)"
            ) from None
        return value

    @field_validator("default_region")
    @classmethod
    def _region(cls, value: str) -> str:
        region = value.upper()
        if region not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError(f"DEFAULT_REGION {value!r} is not a country code (e.g. PT, ES, BR)")
        return region

    @property
    def use_sandbox(self) -> bool:
        """Whether to start the embedded sandbox instead of calling a real provider."""
        if self.usendit_sandbox is not None:
            return self.usendit_sandbox
        return (
            self.usendit_endpoint is None
            and self.usendit_wsdl_url is None
            and self.usendit_username is None
        )

    @field_validator("database_url")
    @classmethod
    def _database(cls, value: str) -> str:
        if not value.startswith(DATABASE_SCHEMES):
            raise ValueError(
                "DATABASE_URL must start with sqlite:///, postgresql:// or postgres://"
            )
        return value

    @model_validator(mode="after")
    def _windows(self) -> Self:
        if self.quiet_window is not None and self.quiet_window <= 2 * self.usendit_timeout:
            raise ValueError("QUIET_WINDOW must be more than twice USENDIT_TIMEOUT")
        return self

    @property
    def quiet_seconds(self) -> float:
        """The quiet window in force: QUIET_WINDOW, or at least 900 s."""
        if self.quiet_window is not None:
            return self.quiet_window
        return max(900.0, 2 * self.usendit_timeout + 10)

    @property
    def max_file_bytes(self) -> int:
        """``MAX_FILE_MB`` in bytes, as :func:`bot.recipient_files.parse_file` takes it."""
        return round(self.max_file_mb * 1_000_000)

    @property
    def on_postgres(self) -> bool:
        return self.database_url.startswith(("postgresql://", "postgres://"))

    @property
    def data_dir(self) -> Path:
        """Where files beside the store go (the generated key, the sandbox's state)."""
        return self.sqlite_path.parent if not self.on_postgres else Path(".")

    @property
    def sqlite_path(self) -> Path:
        """The SQLite file named by ``DATABASE_URL`` (``sqlite:///relative`` or ``////abs``);
        with PostgreSQL, ``usendit-bot.db`` names the files kept beside it."""
        prefix = "sqlite:///"
        if not self.database_url.startswith(prefix):
            return Path("usendit-bot.db")
        return Path(self.database_url[len(prefix) :])
