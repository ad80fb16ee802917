"""A chat's saved recipient lists: ``/list save|show|delete``, ``/list``, and a list taken
in /send (``list:<name>`` typed as the recipients, or its button).

``/list save <name>`` keeps the recipients of the person's latest upload in this
chat (the draft their last /send made, confirmed or not), or of a campaign named by
its id (``/list save vip #12``) that this chat may see: a draft's recipients, so
without the numbers the opt-out list left out of it. The numbers are kept as the
drafts keep them (international digits without ``+``, deduplicated, in order),
so a list read back is a draft's recipients without reading anything again.
Lists are kept per chat, as templates are; a viewer lists and reads them, a
sender saves and deletes them. A list remembers when a /send last took it.
"""

from __future__ import annotations

from bot.campaign_report import visible
from bot.chat import Button, Reply
from bot.i18n import command_name
from bot.recipient_words import shown_number
from bot.recipients import RecipientList
from bot.records import AuditAction, Campaign, SavedList
from bot.roles import Role
from bot.saved_names import MAX_NAME, read_name, read_verb, split_words
from bot.turn import Session, Turn, read_id
from bot.views import local_time

SAMPLE = 5
"""Numbers ``/list show`` names (the first ones, in the order saved)."""
SHOWN_BUTTONS = 12
"""Lists offered as buttons at /send's recipients step (the rest are typed by name)."""


class RecipientLists:
    """``/list`` and the lists /send offers."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.store = session.store

    async def command(self, turn: Turn) -> None:
        words = split_words(turn.command.args, 3)
        verb = read_verb(words[0]) if words else "list"
        if verb == "list" and len(words) <= 1:
            await self._list(turn)
        elif verb == "show" and len(words) == 2:
            found = await self.named(turn, words[1])
            if found is not None:
                await self._show(turn, found)
        elif verb in ("save", "delete", "remove") and not turn.allowed(Role.SENDER):
            await turn.say("roles.denied", role=turn.t("role.SENDER"))
        elif verb == "save" and len(words) in (2, 3):
            await self._save(turn, words[1], words[2] if len(words) == 3 else None)
        elif verb in ("delete", "remove") and len(words) == 2:
            await self._delete(turn, words[1])
        else:
            await turn.say("list.usage")

    async def _source(self, turn: Turn, typed: str | None) -> Campaign | None:
        """The campaign whose recipients are saved: the one named, or the person's latest
        here; None when there is none to take (and the person is told)."""
        command = turn.command
        if typed is None:
            latest = await self.store.list_campaigns(
                chat=command.chat_id, created_by=command.user.key, limit=1
            )
            if not latest:
                await turn.say("list.no_upload")
            return latest[0] if latest else None
        number = read_id(typed.lstrip("#"))
        campaign = None if number is None else await self.store.get_campaign(number)
        if campaign is None or not visible(turn, campaign):
            await turn.say("status.not_found", id=typed.lstrip("#")[:20])
            return None
        return campaign

    async def _save(self, turn: Turn, typed: str, source: str | None) -> None:
        name = read_name(typed)
        if name is None:
            await turn.say("saved.bad_name", max=MAX_NAME)
            return
        campaign = await self._source(turn, source)
        if campaign is None:
            return
        people = await self.store.recipients(campaign.id, 0, campaign.recipient_count - 1)
        chat = turn.command.chat_id
        known = await self.store.find_recipient_list(chat, name)
        saved = await self.store.save_recipient_list(
            chat,
            name,
            [person.msisdn for person in people],
            turn.command.user.key,
            self.session.clock(),
        )
        await self.session.audit.record(
            turn, AuditAction.LIST_SAVE, name=saved.name, count=saved.size, campaign=campaign.id
        )
        await turn.say(
            "list.replaced" if known is not None else "list.saved",
            name=saved.name,
            count=saved.size,
            id=campaign.id,
            use=f"{command_name(turn.lang, 'list')}:{saved.name}",
        )

    async def _delete(self, turn: Turn, typed: str) -> None:
        name = read_name(typed)
        if name is not None and await self.store.delete_recipient_list(turn.command.chat_id, name):
            await self.session.audit.record(turn, AuditAction.LIST_DELETE, name=name)
            await turn.say("list.deleted", name=name)
        else:
            await turn.say("list.unknown", name=typed[: MAX_NAME + 8])

    def _last_use(self, turn: Turn, saved: SavedList) -> str:
        if saved.last_used_at is None:
            return turn.t("list.never_used")
        return local_time(saved.last_used_at, turn.timezone)

    async def _list(self, turn: Turn) -> None:
        found = await self.store.list_recipient_lists(turn.command.chat_id)
        if not found:
            await turn.say("list.none")
            return
        lines = [turn.t("list.title", count=len(found))]
        for saved in found:
            used = self._last_use(turn, saved)
            lines.append(turn.t("list.line", name=saved.name, count=saved.size, used=used))
        await turn.send(Reply("\n".join(lines)))

    async def _show(self, turn: Turn, saved: SavedList) -> None:
        sample = await self.store.recipient_list_numbers(saved.id, limit=SAMPLE)
        shown = ", ".join(shown_number(n) for n in sample)
        if saved.size > len(sample):
            shown += ", …"
        title = turn.t(
            "list.show",
            name=saved.name,
            count=saved.size,
            used=self._last_use(turn, saved),
            saved=local_time(saved.updated_at, turn.timezone),
        )
        await turn.send(Reply("\n".join([title, shown]) if shown else title))

    # --- for /send ------------------------------------------------------------------

    async def named(self, turn: Turn, typed: str) -> SavedList | None:
        """This chat's list of that name; None when there is none, and the person is told."""
        name = read_name(typed)
        found = (
            None
            if name is None
            else await self.store.find_recipient_list(turn.command.chat_id, name)
        )
        if found is None:
            await turn.say("list.unknown", name=typed[: MAX_NAME + 8])
        return found

    async def pressed(self, turn: Turn, action: str) -> SavedList | None:
        """The list a ``send:list:<id>`` button names, if it is this chat's."""
        number = read_id(action.rsplit(":", 1)[-1])
        found = None if number is None else await self.store.get_recipient_list(number)
        if found is None or found.chat != turn.command.chat_id:
            return None
        return found

    async def for_send(self, turn: Turn, saved: SavedList) -> RecipientList | None:
        """A list's numbers as /send's recipients, its use recorded; None when it has none
        (and the person is told)."""
        numbers = await self.store.recipient_list_numbers(saved.id)
        if not numbers:
            await turn.say("list.empty", name=saved.name)
            return None
        await self.store.mark_recipient_list_used(saved.id, self.session.clock())
        source = f"{command_name(turn.lang, 'list')}:{saved.name}"
        return RecipientList(numbers=tuple(numbers), rejected=(), source=source)

    async def buttons(self, turn: Turn) -> tuple[tuple[Button, ...], ...]:
        """A button per list of this chat (at most :data:`SHOWN_BUTTONS`), three a row."""
        found = await self.store.list_recipient_lists(turn.command.chat_id)
        shown = [Button(f"{s.name} ({s.size})", f"send:list:{s.id}") for s in found[:SHOWN_BUTTONS]]
        return tuple(tuple(shown[i : i + 3]) for i in range(0, len(shown), 3))
