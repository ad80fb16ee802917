"""Encryption at rest for linked uSendit passwords (Fernet, rotated with MultiFernet).

``SECRET_KEY`` holds one or more Fernet keys, comma-separated; the first
encrypts, all decrypt, so a new key is put first and old tokens still open
(and are re-sealed with the new key when next saved). With no key set, one is
generated into a file beside the database, with a warning.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from bot.errors import ConfigurationError, StoreError

log = logging.getLogger(__name__)


class Vault:
    """Seals and opens secrets with the configured keys."""

    def __init__(self, keys: list[str]) -> None:
        if not keys:
            raise ConfigurationError("the vault needs at least one key")
        try:
            self._fernet = MultiFernet([Fernet(key.strip().encode()) for key in keys])
        except ValueError as exc:
            raise ConfigurationError(
                "SECRET_KEY must be Fernet keys (32 url-safe base64 bytes), comma-separated"
            ) from exc

    @classmethod
    def from_setting(cls, secret_key: str | None, key_file: Path) -> Vault:
        """The vault for ``SECRET_KEY``, or for a key kept in ``key_file`` (made if missing)."""
        if secret_key:
            return cls([k for k in secret_key.split(",") if k.strip()])
        if not key_file.exists():
            key_file.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(Fernet.generate_key())
            log.warning(
                "SECRET_KEY is not set: generated a key in %s. Keep that file (or set "
                "SECRET_KEY) or linked accounts cannot be read again.",
                key_file,
            )
        return cls([key_file.read_text(encoding="ascii").strip()])

    def seal(self, secret: str) -> bytes:
        return self._fernet.encrypt(secret.encode("utf-8"))

    def open(self, token: bytes) -> str:
        try:
            return self._fernet.decrypt(token).decode("utf-8")
        except InvalidToken as exc:
            raise StoreError(
                "a stored password cannot be decrypted with the configured SECRET_KEY"
            ) from exc
