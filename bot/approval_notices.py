"""Approval requests and outcomes as chats show them, rendered from the live state.

``approval:<id>`` is the request in the approvers' chat: the campaign's summary with
Approve and Reject while it waits; once decided (or expired), the same message says
so, without buttons. ``approval-outcome:<id>`` tells the author's chat how it ended.
Each is worded as its ``data`` (or the approval's) says: the language of the chat it
is shown in.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot.approvals import outcome_subject, request_subject
from bot.chat import Button, Reply
from bot.i18n import translate
from bot.records import Approval, ApprovalState, Campaign, Notice
from bot.store import Store
from bot.turn import read_id, spell
from bot.views import local_time

PREVIEW_CHARACTERS = 160
SUBJECT_PREFIXES = ("approval:", "approval-outcome:")

Translate = Callable[..., str]


def _translator(data: dict[str, Any], mentions: re.Pattern[str]) -> tuple[Translate, str]:
    lang = str(data.get("lang") or "en")
    prefix = str(data.get("prefix") or "/")
    zone = str(data.get("timezone") or "UTC")

    def t(key: str, **params: Any) -> str:
        return spell(mentions, prefix, translate(lang, key, **params))

    return t, zone


def waiting_line(t: Translate, approval: Approval, zone: str, now: datetime) -> str:
    """A campaign's approval as /status states it."""
    author = str((approval.data.get("author") or {}).get("name") or approval.requested_by)
    if approval.state is ApprovalState.PENDING and approval.expires_at > now:
        return t("approval.status_waiting", name=author, time=local_time(approval.expires_at, zone))
    if approval.state is ApprovalState.APPROVED:
        return t("approval.status_approved", name=approval.decided_name)
    if approval.state is ApprovalState.REJECTED:
        return t("approval.status_rejected", name=approval.decided_name)
    return t("approval.status_expired")


def _request(
    t: Translate, approval: Approval, campaign: Campaign, zone: str, now: datetime
) -> Reply:
    cid = campaign.id
    author = str((approval.data.get("author") or {}).get("name") or approval.requested_by)
    head = t(
        "approval.request",
        id=cid,
        name=author,
        recipients=t("unit.recipients", count=campaign.recipient_count),
        credits=t("unit.credits", count=approval.credits),
        count=approval.threshold,
    )
    if approval.state is ApprovalState.APPROVED:
        return Reply(head + "\n" + t("approval.decided_approved", name=approval.decided_name))
    if approval.state is ApprovalState.REJECTED:
        return Reply(head + "\n" + t("approval.decided_rejected", name=approval.decided_name))
    if approval.state is ApprovalState.EXPIRED or approval.expires_at <= now:
        return Reply(head + "\n" + t("approval.decided_expired"))
    text = campaign.text
    if len(text) > PREVIEW_CHARACTERS:
        text = text[: PREVIEW_CHARACTERS - 1] + "…"
    when = t("send.now") if campaign.schedule_at is None else local_time(campaign.schedule_at, zone)
    lines = [
        head,
        t("approval.request_text", text=text),
        t("approval.request_when", when=when, time=local_time(approval.expires_at, zone)),
    ]
    buttons = (
        (
            Button(t("button.approve"), f"approval:yes:{cid}"),
            Button(t("button.reject"), f"approval:no:{cid}"),
        ),
    )
    return Reply("\n".join(lines), buttons=buttons)


def _outcome(t: Translate, approval: Approval) -> Reply | None:
    cid = approval.campaign_id
    if approval.state is ApprovalState.APPROVED:
        return Reply(t("approval.approved", id=cid, name=approval.decided_name))
    if approval.state is ApprovalState.REJECTED:
        return Reply(t("approval.rejected", id=cid, name=approval.decided_name))
    if approval.state is ApprovalState.EXPIRED:
        return Reply(t("approval.expired", id=cid))
    return None


async def render_approval_notice(
    notice: Notice, store: Store, mentions: re.Pattern[str], now: datetime
) -> Reply | None:
    """An approval notice as its chat shows it now (None: nothing to show)."""
    ident = notice.subject.partition(":")[2]
    cid = read_id(ident)
    approval = None if cid is None else await store.get_approval(cid)
    if cid is None or approval is None:
        return None
    if notice.subject == request_subject(cid):
        campaign = await store.get_campaign(cid)
        if campaign is None:
            return None
        t, zone = _translator(dict(approval.data.get("approvers") or {}), mentions)
        return _request(t, approval, campaign, zone, now)
    if notice.subject == outcome_subject(cid):
        t, _ = _translator(notice.data, mentions)
        return _outcome(t, approval)
    return None
