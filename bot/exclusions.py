"""The opt-out list applied to a campaign: at drafting, and again right before each
SendMessages, so that a number on it never reaches uSendit.

The list changes while a draft waits and while a campaign goes, so it is asked
twice (see :mod:`bot.optout` for whose list it is: the campaign's account's):

- Drafting (:meth:`Exclusions.split`): the draft never holds a number on the
  list; how many were left out is kept on the campaign
  (:attr:`~bot.records.Campaign.opted_out`) and the preview says so.
- Sending (:meth:`Exclusions.sendable`): the chunk's recipients are asked once
  more after the chunk is committed IN_FLIGHT. One on the list now (put there
  after the draft was made, after Confirm, even while this chunk's turn came)
  is recorded as excluded (:meth:`~bot.store.Store.exclude_recipients`),
  durably, *before* the call, and is in no Sms list of that campaign again: a
  resend of its chunk (the same partnerEventId) leaves it out too, even if the
  number has left the list meanwhile, so what the campaign records stays true.
  /status counts them as excluded, never as rejected or failed.

A chunk whose every recipient is excluded makes no call at all: it is settled
ACCEPTED with no event, nothing accepted and no credit spent
(:func:`nothing_sent`). Its partnerEventId stays meaningful: an earlier attempt
of it that surfaces late at uSendit is still found by a refresh (which records
nothing when it finds no event at all).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from bot.errors import CampaignError
from bot.records import Campaign, Chunk, ChunkResult, Recipient
from bot.store import Store

log = logging.getLogger(__name__)

ALL_EXCLUDED = "ALL_EXCLUDED"
"""The status and reason of a chunk that made no call: every recipient was excluded."""


class EveryoneOptedOut(CampaignError):
    """Every number given for a draft is on the opt-out list: there is nothing to send."""

    def __init__(self, count: int) -> None:
        super().__init__(f"all {count} numbers are on the opt-out list")
        self.count = count


def nothing_sent() -> ChunkResult:
    """What a chunk with every recipient excluded settles with: no event, nothing sent."""
    return ChunkResult(
        event_ids=(), accepted=0, rejected=0, credits_spent=0, status=ALL_EXCLUDED, messages=()
    )


class Exclusions:
    """Asks the opt-out list about a campaign's numbers, and records who is left out."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock

    async def split(self, account: str, numbers: Sequence[str]) -> tuple[list[str], int]:
        """``numbers`` without those on ``account``'s opt-out list, and how many those were."""
        listed = await self.store.opted_out(account, numbers)
        if not listed:
            return list(numbers), 0
        return [n for n in numbers if n not in listed], len(listed)

    async def sendable(
        self, campaign: Campaign, chunk: Chunk, recipients: Sequence[Recipient]
    ) -> list[Recipient]:
        """The chunk's recipients that may get the SMS now: not excluded before, and not
        on the account's opt-out list now. Those newly on it are recorded as excluded
        before this returns (so before any call carries the others)."""
        listed = await self.store.opted_out(campaign.account, [r.msisdn for r in recipients])
        before: set[int] = set()
        if chunk.excluded:
            before = {
                r.seq
                for r in await self.store.excluded_recipients(campaign.id)
                if chunk.first_recipient <= r.seq <= chunk.last_recipient
            }
        now = [r.seq for r in recipients if r.msisdn in listed and r.seq not in before]
        if now:
            await self.store.exclude_recipients(campaign.id, now, self.clock())
            log.info(
                "campaign %d chunk %d: %d numbers on the opt-out list left out",
                campaign.id,
                chunk.seq,
                len(now),
            )
        if not before and not now:
            return list(recipients)
        gone = before | set(now)
        return [r for r in recipients if r.seq not in gone]
