"""Personalised texts in a draft: the file's values kept with its recipients, every
text rendered when the draft's text is set, and what the engine charges.

:mod:`bot.personal_text` renders and checks; this module is the engine's side of it
(kept apart so ``bot/campaigns.py`` does not grow):

- :func:`kept_rows` keeps each recipient's line and values aligned with the numbers
  that stay in a draft (deduped, without the opt-out list's).
- :func:`personalise` turns a :class:`~bot.records.DraftChange` whose text has
  ``{fields}`` into one carrying every recipient's text and segments, the credits
  (their sum), and the preview's summary. A text without fields is left as it is:
  one text for all (any earlier rendered texts are dropped by the store).
  Rendering 100,000 rows takes a few seconds of pure Python: it runs in a thread,
  off the event loop, beyond :data:`INLINE_ROWS` rows; and once per text: the
  conversation checks the text at its step, and the preview keeps what it stored.
- :func:`credits_to_send` is what the balance check asks for: the campaign's
  segments per recipient for a plain campaign (no query: the plain path stays as
  fast as before), the sum of the messages' own segments, excluded ones left out,
  for a personalised one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import replace

from bot.personal_text import (
    PersonalReport,
    PersonalTextError,
    Summary,
    has_fields,
    parse_template,
    render_all,
)
from bot.records import Campaign, Chunk, DraftChange
from bot.segments import to_gsm7
from bot.store import Store

INLINE_ROWS = 2_000
"""Lists up to this long are rendered on the event loop (a thread costs more)."""


def kept_rows(
    given: Iterable[str],
    lines: Sequence[int],
    values: Sequence[tuple[str, ...]],
    kept: Sequence[str],
) -> tuple[tuple[int, ...], tuple[tuple[str, ...], ...]]:
    """The lines and values of the numbers ``kept``, from those ``given`` (aligned with
    ``lines`` and ``values``; the first row of a number given twice wins)."""
    rows: dict[str, tuple[int, tuple[str, ...]]] = {}
    for number, line, row in zip(given, lines, values, strict=True):
        rows.setdefault(number.strip().lstrip("+"), (line, row))
    chosen = [rows[number] for number in kept]
    return tuple(line for line, _ in chosen), tuple(row for _, row in chosen)


async def personalise(
    store: Store, campaign_id: int, change: DraftChange, *, fold: bool = False
) -> DraftChange:
    """``change`` with every recipient's own text when its text has fields; raises
    :class:`PersonalTextError` when they do not fit the list (unknown field, empty value,
    unsendable or too long a text, with the lines). ``fold``: every text folded to GSM-7."""
    if not has_fields(change.text):
        return change
    campaign = await store.get_campaign(campaign_id)
    header = () if campaign is None else campaign.columns
    if not header:
        # Typed numbers, a saved list, a file with only numbers: no field at all.
        unknown = parse_template(change.text, ()).unknown
        raise PersonalTextError(PersonalReport(unknown=unknown))
    summary = None if campaign is None else Summary.from_stored(campaign.personal)
    if (
        campaign is not None
        and summary is not None
        and summary.folded == fold
        and campaign.text == (to_gsm7(change.text) if fold else change.text)
    ):
        # Rendered and checked for this same text already (its text step, an earlier
        # preview): the stored texts stay, only the rest of the draft changes.
        return _with(change, campaign.text, summary, None)
    rows = await store.recipient_rows(campaign_id)
    if len(rows) > INLINE_ROWS:
        rendered = await asyncio.to_thread(render_all, change.text, header, rows, fold=fold)
    else:
        rendered = render_all(change.text, header, rows, fold=fold)
    text = to_gsm7(change.text) if fold else change.text
    return _with(change, text, rendered.summary, rendered.texts)


def _with(
    change: DraftChange, text: str, summary: Summary, texts: tuple[tuple[str, int], ...] | None
) -> DraftChange:
    return replace(
        change,
        text=text,
        segments=summary.max_segments,
        texts=texts,
        credits=summary.credits,
        personal=summary.stored(),
    )


async def credits_to_send(store: Store, campaign: Campaign, chunks: Sequence[Chunk]) -> int:
    """The credits the recipients of ``chunks`` not excluded will cost."""
    if campaign.credits is None:
        return campaign.segments * sum(chunk.kept for chunk in chunks)
    ranges = [(chunk.first_recipient, chunk.last_recipient) for chunk in chunks]
    return await store.recipient_credits(campaign.id, ranges)
