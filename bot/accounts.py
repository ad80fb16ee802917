"""Which uSendit account a chat user acts with, and its credentials.

A user's own linked account (``/login``) comes first; else the default one
from the settings (the sandbox's ``demo`` when running on the sandbox).
Passwords are kept only sealed by the :class:`~bot.vault.Vault`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.errors import CampaignError
from bot.records import AccountLink
from bot.store import Store
from bot.usendit.client import Credentials
from bot.vault import Vault


class AccountBook:
    def __init__(
        self,
        store: Store,
        vault: Vault,
        default: Credentials | None,
        clock: Callable[[], datetime],
    ) -> None:
        self.store = store
        self.vault = vault
        self.default = default
        self.clock = clock

    async def for_user(
        self, identity: str, *, known: AccountLink | None = None
    ) -> Credentials | None:
        """The account ``identity`` acts with, or None when there is none; ``known``: its
        link as the store gave it already (a turn's context), so it is not asked again."""
        if known is None:
            username = await self.store.linked_account(identity)
        elif known.username is not None and known.secret is not None:
            return Credentials(known.username, self.vault.open(known.secret))
        else:
            username = known.username
        if username is not None:
            return await self.by_username(username)
        return self.default

    async def by_username(self, username: str) -> Credentials:
        """Credentials of a known account (the engine's account resolver)."""
        token = await self.store.account_secret(username)
        if token is not None:
            return Credentials(username, self.vault.open(token))
        if self.default is not None and self.default.username == username:
            return self.default
        raise CampaignError(f"no credentials are known for the account {username}")

    async def link(self, identity: str, account: Credentials) -> None:
        """Keep the password sealed and make ``identity`` act with this account."""
        now = self.clock()
        await self.store.save_account(account.username, self.vault.seal(account.password), now)
        await self.store.link(identity, account.username, now)

    async def unlink(self, identity: str) -> bool:
        return await self.store.unlink(identity)
