"""What a whole /send form's names stand for, looked up in the chat's store before the
form is checked (:func:`bot.send_form.check_form` stays pure): the template chosen
for its text, and the saved list chosen for its recipients, typed in the recipients
field as ``list:<name>`` or picked from the form's list of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import command_name
from bot.recipients import RecipientList
from bot.records import SavedList
from bot.saved_names import MAX_NAME, read_name, reference
from bot.send_form import Chosen, Problem, SendForm
from bot.store import Store


@dataclass(frozen=True)
class FormOptions:
    """The names a form may offer to pick from in a chat (a platform's select menus)."""

    templates: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()


async def form_options(store: Store, chat: str) -> FormOptions:
    """``chat``'s templates and saved lists, by name."""
    templates = tuple(t.name for t in await store.list_templates(chat))
    lists = tuple(s.name for s in await store.list_recipient_lists(chat))
    return FormOptions(templates=templates, lists=lists)


async def form_choices(
    store: Store, chat: str, form: SendForm, lang: str
) -> tuple[Chosen, SavedList | None]:
    """The form's choices in ``chat``, and the saved list it takes (None: numbers typed,
    or a file to come)."""
    problems: dict[str, Problem] = {}
    text = None
    if form.template.strip():
        name = read_name(form.template)
        template = None if name is None else await store.find_template(chat, name)
        if template is None:
            problems["template"] = Problem(
                "template.unknown", {"name": form.template.strip()[: MAX_NAME + 8]}
            )
        else:
            text = template.text
    typed = reference(form.recipients, "list")
    picked = form.list.strip()
    if picked and form.recipients.strip():
        problems["list"] = Problem("form.error.list_and_recipients")
        return Chosen(text=text, problems=problems), None
    asked, where = (typed, "recipients") if typed is not None else (picked, "list")
    if not asked:
        return Chosen(text=text, problems=problems), None
    name = read_name(asked)
    saved = None if name is None else await store.find_recipient_list(chat, name)
    if saved is None:
        problems[where] = Problem("list.unknown", {"name": asked[: MAX_NAME + 8]})
        return Chosen(text=text, problems=problems), None
    numbers = await store.recipient_list_numbers(saved.id)
    if not numbers:
        problems[where] = Problem("list.empty", {"name": saved.name})
        return Chosen(text=text, problems=problems), None
    source = f"{command_name(lang, 'list')}:{saved.name}"
    recipients = RecipientList(numbers=tuple(numbers), rejected=(), source=source)
    return Chosen(text=text, recipients=recipients, problems=problems), saved
