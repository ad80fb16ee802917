"""A person's home page, as data: their account's balance and their latest campaigns.

A platform with a page of its own per user (Slack's App Home) draws it from a
:class:`HomeView`; nothing here is a chat reply to be scraped. Every text a
person reads is already worded in their language; the numbers stay numbers,
so the page can lay them out as it likes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.campaign_status import CampaignState
from bot.campaigns import CampaignEngine
from bot.errors import ProviderError
from bot.roles import Role
from bot.turn import Session, Turn, provider_failure
from bot.usendit.client import UsenditClient
from bot.usendit.statuses import AuthenticateResultStatus

HOME_CAMPAIGNS = 10


@dataclass(frozen=True)
class HomeCampaign:
    id: int
    created_at: datetime
    state: CampaignState
    state_words: str
    recipients: int
    accepted: int
    rejected: int
    text: str


@dataclass(frozen=True)
class HomeView:
    """What a person's page shows; ``problem`` replaces the balance when there is none."""

    lang: str
    timezone: str
    account: str | None
    credits: int | None
    problem: str | None
    campaigns: tuple[HomeCampaign, ...]


class HomePages:
    """Builds a person's :class:`HomeView` (one AuthenticateUser, which gives the credits)."""

    def __init__(self, session: Session, *, client: UsenditClient, engine: CampaignEngine) -> None:
        self.session = session
        self.client = client
        self.engine = engine

    async def view(self, turn: Turn) -> HomeView:
        account, credits, problem = None, None, None
        if turn.role is Role.NONE:
            problem = turn.t("roles.unknown_user", id=turn.command.user.key)
        else:
            linked = await self.session.accounts.for_user(turn.command.user.key, known=turn.link)
            if linked is None:
                problem = turn.t("account.none")
            else:
                account = linked.username
                try:
                    auth = await self.client.authenticate_user(linked)
                except ProviderError as exc:
                    problem = provider_failure(turn, exc)
                else:
                    if auth.status is AuthenticateResultStatus.SUCCESS:
                        credits = auth.user_credits
                    else:
                        problem = turn.explain(auth.status.value)
        return HomeView(
            lang=turn.lang,
            timezone=turn.timezone,
            account=account,
            credits=credits,
            problem=problem,
            campaigns=await self._campaigns(turn) if turn.role is not Role.NONE else (),
        )

    async def _campaigns(self, turn: Turn) -> tuple[HomeCampaign, ...]:
        store = self.session.store
        found = await store.list_campaigns(created_by=turn.command.user.key, limit=HOME_CAMPAIGNS)
        shown: list[HomeCampaign] = []
        for campaign in found:
            status = await self.engine.status(campaign.id)
            shown.append(
                HomeCampaign(
                    id=campaign.id,
                    created_at=campaign.created_at,
                    state=status.state,
                    state_words=turn.t("state." + status.state.value),
                    recipients=campaign.recipient_count,
                    accepted=status.accepted,
                    rejected=status.rejected,
                    text=campaign.text,
                )
            )
        return tuple(shown)
