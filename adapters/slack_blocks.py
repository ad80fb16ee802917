"""Block Kit for the Slack adapter: replies as messages, the Home tab, the two modals.

Every text the desk gives is escaped for mrkdwn (``&``, ``<``, ``>``), so a
recipient list or an SMS text typed by a user can neither ping ``@channel``
nor smuggle in a link. Limits are Slack's: 3000 characters per section text,
50 blocks per message, 100 per Home view, 75 per button label.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from bot.chat import Reply
from bot.home import HomeView
from bot.i18n import command_name, translate
from bot.send_choices import FormOptions
from bot.views import local_time

Block = dict[str, Any]

ACTION_PREFIX = "usendit:"
ACTION_PATTERN = r"^usendit:\d+$"
SEND_CALLBACK = "usendit-send"
LOGIN_CALLBACK = "usendit-login"
VALUE = "value"  # the action_id of every modal input

MAX_SECTION = 3000
MAX_MESSAGE_BLOCKS = 50
MAX_HOME_BLOCKS = 100
MAX_FALLBACK = 4000
MAX_LABEL = 75
MAX_FIELD_ERROR = 300
MAX_OPTIONS = 100  # options of one static_select


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities: the only characters mrkdwn treats as markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_LINK = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")


def plain_text(mrkdwn: str) -> str:
    """What a user typed, from a message's mrkdwn: ``<tel:+351…|+351…>`` -> its label,
    ``<mailto:a@b>`` -> ``a@b``, entities -> characters."""

    def label(match: re.Match[str]) -> str:
        target, shown = match.group(1), match.group(2)
        if shown is not None:
            return shown
        return target.split(":", 1)[1] if target.startswith(("tel:", "mailto:")) else target

    text = _LINK.sub(label, mrkdwn)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _sections(text: str) -> list[Block]:
    """The escaped text as sections of at most MAX_SECTION characters, cut at line ends."""
    chunks: list[str] = []
    current = ""
    for line in escape(text).split("\n"):
        while len(line) > MAX_SECTION:
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:MAX_SECTION])
            line = line[MAX_SECTION:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > MAX_SECTION:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current.strip():
        chunks.append(current)
    return [{"type": "section", "text": {"type": "mrkdwn", "text": chunk}} for chunk in chunks]


def reply_blocks(reply: Reply) -> list[Block]:
    """A reply as Block Kit: the text, then one actions block per row of buttons
    (``action_id`` ``usendit:<n>``, the button's action as ``value``)."""
    blocks = _sections(reply.text)
    blocks = blocks[: MAX_MESSAGE_BLOCKS - len(reply.buttons)]
    number = 0
    for row in reply.buttons:
        elements: list[Block] = []
        for button in row[:25]:
            elements.append(
                {
                    "type": "button",
                    "action_id": f"{ACTION_PREFIX}{number}",
                    "text": {"type": "plain_text", "text": _clip(button.label, MAX_LABEL)},
                    "value": button.action,
                }
            )
            number += 1
        if elements:
            blocks.append({"type": "actions", "elements": elements})
    return blocks


def fallback_text(reply: Reply) -> str:
    """The notification / screen-reader text that always goes with the blocks."""
    return _clip(escape(reply.text), MAX_FALLBACK)


def home_view(view: HomeView, spell: Callable[[str], str] = str) -> Block:
    """The App Home tab from the person's :class:`~bot.home.HomeView`: the balance (or why
    there is none), then their latest campaigns, one section each. ``spell`` writes the
    commands a sentence names as Slack takes them (``/sms enviar``, not ``/enviar``)."""

    def t(key: str, **params: Any) -> str:
        return escape(spell(translate(view.lang, key, **params)))

    if view.credits is not None:
        balance = t("home.balance", credits=view.credits, account=view.account or "")
    else:
        balance = escape(view.problem or "")
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": "uSendit"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": _clip(balance, MAX_SECTION)}},
        {"type": "divider"},
        {
            "type": "header",
            "text": {"type": "plain_text", "text": translate(view.lang, "home.campaigns")},
        },
    ]
    if not view.campaigns:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": t("status.none")}})
    for campaign in view.campaigns:
        created = local_time(campaign.created_at, view.timezone)
        blocks.append(
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": f"*#{campaign.id}* · {escape(campaign.state_words)} · {created}\n"
                    + _clip(escape(campaign.text), 300),
                },
                "fields": [
                    {"type": "mrkdwn", "text": t("home.recipients", count=campaign.recipients)},
                    {
                        "type": "mrkdwn",
                        "text": t(
                            "home.outcome",
                            accepted=campaign.accepted,
                            rejected=campaign.rejected,
                        ),
                    },
                ],
            }
        )
    return {"type": "home", "blocks": blocks[:MAX_HOME_BLOCKS]}


def field_errors(errors: dict[str, str]) -> dict[str, str]:
    """A form's problems as ``response_action: errors`` wants them: by block id, short."""
    return {field: _clip(message, MAX_FIELD_ERROR) for field, message in errors.items()}


def _input(
    block_id: str,
    label: str,
    *,
    multiline: bool = False,
    optional: bool = False,
    initial: str | None = None,
    placeholder: str | None = None,
    hint: str | None = None,
) -> Block:
    element: Block = {"type": "plain_text_input", "action_id": VALUE, "multiline": multiline}
    if initial:
        element["initial_value"] = initial
    if placeholder:
        element["placeholder"] = {"type": "plain_text", "text": placeholder}
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": label},
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint}
    return block


def _select(block_id: str, label: str, placeholder: str, names: tuple[str, ...]) -> Block:
    """An optional pick among ``names`` (a chat's templates or saved lists)."""
    options = [
        {"text": {"type": "plain_text", "text": _clip(name, MAX_LABEL)}, "value": name}
        for name in names[:MAX_OPTIONS]
    ]
    return {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": label},
        "element": {
            "type": "static_select",
            "action_id": VALUE,
            "placeholder": {"type": "plain_text", "text": placeholder},
            "options": options,
        },
        "optional": True,
    }


def send_modal(metadata: dict[str, str], lang: str, options: FormOptions | None = None) -> Block:
    """``/sms send``: recipients, text, sender, time and delivery window, submitted at
    once; with a pick of the chat's saved lists and templates when it has any (``options``)."""
    options = options or FormOptions()

    def t(key: str) -> str:
        return translate(lang, key, command="/sms " + command_name(lang, "timezone"))

    lists: list[Block] = []
    if options.lists:
        lists = [_select("list", t("form.list"), t("form.list_placeholder"), options.lists)]
    templates: list[Block] = []
    if options.templates:
        templates = [
            _select(
                "template", t("form.template"), t("form.template_placeholder"), options.templates
            )
        ]
    return {
        "type": "modal",
        "callback_id": SEND_CALLBACK,
        "private_metadata": json.dumps(metadata),
        "title": {"type": "plain_text", "text": t("form.send.title")},
        "submit": {"type": "plain_text", "text": t("form.send.submit")},
        "close": {"type": "plain_text", "text": t("form.cancel")},
        "blocks": [
            _input(
                "recipients",
                t("form.recipients"),
                multiline=True,
                optional=True,
                placeholder="+351912345678, +351913333333",
                hint=t("form.recipients_hint_lists" if lists else "form.recipients_hint"),
            ),
            *lists,
            _input(
                "text",
                t("form.text"),
                multiline=True,
                optional=bool(templates),  # a template may give the text instead
                hint=t("form.text_hint") if templates else None,
            ),
            *templates,
            _input("sender", t("form.sender"), optional=True, hint=t("form.sender_hint")),
            _input(
                "when",
                t("form.when"),
                optional=True,
                placeholder=t("form.when_placeholder"),
                hint=t("form.when_hint"),
            ),
            _input(
                "window",
                t("form.window"),
                optional=True,
                placeholder=t("form.window_placeholder"),
                hint=t("form.window_hint"),
            ),
        ],
    }


def login_modal(metadata: dict[str, str], lang: str, username: str = "") -> Block:
    """``/sms login``: the password never enters a channel."""

    def t(key: str) -> str:
        return translate(lang, key)

    return {
        "type": "modal",
        "callback_id": LOGIN_CALLBACK,
        "private_metadata": json.dumps(metadata),
        "title": {"type": "plain_text", "text": t("form.login.title")},
        "submit": {"type": "plain_text", "text": t("form.login.submit")},
        "close": {"type": "plain_text", "text": t("form.cancel")},
        "blocks": [
            _input("username", t("form.username"), initial=username or None),
            _input("password", t("form.password"), hint=t("form.password_hint")),
        ],
    }


def modal_values(view: dict[str, Any]) -> dict[str, str]:
    """The submitted inputs by block id (an empty optional input, or a select left
    unpicked, gives ``""``)."""
    values: dict[str, str] = {}
    state = view.get("state", {}).get("values", {})
    for block_id, actions in state.items():
        action = actions.get(VALUE, {})
        value = action.get("value")
        picked = action.get("selected_option")
        if value is None and isinstance(picked, dict):
            value = picked.get("value")
        values[block_id] = value if isinstance(value, str) else ""
    return values


def modal_metadata(view: dict[str, Any]) -> dict[str, str]:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
