"""The /send conversation (recipients -> text -> sender -> when -> window -> preview ->
confirm),
its whole-form twin (:meth:`SendWizard.submit`), and the campaign buttons.

The recipients may be a chat's saved list (``list:<name>``, or its button) and the
text one of its templates (``template:<name>``, or its button): the same steps
follow, and the opt-out list leaves its numbers out of the draft (the preview
says how many).

The recipients become a DRAFT campaign as soon as they are read; every later
answer, and Edit, changes that same draft (its revision goes up, and Confirm
names the revision its preview showed). The conversation's own state is a
small typed :class:`SendState`, saved after every step, so a restart continues it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict

from bot.campaigns import CampaignEngine
from bot.chat import Button, Reply
from bot.exclusions import EveryoneOptedOut
from bot.personal_preview import braced, report_lines
from bot.personal_text import PersonalTextError, Summary, has_fields
from bot.recipient_lists import RecipientLists
from bot.recipient_words import read_numbers, rejection_lines
from bot.recipients import RecipientList
from bot.records import Campaign, CampaignPhase, Conversation
from bot.roles import Role
from bot.saved_names import reference
from bot.segments import count_segments
from bot.send_choices import form_choices
from bot.send_form import (
    CheckedForm,
    Chosen,
    Problem,
    SendForm,
    check_form,
    check_text,
    read_sender,
    read_when,
)
from bot.send_preview import preview_reply
from bot.send_window import ZonedWindow, read_window
from bot.templates import Templates
from bot.turn import Session, Turn
from bot.views import gsm7_alternative, local_time
from bot.window_step import ask_window, refuse_window

Step = Literal["recipients", "text", "text_choice", "sender", "when", "window", "preview"]


class SendState(BaseModel):
    """Where a /send conversation is. The recipients are never here: once read they are
    the DRAFT campaign's (``campaign``), which every later answer changes in place."""

    model_config = ConfigDict(extra="forbid")

    step: Step
    campaign: int | None = None
    text: str | None = None
    offered: str | None = None
    """At ``text_choice``: the same text without accents, as offered."""
    sender: str | None = None
    balance: int | None = None
    """At ``preview``: the credits uSendit reported when the preview was made."""
    when: datetime | None = None
    """The time given (a whole form's, or the "when" step's), kept for the later steps."""
    window: str | None = None
    """The delivery window given, as :class:`~bot.send_window.ZonedWindow` stores it."""
    form: bool = False
    """The rest came in a whole form: once the recipients are read, show the preview."""
    fold: bool = False
    """A personalised text's GSM-7 offer taken: every rendered text is folded."""


class SendWizard:
    """The /send wizard and its whole-form twin, up to the draft's preview (the buttons
    on the preview are :class:`~bot.campaign_buttons.CampaignButtons`)."""

    def __init__(
        self,
        session: Session,
        *,
        engine: CampaignEngine,
        templates: Templates,
        lists: RecipientLists,
    ) -> None:
        self.session = session
        self.store = session.store
        self.engine = engine
        self.templates = templates
        self.lists = lists
        session.on_expiry["send"] = self._expired

    # --- state --------------------------------------------------------------------

    async def _save(self, turn: Turn, state: SendState) -> None:
        await self.session.keep(turn, "send", state)

    def _state(self, wizard: Conversation) -> SendState | None:
        return self.session.read(wizard, SendState)

    async def _expired(self, wizard: Conversation) -> None:
        """An abandoned /send leaves no draft behind."""
        state = self._state(wizard)
        if state is not None and state.campaign is not None:
            await self.engine.cancel(state.campaign)

    # --- entries --------------------------------------------------------------------

    async def start(self, turn: Turn) -> None:
        if turn.command.form is not None:
            await self.submit(turn, SendForm.of(turn.command.form))
            return
        if turn.command.attachments:
            # A file sent with /send (its caption, on Telegram): the file is the recipients.
            await self._recipients(turn, SendState(step="recipients"))
            return
        args = turn.command.args.strip()
        if args:
            await self._one_line(turn, args)
            return
        await self._save(turn, SendState(step="recipients"))
        await turn.say("send.ask_recipients", buttons=await self.lists.buttons(turn))

    async def check(self, form: SendForm, turn: Turn) -> CheckedForm | dict[str, Problem]:
        """A whole form's fields read at once (a platform shows the problems beside them),
        its template and list looked up in this chat first."""
        chosen, _ = await form_choices(self.store, turn.command.chat_id, form, turn.lang)
        return self._checked(form, turn, chosen)

    def _checked(
        self, form: SendForm, turn: Turn, chosen: Chosen
    ) -> CheckedForm | dict[str, Problem]:
        return check_form(
            form,
            region=self.session.region,
            zone=turn.timezone,
            now=self.session.clock(),
            lang=turn.lang,
            chosen=chosen,
        )

    async def submit(self, turn: Turn, form: SendForm) -> None:
        """A whole form at once: its problems, or the preview of the draft it makes."""
        chosen, saved = await form_choices(self.store, turn.command.chat_id, form, turn.lang)
        checked = self._checked(form, turn, chosen)
        if not isinstance(checked, CheckedForm):
            lines = [turn.t("form.error.title")]
            for name, problem in checked.items():
                lines.append(f"{turn.t('form.' + name)}: {problem.words(turn.t, turn.explain)}")
            await turn.send(Reply("\n".join(lines)))
            return
        state = SendState(
            step="recipients",
            text=checked.text,
            sender=checked.sender,
            when=checked.when,
            window=None if checked.window is None else checked.window.stored(),
        )
        if not checked.recipients.numbers:
            # The form's recipients left empty: a file, shared in the chat, gives them.
            state.form = True
            await self._save(turn, state)
            await turn.say("send.ask_file")
            return
        if saved is not None:
            await self.store.mark_recipient_list_used(saved.id, self.session.clock())
        await self._drafted(turn, state, checked.recipients)

    async def _drafted(self, turn: Turn, state: SendState, parsed: RecipientList) -> None:
        """A whole form's recipients are known: the draft, and its preview."""
        campaign = await self._draft(turn, parsed)
        if campaign is not None:
            state.step, state.campaign = "when", campaign.id
            await self._preview(turn, state, state.when, offer=True)

    async def _one_line(self, turn: Turn, args: str) -> None:
        """``/send +351912345678,+351913333333 Text``: straight to the preview (the numbers
        may be ``list:<name>``, the text ``template:<name>``)."""
        numbers, _, text = args.partition(" ")
        if not text.strip():
            await turn.say("send.one_line_usage")
            return
        typed = await self.templates.text_of(turn, text)
        if typed is None:
            return
        text = typed
        problem = check_text(text)
        if problem is not None:
            await turn.send(Reply(problem.words(turn.t, turn.explain)))
            return
        parsed = await self._read_recipients(turn, numbers)
        if parsed is None:
            return
        if not await self._report_recipients(turn, parsed, again="send.one_line_usage"):
            return
        campaign = await self._draft(turn, parsed)
        if campaign is None:
            return
        await self._preview(turn, SendState(step="when", campaign=campaign.id, text=text.strip()))

    async def answer(self, turn: Turn, wizard: Conversation) -> None:
        state = self._state(wizard)
        if state is None:
            await self.session.clear(turn)
            await turn.say("error.no_wizard")
            return
        text = turn.command.args.strip()
        if turn.command.attachments and state.step != "recipients":
            await turn.say("send.no_file_now")
            return
        if state.step == "recipients":
            await self._recipients(turn, state)
        elif state.step in ("text", "text_choice"):
            await self._text(turn, state, text)
        elif state.step == "sender":
            sender, problem = read_sender(text)
            if problem is not None:
                default = Button(turn.t("button.default_sender"), "send:nosender")
                await turn.send(Reply(problem.words(turn.t, turn.explain), buttons=((default,),)))
                return
            state.sender = sender
            await self._ask_when(turn, state)
        elif state.step == "when":
            when, problem = read_when(text, turn.timezone, self.session.clock(), turn.lang)
            if problem is not None:
                now = Button(turn.t("button.now"), "send:now")
                await turn.send(Reply(problem.words(turn.t, turn.explain), buttons=((now,),)))
                return
            await self._ask_window(turn, state, when)
        elif state.step == "window":
            found = read_window(text, turn.timezone, state.when or self.session.clock())
            if isinstance(found, Problem):
                await refuse_window(turn, found)
                return
            state.window = None if found is None else found.stored()
            await self._preview(turn, state, state.when)
        else:
            await self._remind(turn, state)

    # --- steps ----------------------------------------------------------------------

    async def _read_recipients(self, turn: Turn, text: str) -> RecipientList | None:
        """The recipients given: a saved list (``list:<name>``), the file, or the numbers
        typed; None when there are none to read (the person was told why)."""
        typed = None if turn.command.attachments else reference(text, "list")
        if typed is None:
            return await read_numbers(self.session, turn, text)
        saved = await self.lists.named(turn, typed)
        return None if saved is None else await self.lists.for_send(turn, saved)

    async def _recipients(
        self, turn: Turn, state: SendState, parsed: RecipientList | None = None
    ) -> None:
        if parsed is None:
            parsed = await self._read_recipients(turn, turn.command.args)
        if parsed is None or not await self._report_recipients(turn, parsed):
            return
        if state.form:
            await self._drafted(turn, state, parsed)
            return
        campaign = await self._draft(turn, parsed)
        if campaign is None:
            return
        await self._save(turn, SendState(step="text", campaign=campaign.id))
        await self._ask_text(turn)

    async def _ask_text(self, turn: Turn, key: str = "send.ask_text", **params: object) -> None:
        """Asks for the text, with a button per template of this chat."""
        await turn.say(key, buttons=await self.templates.buttons(turn), **params)

    async def _draft(self, turn: Turn, parsed: RecipientList) -> Campaign | None:
        """The DRAFT that keeps the recipients from now on (None: no account to send with,
        or every number is on the opt-out list, and the person was told)."""
        account = await self.session.account_for(turn)
        if account is None:
            return None
        try:
            campaign = await self.engine.create(
                account=account.username,
                created_by=turn.command.user.key,
                chat=turn.command.chat_id,
                recipients=parsed.numbers,
                columns=parsed.columns,
                lines=parsed.lines if parsed.columns else (),
                values=parsed.values,
            )
        except EveryoneOptedOut as exc:
            await turn.say("send.everyone_opted_out", count=exc.count)
            return None
        if campaign.opted_out:
            await turn.say("send.opted_out", count=campaign.opted_out)
        return campaign

    async def _report_recipients(
        self, turn: Turn, parsed: RecipientList, *, again: str = "recipients.none"
    ) -> bool:
        """What was read of a list; with no number at all, ``again`` says what to do."""
        lines = [turn.t("recipients.summary", count=len(parsed.numbers), source=parsed.source)]
        lines += rejection_lines(turn.t, parsed)
        if parsed.columns and parsed.numbers:
            lines.append(turn.t("personal.columns", columns=braced(parsed.columns)))
        if not parsed.numbers:
            lines.append(turn.t(again))
        await turn.send(Reply("\n".join(lines)))
        return bool(parsed.numbers)

    async def _text(self, turn: Turn, state: SendState, text: str) -> None:
        if not text:
            await self._ask_text(turn)
            return
        typed = await self.templates.text_of(turn, text)
        if typed is None:
            return
        text = typed
        problem = check_text(text)
        if problem is not None:
            await turn.send(Reply(problem.words(turn.t, turn.explain)))
            return
        state.text, state.fold = text, False
        if state.form:
            # A whole form's text refused against its file: the form gave the rest.
            await self._preview(turn, state, state.when, offer=True)
            return
        if has_fields(text):
            # Checked against every row now, with the lines; offered without accents at
            # the preview, where every rendered text is counted.
            if await self._fits(turn, state, text):
                await self._ask_sender(turn, state)
            return
        alternative = gsm7_alternative(text)
        if alternative is None:
            await self._ask_sender(turn, state)
            return
        state.step, state.offered = "text_choice", alternative[0]
        await self._save(turn, state)
        await turn.send(
            Reply(
                turn.t(
                    "send.ucs2_offer",
                    segments=count_segments(text).segments,
                    plain=alternative[0],
                    plain_segments=alternative[1].segments,
                ),
                buttons=(
                    (
                        Button(turn.t("button.use_gsm7"), "send:gsm7"),
                        Button(turn.t("button.keep_text"), "send:keep"),
                    ),
                ),
            )
        )

    async def _fits(self, turn: Turn, state: SendState, text: str) -> bool:
        """Whether a text with fields fits the draft's list (the problems told if not)."""
        if state.campaign is None:
            return True
        try:
            await self.engine.edit(state.campaign, text=text)
        except PersonalTextError as exc:
            await turn.send(Reply("\n".join(report_lines(turn, exc.report))))
            return False
        return True

    async def _ask_sender(self, turn: Turn, state: SendState) -> None:
        state.step, state.offered = "sender", None
        await self._save(turn, state)
        default = Button(turn.t("button.default_sender"), "send:nosender")
        await turn.say("send.ask_sender", buttons=((default,),))

    async def _ask_when(self, turn: Turn, state: SendState) -> None:
        state.step = "when"
        await self._save(turn, state)
        example = local_time(self.session.clock() + timedelta(days=1), turn.timezone)
        await turn.say(
            "send.ask_when",
            zone=turn.timezone,
            example=example,
            buttons=((Button(turn.t("button.now"), "send:now"),),),
        )

    async def _ask_window(self, turn: Turn, state: SendState, when: datetime | None) -> None:
        state.step, state.when = "window", when
        await self._save(turn, state)
        await ask_window(turn)

    async def _preview(
        self, turn: Turn, state: SendState, when: datetime | None = None, *, offer: bool = False
    ) -> None:
        """The draft given its text, sender and time, and shown with Confirm, Edit, Cancel
        (and, for a whole form, the offer of the text without accents)."""
        if state.campaign is None or not state.text:
            await self.session.clear(turn)
            await turn.say("error.no_wizard")
            return
        signed = await self.session.signed_in(turn)
        if signed is None:
            return
        _, auth = signed
        try:
            campaign = await self.engine.edit(
                state.campaign,
                text=state.text,
                sender=state.sender,
                schedule_at=when,
                window=ZonedWindow.from_stored(state.window),
                fold=state.fold,
            )
        except PersonalTextError as exc:
            # A whole form's text, first met with its file here: a new text is asked.
            state.step, state.when = "text", when
            await self._save(turn, state)
            await turn.send(Reply("\n".join(report_lines(turn, exc.report))))
            await self._ask_text(turn)
            return
        if campaign is None:
            await self.session.clear(turn)
            await turn.say("send.already_confirmed", id=state.campaign)
            return
        state.step, state.balance = "preview", auth.user_credits
        await self._save(turn, state)
        now = self.session.clock()
        await turn.send(preview_reply(turn, campaign, auth.user_credits, now, offer=offer))

    async def _remind(self, turn: Turn, state: SendState) -> None:
        campaign = None if state.campaign is None else await self.store.get_campaign(state.campaign)
        if campaign is None or campaign.phase is not CampaignPhase.DRAFT:
            await self.session.clear(turn)
            await turn.say("error.no_wizard")
            return
        reply = preview_reply(turn, campaign, state.balance or 0, self.session.clock())
        await turn.send(replace(reply, text=turn.t("send.preview_reminder") + "\n" + reply.text))

    # --- buttons ----------------------------------------------------------------

    async def press(self, turn: Turn, action: str) -> None:
        parts = action.split(":")
        verb = parts[1] if len(parts) > 1 else ""
        if not turn.allowed(Role.SENDER):
            await turn.say("roles.denied", role=turn.t("role.SENDER"))
            return
        wizard = await self.session.wizard(turn)
        state = None if wizard is None or wizard.name != "send" else self._state(wizard)
        if state is None:
            await turn.say("error.stale_button")
        elif verb in ("gsm7", "keep") and state.step == "text_choice":
            if verb == "gsm7":
                state.text = state.offered
            await self._ask_sender(turn, state)
        elif verb == "nosender" and state.step == "sender":
            state.sender = None
            await self._ask_when(turn, state)
        elif verb == "now" and state.step == "when":
            await self._ask_window(turn, state, None)
        elif verb == "anytime" and state.step == "window":
            state.window = None
            await self._preview(turn, state, state.when)
        elif verb == "list" and state.step == "recipients" and len(parts) == 3:
            await self._saved_list(turn, state, action)
        elif verb == "tpl" and state.step in ("text", "text_choice") and len(parts) == 3:
            template = await self.templates.pressed(turn, action)
            if template is None:
                await turn.say("error.stale_button")
                return
            await self._text(turn, state, template.text)
        else:
            await turn.say("error.stale_button")

    async def _saved_list(self, turn: Turn, state: SendState, action: str) -> None:
        """A saved list's button at the recipients step: its numbers are the recipients."""
        saved = await self.lists.pressed(turn, action)
        if saved is None:
            await turn.say("error.stale_button")
            return
        parsed = await self.lists.for_send(turn, saved)
        if parsed is not None:
            await self._recipients(turn, state, parsed)

    async def adopt_plain(self, turn: Turn, campaign: Campaign, revision: int) -> None:
        """A preview taken without accents: the same draft, a new preview (a personalised
        one's every rendered text folded)."""
        summary = Summary.from_stored(campaign.personal)
        alternative = gsm7_alternative(campaign.text) if summary is None else None
        if campaign.phase is not CampaignPhase.DRAFT or campaign.revision != revision:
            await turn.say("error.stale_button")
            return
        if alternative is None and (summary is None or summary.plain_credits is None):
            await turn.say("error.stale_button")
            return
        state = SendState(
            step="when",
            campaign=campaign.id,
            text=campaign.text if alternative is None else alternative[0],
            sender=campaign.sender,
            window=campaign.window,
            fold=alternative is None,
        )
        await self._preview(turn, state, campaign.schedule_at)

    async def finish_wizard_of(self, turn: Turn, cid: int) -> None:
        """The person's /send conversation about ``cid`` is over (confirmed, cancelled...)."""
        wizard = await self.store.get_conversation(turn.command.conversation)
        state = None if wizard is None or wizard.name != "send" else self._state(wizard)
        if state is not None and state.campaign == cid:
            await self.session.clear(turn)

    async def edit_draft(self, turn: Turn, campaign: Campaign) -> None:
        """Edit on a preview: the same draft, back at its text."""
        await self._save(turn, SendState(step="text", campaign=campaign.id))
        await self._ask_text(turn, "send.edit", count=campaign.recipient_count, text=campaign.text)
