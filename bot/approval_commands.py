"""``/approval``: a chat's threshold for big sends, and where their approvals go.

- ``/approval`` (anyone): this chat's threshold, and where requests are decided.
- ``/approval <credits>`` (an admin): campaigns made in THIS chat of more estimated
  credits wait for a second person; ``/approval off`` ends it.
- ``/approval chat`` (an admin), run IN the approvers' chat: the approval requests of
  every campaign of the uSendit account the admin acts with go to this chat, whatever
  chat the campaign was made in, and this chat's own threshold (``/approval <credits>``
  run here) holds all of them, so a private chat does not step around it;
  ``/approval chat off`` sends them back to each campaign's own chat.

Why by account: an admin can only name a chat for an account they act with, and only
from inside that chat (so they are in it, and no code links two chats); the requests
of that account's campaigns are what the approvers answer for. The chat is spoken to
in the wording (language, timezone) of the admin who named it.
"""

from __future__ import annotations

from bot.approvals import Approvals, wording
from bot.records import AuditAction
from bot.roles import Role
from bot.store import Store
from bot.turn import Session, Turn, read_amount

MAX_THRESHOLD = 10_000_000


class ApprovalCommands:
    """``/approval [credits|off|chat [off]]``."""

    def __init__(self, session: Session, store: Store, approvals: Approvals) -> None:
        self.session = session
        self.store = store
        self.approvals = approvals

    async def command(self, turn: Turn) -> None:
        words = turn.command.args.strip().lower().split()
        chat = turn.command.chat_id
        if not words:
            await self._show(turn)
            return
        if not turn.allowed(Role.ADMIN):
            await turn.say("roles.denied", role=turn.t("role.ADMIN"))
            return
        off = ("off", turn.t("approval.off_word"))
        now = self.session.clock()
        who = turn.command.user.key
        if words[0] in ("chat", turn.t("approval.chat_word")) and len(words) <= 2:
            account = await self.session.account_for(turn)
            if account is None:
                return
            if len(words) == 2 and words[1] not in off:
                await turn.say("approval.usage")
            elif len(words) == 2:
                await self.store.set_approvers_chat(account.username, None, {}, who, now)
                await self.session.audit.record(
                    turn, AuditAction.SETTING, account=account.username,
                    setting="approvers_chat", value="off",
                )  # fmt: skip
                await turn.say("approval.chat_removed", account=account.username)
            else:
                await self.store.set_approvers_chat(account.username, chat, wording(turn), who, now)
                await self.session.audit.record(
                    turn, AuditAction.SETTING, account=account.username,
                    setting="approvers_chat", value=chat,
                )  # fmt: skip
                await turn.say("approval.chat_set", account=account.username)
            return
        if len(words) != 1:
            await turn.say("approval.usage")
        elif words[0] in off:
            await self.store.set_approval_threshold(chat, None, who, now)
            await self.session.audit.record(
                turn, AuditAction.SETTING, setting="approval", value="off"
            )
            await turn.say("approval.removed")
        else:
            threshold = read_amount(words[0])
            if threshold is None or not 0 < threshold <= MAX_THRESHOLD:
                await turn.say("approval.usage")
                return
            await self.store.set_approval_threshold(chat, threshold, who, now)
            await self.session.audit.record(
                turn, AuditAction.SETTING, setting="approval", value=threshold
            )
            await turn.say("approval.set", count=threshold, minutes=self._minutes())

    def _minutes(self) -> int:
        return max(1, round(self.approvals.patience.total_seconds() / 60))

    async def _show(self, turn: Turn) -> None:
        threshold = await self.store.approval_threshold(turn.command.chat_id)
        if threshold is None:
            await turn.say("approval.none")
        else:
            await turn.say("approval.current", count=threshold, minutes=self._minutes())
        account = await self.session.accounts.for_user(turn.command.user.key, known=turn.link)
        if account is None:
            return
        approvers = await self.store.approvers_chat(account.username)
        if approvers is None:
            await turn.say("approval.chat_own", account=account.username)
        elif approvers.chat == turn.command.chat_id:
            await turn.say("approval.chat_this", account=account.username)
        else:
            await turn.say("approval.chat_other", account=account.username)
