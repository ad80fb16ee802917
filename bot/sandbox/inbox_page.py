"""``/_sandbox/``: the phones' inboxes as one small HTML page, and what else a newcomer looks for.

Like a phone's message list, one per number: its messages newest first
(text, sender, when, delivered or waiting, the window if any), then the
signup confirmation codes the sandbox "sent" and the payments it knows, with
their card links. Server-rendered, self-contained (inline CSS, no script, no
external asset: the Content-Security-Policy forbids them), so that it opens
anywhere the sandbox runs, offline. Every value shown passes through
:func:`html.escape`: texts, senders and names come from users.

It stays small at any size: a page shows :data:`PHONES_PER_PAGE` phones with
their :data:`MESSAGES_PER_PHONE` newest messages, or one phone's
:data:`MESSAGES_PER_PAGE`, with a link to the older ones (:mod:`.inbox`
reads them by index); codes and payments show the newest few.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Iterable, Iterator
from datetime import datetime
from urllib.parse import quote, urlencode

from bot.sandbox.delivery import provider_zone
from bot.sandbox.inbox import Key, Phone, Received
from bot.sandbox.state import SandboxState

PAGE_PATH = "/_sandbox/"
PHONES_PER_PAGE = 20
MESSAGES_PER_PHONE = 5
MESSAGES_PER_PAGE = 50
NEWEST_SHOWN = 20
"""How many codes sent and payments are shown (the newest)."""
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'"
)

_STYLE = """
body{font:15px/1.4 system-ui,sans-serif;margin:0 auto;max-width:52em;padding:1em;color:#222}
h1{font-size:1.4em;margin:.2em 0}h2{font-size:1.15em;margin-top:1.6em}
h3{font-size:1em;margin:0 0 .4em}.note{color:#666}
.phone{border:1px solid #ccc;border-radius:10px;padding:.6em .8em;margin:.8em 0}
ol.inbox{list-style:none;margin:0;padding:0}
.sms{background:#eef3fb;border-radius:10px;margin:.4em 0;padding:.4em .7em}
.sms.waiting{background:#f6f1e3}
.meta{color:#555;font-size:.85em;margin:0}.text{white-space:pre-wrap;margin:.2em 0}
.window{font-size:.85em;color:#555;margin:0}
table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.2em .6em;text-align:left}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _when(moment: str | None) -> str:
    """A stored ISO moment as Lisbon wall time."""
    if not moment:
        return ""
    value = datetime.fromisoformat(moment)
    return value.astimezone(provider_zone()).strftime("%Y-%m-%d %H:%M:%S")


def _place(key: Key) -> str:
    return f"{key[0]}.{key[1]}"


def _link(text: str, query: dict[str, str] | None = None) -> str:
    target = PAGE_PATH + (f"?{urlencode(query)}" if query else "")
    return f'<a href="{_e(target)}">{_e(text)}</a>'


def _document(title: str, now: datetime, body: Iterable[str]) -> str:
    head = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body>"
        f"<header><h1>{_e(title)}</h1>"
        '<p class="note">What the phones would have received: no real SMS leaves the '
        f"sandbox. Sandbox time {_e(_when(now.isoformat()))} (Europe/Lisbon). "
        '<a href="/_sandbox/state">The whole state as JSON</a>.</p>'
        f'<form method="get" action="{PAGE_PATH}"><label>Number '
        '<input name="number" inputmode="tel" size="16"></label> '
        '<button type="submit">Open its inbox</button></form></header><main>'
    )
    return head + "".join(body) + "</main></body></html>"


def _message(received: Received, now: datetime) -> str:
    m = received.message
    waiting = m.delivery(now) == "WAITING"
    if waiting:
        status = f"waiting until {_when(m.deliver_at)}"
    else:
        status = f"delivered {_when(m.deliver_at or received.accepted_at)}"
    sender = m.sender or f"{received.username}'s default sender"
    parts = [f"{m.number_sms} SMS", f"MsgId {m.msg_id}"]
    if m.schedule:
        parts.insert(0, f"scheduled for {_when(m.schedule)}")
    window = []
    if m.begin_time and m.end_time:
        window.append(f"only {m.begin_time[:5]}–{m.end_time[:5]}")
    if m.working_days:
        window.append("working days only")
    shown_window = (
        f'<p class="window">Delivery window: {_e(", ".join(window))}</p>' if window else ""
    )
    return (
        f'<li class="sms {"waiting" if waiting else "delivered"}" data-msg-id="{m.msg_id}">'
        f'<p class="meta"><span class="sender">{_e(sender)}</span> · '
        f'<span class="delivery">{_e(status)}</span> · {_e(" · ".join(parts))}</p>'
        f'<p class="text">{_e(m.text or "")}</p>{shown_window}</li>'
    )


def _phone(phone: Phone, messages: list[Received], now: datetime, more: str) -> str:
    count = f"{phone.messages} message{'s' if phone.messages != 1 else ''}"
    items = "".join(_message(r, now) for r in messages)
    return (
        f'<section class="phone" data-number="{_e(phone.number)}">'
        f"<h3>{_link(phone.number, {'number': phone.number})} "
        f'<span class="note">{_e(count)}</span></h3>'
        f'<ol class="inbox">{items}</ol>{more}</section>'
    )


def overview(
    state: SandboxState,
    now: datetime,
    phones: list[tuple[Phone, list[Received]]],
    older: Key | None,
) -> str:
    """Every phone's newest messages (``older``: where the next page of phones starts,
    ``None`` when this is the last), then the codes and the payments."""

    def body() -> Iterator[str]:
        yield '<section class="phones"><h2>Phones</h2>'
        if not phones:
            yield '<p class="note">No message has been accepted yet.</p>'
        for phone, messages in phones:
            more = (
                f'<p class="note">{_link(f"All {phone.messages}", {"number": phone.number})}</p>'
                if phone.messages > len(messages)
                else ""
            )
            yield _phone(phone, messages, now, more)
        if older is not None:
            yield f"<nav>{_link('Older phones', {'older': _place(older)})}</nav>"
        yield "</section>"
        yield from _codes(state)
        yield from _payments(state)

    return _document("uSendit sandbox: phones", now, body())


def inbox(
    number: str, phone: Phone | None, messages: list[Received], now: datetime, older: Key | None
) -> str:
    """One phone's messages, newest first (``older``: where the next page starts)."""

    def body() -> Iterator[str]:
        yield f"<p>{_link('All phones')}</p>"
        if phone is None:
            yield f'<p class="note">No message has reached {_e(number)}.</p>'
            return
        query = {"number": phone.number, "from": _place(older)} if older else None
        more = f"<nav>{_link('Older messages', query)}</nav>" if query else ""
        yield _phone(phone, messages, now, more)

    return _document(f"uSendit sandbox: {number}", now, body())


def _codes(state: SandboxState) -> Iterator[str]:
    yield '<section class="codes"><h2>Signup confirmation codes</h2>'
    pending = [
        a
        for a in itertools.islice(reversed(state.accounts.values()), 10 * NEWEST_SHOWN)
        if not a.confirmed and a.confirmation_code
    ][:NEWEST_SHOWN]
    if pending:
        yield "<table><tr><th>Account</th><th>Username</th><th>Mobile</th><th>Code</th></tr>"
        for account in pending:
            yield (
                f"<tr><td>{_e(account.account_name)}</td><td>{_e(account.username)}</td>"
                f'<td>{_e(account.msisdn)}</td><td class="code">'
                f"{_e(account.confirmation_code)}</td></tr>"
            )
        yield "</table>"
    else:
        yield '<p class="note">No account waits for its code.</p>'
    sent = state.outbox[-NEWEST_SHOWN:][::-1]
    if sent:
        yield '<h3>Sent by the sandbox</h3><ol class="inbox">'
        for sms in sent:
            yield (
                f'<li class="sms"><p class="meta">to {_e(sms.msisdn)} · {_e(_when(sms.created_at))}'
                f'</p><p class="text">{_e(sms.text)}</p></li>'
            )
        yield "</ol>"
    yield "</section>"


def _payments(state: SandboxState) -> Iterator[str]:
    yield '<section class="payments"><h2>Payments</h2>'
    payments = list(itertools.islice(reversed(state.payments.values()), NEWEST_SHOWN))
    if not payments:
        yield '<p class="note">No credits were bought.</p></section>'
        return
    yield (
        "<table><tr><th>Account</th><th>Credits</th><th>Amount</th><th>Multibanco</th>"
        "<th>Promo</th><th>Card</th></tr>"
    )
    for p in payments:
        card = (
            f"paid {_e(_when(p.paid_at))}"
            if p.paid_at
            else f'<a href="/_sandbox/pay/{_e(quote(p.token, safe=""))}">pay by card</a>'
        )
        yield (
            f"<tr><td>{_e(p.username)}</td><td>{_e(p.credits)}</td><td>{_e(p.amount)} EUR</td>"
            f"<td>entity {_e(p.entity)}, ref. {_e(p.reference)}</td>"
            f"<td>{_e(p.promo_code or '')}</td><td>{card}</td></tr>"
        )
    yield "</table></section>"
