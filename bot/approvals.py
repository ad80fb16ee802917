"""Approval of big sends: a campaign over its chat's threshold waits for a second person.

The rule. An admin sets a chat's threshold in credits (``/approval <credits>``, see
``bot.approval_commands``). When the author of a campaign of more estimated credits
(:attr:`~bot.records.Campaign.estimated_credits`) than that presses Confirm, nothing
is confirmed: an approval is asked instead (:meth:`Approvals.gate`), and the request
is pushed through the outbox, with Approve and Reject buttons, to the approvers' chat:
the campaign's own chat, unless an admin named another one for the account
(``/approval chat``). A sender or admin who is not the author decides there. The
approvers' chat's own threshold holds every campaign of its account, whatever chat it
is made in: a sender cannot step around the limit by sending from a private chat.

Why the campaign stays a DRAFT. ``campaigns.phase`` has a CHECK that SQLite can only
change by rebuilding the table; instead an ``approvals`` row keyed by the campaign
holds its own state (PENDING -> APPROVED | REJECTED | EXPIRED). While a row exists the
store refuses the author's edit, Confirm and Cancel of the draft, and asking bumps the
draft's revision, so the preview's Confirm can never confirm it past the approval.

Exactly one decision. :meth:`Approvals.decide` is the one place a decision is made
(an audit record belongs there): one conditional update (``state = 'PENDING' AND
expires_at > now``, by someone other than the author) that, in the same transaction,
confirms the campaign with the worker's SEND (Approve) or cancels it (Reject). Two
approvers at once, a double tap, a press after the time ran out: the store lets one
through; the others are told who decided, or that it expired.

Expiry. A request lasts ``APPROVAL_MINUTES``; the service's loop (and a press that
finds it late) expires the overdue ones in one statement, cancelling their campaigns,
so of several workers one tells. A rejected or expired campaign is cancelled rather
than left a draft: a big send is never confirmed later by surprise; its author starts
a new /send.

Who is told. The request's message in the approvers' chat is updated in place (its
buttons go away, it says who decided); the author's chat gets a push of the outcome
(approved, rejected by whom, expired) and, once approved, the usual campaign progress.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.audit import Audit
from bot.errors import StoreError
from bot.lifecycle import Loop
from bot.notices import NoticeBoard
from bot.records import (
    Approval,
    ApprovalState,
    ApproversChat,
    AuditAction,
    Campaign,
    CampaignPhase,
    NewApproval,
)
from bot.roles import Role
from bot.store import Store
from bot.turn import Turn, read_id
from bot.views import local_time

log = logging.getLogger(__name__)

DEFAULT_PATIENCE = timedelta(minutes=60)
GATED_VERBS = frozenset({"confirm", "edit", "cancel", "plain"})
"""Campaign buttons an approval holds: only its decision changes the draft now."""


def _now() -> datetime:
    return datetime.now(UTC)


def request_subject(campaign_id: int) -> str:
    """The request's message in the approvers' chat."""
    return f"approval:{campaign_id}"


def outcome_subject(campaign_id: int) -> str:
    """The push telling the author's chat how the request ended."""
    return f"approval-outcome:{campaign_id}"


def wording(turn: Turn) -> dict[str, Any]:
    return {"lang": turn.lang, "prefix": turn.command.prefix, "timezone": turn.timezone}


def who(turn: Turn) -> str:
    """How a person is named to others: their platform name, else their id."""
    return turn.command.user.name or turn.command.user.key


class Approvals(Loop):
    """Asks, decides and expires approvals; its loop expires the overdue ones."""

    loop_name = "approvals"

    def __init__(
        self,
        store: Store,
        board: NoticeBoard,
        *,
        patience: timedelta = DEFAULT_PATIENCE,
        poll: float = 15.0,
        wake_worker: Callable[[], None] = lambda: None,
        clock: Callable[[], datetime] = _now,
        audit: Audit | None = None,
    ) -> None:
        self.store = store
        self.board = board
        self.patience = patience
        self.poll = poll
        self.wake_worker = wake_worker
        self.clock = clock
        self.audit = audit
        """Where a decision is recorded (approve, reject: who, where, which campaign)."""

    # --- asking -----------------------------------------------------------------------

    async def gate(self, turn: Turn, campaign: Campaign, verb: str, revision: int) -> bool:
        """Before a campaign button of its author's does its work: True when the approval
        took the press (asked for one, or said that one is asked or decided)."""
        if verb not in GATED_VERBS:
            return False
        approval = await self.store.get_approval(campaign.id)
        if approval is not None:
            await self.tell_state(turn, approval)
            return True
        if verb != "confirm" or campaign.phase is not CampaignPhase.DRAFT:
            return False
        approvers = await self.store.approvers_chat(campaign.account)
        threshold = await self.threshold(campaign.chat, approvers)
        if threshold is None or campaign.estimated_credits <= threshold:
            return False
        if campaign.revision != revision or not campaign.text:
            return False  # Confirm refuses it, saying why
        chat = approvers.chat if approvers is not None else campaign.chat
        now = self.clock()
        author = {**wording(turn), "name": who(turn), "chat": campaign.chat}
        asked = await self.store.request_approval(
            NewApproval(
                campaign_id=campaign.id,
                revision=revision,
                chat=chat,
                requested_by=turn.command.user.key,
                credits=campaign.estimated_credits,
                threshold=threshold,
                data={
                    "author": author,
                    "approvers": approvers.data if approvers is not None else wording(turn),
                },
                requested_at=now,
                expires_at=now + self.patience,
            ),
            notice=request_subject(campaign.id),  # its message, in the same transaction
        )
        if asked is None:
            return False  # changed or asked meanwhile: Confirm says what it finds
        self.board.ring()
        await turn.say(
            "approval.asked_here" if chat == campaign.chat else "approval.asked_elsewhere",
            id=campaign.id,
            credits=turn.t("unit.credits", count=asked.credits),
            count=threshold,
            time=local_time(asked.expires_at, turn.timezone),
        )
        return True

    async def threshold(self, chat: str, approvers: ApproversChat | None) -> int | None:
        """The limit a campaign made in ``chat`` is held to: the lower of that chat's and,
        when its account has an approvers' chat, that chat's (an account-wide limit, so a
        sender cannot step around it by sending from another chat)."""
        limits = [await self.store.approval_threshold(chat)]
        if approvers is not None and approvers.chat != chat:
            limits.append(await self.store.approval_threshold(approvers.chat))
        found = [limit for limit in limits if limit is not None]
        return min(found) if found else None

    async def tell_state(self, turn: Turn, approval: Approval) -> None:
        """What became of an approval, to someone pressing a button it holds."""
        cid = approval.campaign_id
        if approval.state is ApprovalState.PENDING and approval.expires_at > self.clock():
            await turn.say(
                "approval.waiting", id=cid, time=local_time(approval.expires_at, turn.timezone)
            )
        elif approval.state is ApprovalState.APPROVED:
            await turn.say("approval.already_approved", id=cid, name=approval.decided_name)
        elif approval.state is ApprovalState.REJECTED:
            await turn.say("approval.already_rejected", id=cid, name=approval.decided_name)
        else:
            await turn.say("approval.already_expired", id=cid)

    # --- deciding ------------------------------------------------------------------------

    async def press(self, turn: Turn, action: str) -> None:
        """``approval:yes:<id>`` or ``approval:no:<id>``, pressed in the approvers' chat."""
        parts = action.split(":")
        cid = read_id(parts[2]) if len(parts) == 3 and parts[1] in ("yes", "no") else None
        approval = None if cid is None else await self.store.get_approval(cid)
        if approval is None or approval.chat != turn.command.chat_id:
            await turn.say("error.stale_button")
            return
        if not turn.allowed(Role.SENDER):
            await turn.say("roles.denied", role=turn.t("role.SENDER"))
            return
        campaign = await self.store.get_campaign(approval.campaign_id)
        made_by = None if campaign is None else campaign.created_by
        if turn.command.user.key in (approval.requested_by, made_by):
            await turn.say("approval.own", id=approval.campaign_id)
            return
        if approval.state is not ApprovalState.PENDING:
            await self.tell_state(turn, approval)
            return
        await self.decide(turn, approval, approve=parts[1] == "yes")

    async def decide(self, turn: Turn, approval: Approval, *, approve: bool) -> bool:
        """THE decision of an approval: the one place it is made, and audited.

        One conditional update in the store, which confirms (with the worker's SEND) or
        cancels the campaign in the same transaction; False when another press, the
        expiry or a change of the draft came first (the presser is told which)."""
        cid = approval.campaign_id
        now = self.clock()
        won = await self.store.decide_approval(
            cid, approve=approve, by=turn.command.user.key, by_name=who(turn), at=now
        )
        if not won:
            if approval.expires_at <= now:
                await self.expire_due()
            latest = await self.store.get_approval(cid)
            if latest is None or latest.state is ApprovalState.PENDING:
                # The author changed the draft in a race with the request: nothing sent.
                await turn.say("approval.unavailable", id=cid)
            else:
                await self.tell_state(turn, latest)
            return False
        decided = await self.store.get_approval(cid)
        assert decided is not None
        if self.audit is not None:
            await self.audit.record(
                turn, AuditAction.APPROVE if approve else AuditAction.REJECT,
                campaign=cid, credits=decided.credits,
            )  # fmt: skip
        log.info(
            "approval of campaign %d: %s by %s", cid, decided.state.value, turn.command.user.key
        )
        await self._announce(decided)
        await turn.say("approval.you_approved" if approve else "approval.you_rejected", id=cid)
        return True

    # --- expiry ----------------------------------------------------------------------------

    async def expire_due(self) -> list[Approval]:
        """Expire every request whose time ran out (their campaigns cancelled), and tell."""
        expired = await self.store.expire_approvals(self.clock())
        for approval in expired:
            log.info("approval of campaign %d expired", approval.campaign_id)
            try:
                await self._announce(approval)
            except StoreError as exc:  # the others are still told
                log.warning("the expiry of campaign %d not told: %s", approval.campaign_id, exc)
        return expired

    async def forever(self) -> None:
        while True:
            try:
                await self.expire_due()
            except StoreError as exc:
                log.warning("approvals: %s", exc)
            except Exception:
                # The loop's last resort: a bug must not end every later expiry.
                log.exception("approvals: the expiry round failed")
            await asyncio.sleep(self.poll)

    async def _announce(self, approval: Approval) -> None:
        """A decision is recorded: the request's message shows it, the author's chat is
        told, and an approved campaign is followed there as any confirmed one."""
        cid = approval.campaign_id
        now = self.clock()
        author = dict(approval.data.get("author") or {})
        chat = str(author.pop("chat", "")) or None
        await self.store.touch_notices(request_subject(cid), now)
        if chat is not None:
            await self.store.add_notice(chat, outcome_subject(cid), author, now)
            if approval.state is ApprovalState.APPROVED:
                author.pop("name", None)
                await self.board.follow(chat, cid, author)
        self.board.ring()
        if approval.state is ApprovalState.APPROVED:
            self.wake_worker()
