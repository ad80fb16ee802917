"""A chat's templates: ``/template save|list|show|delete``, and a template taken in /send.

Templates are kept per chat (:attr:`~bot.chat.Command.chat_id`: a Slack channel or
DM, a Telegram chat, a console session), not per person: a team's texts are the
team's, and a channel's are never offered in another. A sender saves and
deletes them; a viewer lists and reads them. A template's text is checked as a
/send text is (:func:`~bot.send_form.check_text`: characters an SMS can carry,
uSendit's segment limit), so choosing one never fails later.
"""

from __future__ import annotations

from bot.chat import Button, Reply
from bot.records import AuditAction, Template
from bot.roles import Role
from bot.saved_names import MAX_NAME, read_name, read_verb, reference, split_words
from bot.segments import count_segments
from bot.send_form import check_text
from bot.turn import Session, Turn, read_id
from bot.views import local_time

SHOWN_BUTTONS = 12
"""Templates offered as buttons at /send's text step (the rest are typed by name)."""
PREVIEW = 60


def _preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= PREVIEW else flat[: PREVIEW - 1] + "…"


class Templates:
    """``/template`` and the templates /send offers."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.store = session.store

    async def command(self, turn: Turn) -> None:
        words = split_words(turn.command.args, 3)
        verb = read_verb(words[0]) if words else "list"
        if verb == "list":
            await self._list(turn)
        elif verb == "show" and len(words) == 2:
            found = await self.named(turn, words[1])
            if found is not None:
                segments = count_segments(found.text).segments
                await turn.say("template.show", name=found.name, text=found.text, segments=segments)
        elif verb in ("save", "delete", "remove") and not turn.allowed(Role.SENDER):
            await turn.say("roles.denied", role=turn.t("role.SENDER"))
        elif verb == "save" and len(words) == 3:
            await self._save(turn, words[1], words[2])
        elif verb in ("delete", "remove") and len(words) == 2:
            await self._delete(turn, words[1])
        else:
            await turn.say("template.usage")

    async def _save(self, turn: Turn, typed: str, text: str) -> None:
        name = read_name(typed)
        if name is None:
            await turn.say("saved.bad_name", max=MAX_NAME)
            return
        problem = check_text(text)
        if problem is not None:
            await turn.send(Reply(problem.words(turn.t, turn.explain)))
            return
        chat = turn.command.chat_id
        known = await self.store.find_template(chat, name)
        kept = await self.store.save_template(
            chat, name, text.strip(), turn.command.user.key, self.session.clock()
        )
        await self.session.audit.record(turn, AuditAction.TEMPLATE_SAVE, name=kept.name)
        key = "template.replaced" if known is not None else "template.saved"
        await turn.say(key, name=kept.name, segments=count_segments(kept.text).segments)

    async def _delete(self, turn: Turn, typed: str) -> None:
        name = read_name(typed)
        if name is not None and await self.store.delete_template(turn.command.chat_id, name):
            await self.session.audit.record(turn, AuditAction.TEMPLATE_DELETE, name=name)
            await turn.say("template.deleted", name=name)
        else:
            await turn.say("template.unknown", name=typed[: MAX_NAME + 8])

    async def _list(self, turn: Turn) -> None:
        found = await self.store.list_templates(turn.command.chat_id)
        if not found:
            await turn.say("template.none")
            return
        lines = [turn.t("template.title", count=len(found))]
        for template in found:
            when = local_time(template.updated_at, turn.timezone)
            lines.append(f"• {template.name} — {_preview(template.text)} ({when})")
        await turn.send(Reply("\n".join(lines)))

    # --- for /send ------------------------------------------------------------------

    async def named(self, turn: Turn, typed: str) -> Template | None:
        """This chat's template of that name; None when there is none, and the person
        is told."""
        name = read_name(typed)
        found = None if name is None else await self.store.find_template(turn.command.chat_id, name)
        if found is None:
            await turn.say("template.unknown", name=typed[: MAX_NAME + 8])
        return found

    async def text_of(self, turn: Turn, text: str) -> str | None:
        """The text typed at /send, or the template's when it is ``template:<name>`` (in
        any language's name); None when it names no template here (the person was told)."""
        typed = reference(text, "template")
        if typed is None:
            return text
        found = await self.named(turn, typed)
        return None if found is None else found.text

    async def pressed(self, turn: Turn, action: str) -> Template | None:
        """The template a ``send:tpl:<id>`` button names, if it is this chat's."""
        number = read_id(action.rsplit(":", 1)[-1])
        found = None if number is None else await self.store.get_template(number)
        if found is None or found.chat != turn.command.chat_id:
            return None
        return found

    async def buttons(self, turn: Turn) -> tuple[tuple[Button, ...], ...]:
        """A button per template of this chat (at most :data:`SHOWN_BUTTONS`), three a row."""
        found = await self.store.list_templates(turn.command.chat_id)
        shown = [Button(t.name, f"send:tpl:{t.id}") for t in found[:SHOWN_BUTTONS]]
        return tuple(tuple(shown[i : i + 3]) for i in range(0, len(shown), 3))
