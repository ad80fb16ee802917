"""The buttons on a campaign's own messages: Confirm, Edit, Cancel and "without accents"
on its preview; Continue and Resend (with its "are you sure") on its status.

They act on a stored campaign, by id and revision, whoever presses them in its chat
(a sender): Confirm is one conditional update, so a double tap or a stale preview
changes nothing. An approval (:mod:`bot.approvals`) takes the press first when the
campaign needs one. Edit and "without accents" go back into the /send conversation
(:class:`~bot.send_wizard.SendWizard`).
"""

from __future__ import annotations

from collections.abc import Callable

from bot.approvals import Approvals
from bot.campaigns import CampaignEngine
from bot.chat import Button
from bot.i18n import duration
from bot.notices import NoticeBoard
from bot.personal_drafts import credits_to_send
from bot.records import AuditAction, CampaignPhase, ChunkState, Work
from bot.roles import Role
from bot.send_wizard import SendWizard
from bot.turn import Session, Turn, read_id

CAMPAIGN_VERBS = frozenset(
    {"confirm", "edit", "cancel", "resend", "resendok", "wait", "continue", "plain"}
)


class CampaignButtons:
    """``send:<verb>:<campaign id>[:<revision>]`` presses."""

    def __init__(
        self,
        session: Session,
        *,
        engine: CampaignEngine,
        notices: NoticeBoard,
        wizard: SendWizard,
        wake_worker: Callable[[], None] = lambda: None,
        approvals: Approvals | None = None,
    ) -> None:
        self.session = session
        self.store = session.store
        self.engine = engine
        self.notices = notices
        self.wizard = wizard
        self.wake_worker = wake_worker
        self.approvals = approvals

    async def press(self, turn: Turn, action: str) -> bool:
        """Handle ``action`` if it is a campaign's button; False when it is not one (a
        /send conversation's button, for the wizard)."""
        parts = action.split(":")
        verb = parts[1] if len(parts) > 1 else ""
        if verb not in CAMPAIGN_VERBS or len(parts) not in (3, 4):
            return False
        if not turn.allowed(Role.SENDER):
            await turn.say("roles.denied", role=turn.t("role.SENDER"))
            return True
        numbers = [read_id(part) for part in parts[2:]]
        if None in numbers:
            await turn.say("error.stale_button")  # forged, or from no version of ours
            return True
        cid, *rest = [n for n in numbers if n is not None]
        # A preview from before drafts had revisions showed revision 0.
        await self._pressed(turn, verb, cid, rest[0] if rest else 0)
        return True

    async def _pressed(self, turn: Turn, verb: str, cid: int, revision: int) -> None:
        campaign = await self.store.get_campaign(cid)
        if campaign is None or campaign.chat != turn.command.chat_id:
            await turn.say("error.stale_button")
            return
        if self.approvals is not None and await self.approvals.gate(turn, campaign, verb, revision):
            await self.wizard.finish_wizard_of(turn, cid)
            return
        if verb == "confirm":
            if await self.engine.confirm(cid, revision):
                await self.session.audit.record(
                    turn,
                    AuditAction.CONFIRM,
                    account=campaign.account,
                    campaign=cid,
                    credits=campaign.estimated_credits,
                    recipients=campaign.recipient_count,
                )
                await self.wizard.finish_wizard_of(turn, cid)
                await self.follow(turn, cid)
                return
            now = await self.store.get_campaign(cid)  # as it is after the refusal
            if now is not None and now.phase is CampaignPhase.DRAFT:
                await turn.say("send.preview_outdated", id=cid)
            else:
                await turn.say("send.already_confirmed", id=cid)
        elif verb == "resend":
            await self._ask_resend(turn, cid)
        elif verb == "wait":
            await turn.say("send.resend_kept")
        elif verb in ("resendok", "continue"):
            work = Work.RESEND if verb == "resendok" else Work.SEND
            if not await self.store.request_work(cid, work, self.session.clock()):
                await turn.say("error.stale_button")
                return
            action = AuditAction.RESEND if work is Work.RESEND else AuditAction.CONTINUE
            await self.session.audit.record(turn, action, account=campaign.account, campaign=cid)
            await self.follow(turn, cid)
        elif verb == "cancel":
            if await self.engine.cancel(cid):
                await self.wizard.finish_wizard_of(turn, cid)
                await turn.say("send.cancelled", id=cid)
            else:
                await turn.say("send.already_confirmed", id=cid)
        elif verb == "plain":
            await self.wizard.adopt_plain(turn, campaign, revision)
        elif campaign.phase is not CampaignPhase.DRAFT:
            await turn.say("send.already_confirmed", id=cid)
        else:  # edit: the same draft, back at its text
            await self.wizard.edit_draft(turn, campaign)

    async def _ask_resend(self, turn: Turn, cid: int) -> None:
        """A Resend may send twice if uSendit is still at work after all: say so, and
        what it would send, before anything is asked of the worker."""
        status = await self.engine.status(cid)
        unsent = [c for c in status.chunks if c.state is ChunkState.NOT_SENT]
        if not unsent or status.campaign.work is not None:
            await turn.say("error.stale_button")
            return
        people = sum(c.kept for c in unsent)
        credits = await credits_to_send(self.store, status.campaign, unsent)
        await turn.say(
            "send.resend_sure",
            count=len(unsent),
            recipients=turn.t("unit.recipients", count=people),
            credits=turn.t("unit.credits", count=credits),
            waited=duration(turn.lang, self.engine.quiet_window),
            buttons=(
                (
                    Button(turn.t("button.resend_sure"), f"send:resendok:{cid}"),
                    Button(turn.t("button.keep_waiting"), f"send:wait:{cid}"),
                ),
            ),
        )

    async def follow(self, turn: Turn, cid: int) -> None:
        """The work is recorded: the worker sends, and this chat is shown how it goes."""
        wording = {"lang": turn.lang, "timezone": turn.timezone, "prefix": turn.command.prefix}
        await self.notices.follow(turn.command.chat_id, cid, wording)
        self.wake_worker()
