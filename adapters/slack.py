"""Slack: slash commands, buttons, modals, messages and App Home, on one URL.

Usage:
    usendit-bot serve     HTTP mode (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET): POST /slack/events
    usendit-bot slack     Socket Mode (SLACK_BOT_TOKEN, SLACK_APP_TOKEN): no public URL needed

``/sms <command> [args]`` runs any desk command; ``/balance``, ``/count``,
``/send``, ``/status`` (or any desk command installed as its own slash
command) are short forms. ``/sms send`` with no arguments and ``/sms login``
open modals, so a password never enters a channel.

Every listener acknowledges at once (Slack wants an answer within three
seconds) and hands the work to a task this adapter keeps, so :meth:`stop`
can let it finish. The desk claims every event id once: Slack's retries
(``X-Slack-Retry-Num``) and a double press have one effect, while a retry
whose first delivery never arrived is still answered.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Coroutine, Mapping
from dataclasses import replace
from typing import Any

import aiohttp
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk.errors import SlackClientError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from adapters.slack_blocks import (
    ACTION_PATTERN,
    LOGIN_CALLBACK,
    SEND_CALLBACK,
    field_errors,
    home_view,
    login_modal,
    modal_metadata,
    modal_values,
    plain_text,
    send_modal,
)
from adapters.slack_files import fetch_file
from adapters.slack_replies import SLASH, Place, SlackReplies
from bot.chat import Attachment, Identity
from bot.desk import ALIASES, Desk
from bot.errors import ConfigurationError
from bot.i18n import translate
from bot.recipient_files import FILE_MB, MAX_FILE_BYTES
from bot.settings import Settings

log = logging.getLogger(__name__)

STOP_GRACE = 10.0
MESSAGE_SUBTYPES = frozenset({"", "file_share"})


def build_client(settings: Settings) -> AsyncWebClient:
    """The Web API client: the bot token, SLACK_API_BASE_URL when set."""
    if settings.slack_bot_token is None:
        raise ConfigurationError("SLACK_BOT_TOKEN is not set")
    token = settings.slack_bot_token.get_secret_value()
    if settings.slack_api_base_url:
        return AsyncWebClient(token=token, base_url=settings.slack_api_base_url)
    return AsyncWebClient(token=token)


class SlackAdapter:
    """Slack requests in, desk Commands, Replies out as Web API calls."""

    def __init__(
        self, desk: Desk, settings: Settings, *, client: AsyncWebClient | None = None
    ) -> None:
        self.desk = desk
        self.settings = settings
        self.client = client if client is not None else build_client(settings)
        if not any(
            isinstance(h, AsyncRateLimitErrorRetryHandler) for h in self.client.retry_handlers
        ):
            self.client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=2))
        secret = settings.slack_signing_secret
        self.app = AsyncApp(
            name="usendit-bot",
            # Bolt hands its logger to the Socket Mode client, which prints whole frames
            # (a login form's password) at DEBUG: keep it on the library's own logger,
            # which the CLI never opens below INFO.
            logger=_bolt_logger(),
            client=self.client,
            # An empty secret is only used in Socket Mode, where nothing is signed;
            # routes() refuses to serve HTTP without a real one.
            signing_secret=secret.get_secret_value() if secret else "",
            process_before_response=False,
        )
        self.app.command(re.compile(r"^/"))(self._on_command)
        self.app.action(re.compile(ACTION_PATTERN))(self._on_action)
        self.app.view(SEND_CALLBACK)(self._on_send_view)
        self.app.view(LOGIN_CALLBACK)(self._on_login_view)
        self.app.event("app_home_opened")(self._on_home)
        self.app.event("message")(self._on_message)
        self.replies = SlackReplies(self.client, self.desk.language_of)
        self.stop_grace = STOP_GRACE
        self._tasks: set[asyncio.Task[None]] = set()

    # --- lifecycle --------------------------------------------------------------

    def routes(self) -> list[BaseRoute]:
        """``POST /slack/events``: commands, interactivity and events all come here."""
        if not self.settings.slack_signing_secret:
            raise ConfigurationError("SLACK_SIGNING_SECRET is needed to take Slack over HTTP")
        handler = AsyncSlackRequestHandler(self.app)

        async def events(request: Request) -> Response:
            return await handler.handle(request)

        return [Route("/slack/events", events, methods=["POST"])]

    async def start(self) -> None:
        """Nothing to open: the Web API client makes a session per call."""

    async def stop(self) -> None:
        """Let the work in hand finish (a send keeps its progress line), then cancel the rest."""
        if not self._tasks:
            return
        _, pending = await asyncio.wait(set(self._tasks), timeout=self.stop_grace)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    async def run_socket_mode(self) -> None:
        """Socket Mode until cancelled: connect, serve, then close (``usendit-bot slack``)."""
        token = self.settings.slack_app_token
        if token is None:
            raise ConfigurationError("SLACK_APP_TOKEN is needed for Socket Mode")
        handler = AsyncSocketModeHandler(self.app, token.get_secret_value())
        await self.start()
        try:
            # slack_sdk leaves SocketModeClient.connect/close unannotated.
            await handler.client.connect()  # type: ignore[no-untyped-call]
            log.info("Slack Socket Mode connected")
            await asyncio.Event().wait()
        finally:
            await handler.client.close()  # type: ignore[no-untyped-call]
            await self.stop()

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(self._guarded(work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _guarded(self, work: Coroutine[Any, Any, None]) -> None:
        try:
            await work
        except Exception:
            log.exception("a Slack event could not be handled")

    # --- listeners (each acknowledges first) -------------------------------------

    async def _on_command(self, ack: AsyncAck, command: dict[str, Any]) -> None:
        await ack()
        place = Place(
            team=command["team_id"],
            channel=command["channel_id"],
            user=command["user_id"],
            response_url=command.get("response_url"),
        )
        name = str(command["command"]).lstrip("/").lower()
        # Slack sends &, < and > as entities in slash-command text too.
        args = plain_text(str(command.get("text") or "")).strip()
        if name == "sms":
            words = args.split(None, 1)
            name = words[0].lstrip("/").lower() if words else "help"
            args = words[1] if len(words) > 1 else ""
        self._spawn(self._command(place, name, args.strip(), str(command["trigger_id"])))

    async def _on_action(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        action = body["actions"][0]
        container = body.get("container") or {}
        channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
        if not channel or not action.get("value"):
            return
        place = Place(
            team=_team(body),
            channel=channel,
            user=body["user"]["id"],
            response_url=body.get("response_url"),
            ephemeral=bool(container.get("is_ephemeral")),
        )
        update = f"slack:act:{action.get('action_ts') or body.get('trigger_id')}"
        command = place.command(update, action=str(action["value"]))
        self._spawn(self.desk.handle(command, self.replies.sink(place)))

    async def _on_send_view(
        self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]
    ) -> None:
        """The whole /send form: its problems beside its fields (the modal stays open
        with every value), or closed and answered with the preview in the channel."""
        place = self._view_place(body, view)
        if place is None:
            await ack()
            return
        command = place.command(f"slack:view:{view['id']}", name="send", form=modal_values(view))
        errors = await self.desk.check_form(command)
        if errors:
            await ack(response_action="errors", errors=field_errors(errors))
            return
        await ack()
        self._spawn(self.desk.handle(command, self.replies.sink(place)))

    async def _form_error(self, body: dict[str, Any], field: str) -> dict[str, str]:
        user = body.get("user") or {}
        identity = Identity("slack", str(user.get("id")), team=str(user.get("team_id")))
        lang = await self.desk.language_of(identity.key, None)
        return {field: translate(lang, f"form.error.{field}")}

    async def _on_login_view(
        self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]
    ) -> None:
        values = modal_values(view)
        username, password = values.get("username", "").strip(), values.get("password", "")
        if not username or " " in username:
            await ack(response_action="errors", errors=await self._form_error(body, "username"))
            return
        if not password.strip():
            await ack(response_action="errors", errors=await self._form_error(body, "password"))
            return
        await ack()
        place = self._view_place(body, view)
        if place is None:
            return
        # Only the person who typed it sees the outcome.
        place = replace(place, ephemeral=True)
        command = place.command(
            f"slack:view:{view['id']}", name="login", args=f"{username} {password}", private=True
        )
        self._spawn(self.desk.handle(command, self.replies.sink(place)))

    async def _on_home(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        if event.get("tab") != "home":
            return
        place = Place(team=_team(body), channel=str(event.get("channel") or ""), user=event["user"])
        self._spawn(self._publish_home(place, str(body["event_id"])))

    async def _on_message(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        if event.get("subtype", "") not in MESSAGE_SUBTYPES or event.get("bot_id"):
            return
        if not event.get("user") or not event.get("channel"):
            return
        place = Place(
            team=_team(body),
            channel=event["channel"],
            user=event["user"],
            thread=event.get("thread_ts"),
            typed=True,
        )
        self._spawn(self._message(place, str(body["event_id"]), event))

    # --- work ---------------------------------------------------------------------

    async def _command(self, place: Place, name: str, args: str, trigger: str) -> None:
        name = ALIASES.get(name, name)
        modal = None
        if name in ("send", "login"):
            lang = await self.desk.language_of(place.identity.key, None)
            if name == "send" and not args:
                modal = send_modal(place.metadata(), lang)
            elif name == "login" and len(args.split()) < 2:
                modal = login_modal(place.metadata(), lang, args)
        if modal is not None and self._may(place, name):
            if await self._open(trigger, modal):
                return
            if name == "login":
                # Never ask for a password in the conversation: only the form takes it.
                await self.replies.notice(place, "adapter.form_failed", command=f"{SLASH}login")
                return
        command = place.command(f"slack:cmd:{trigger}", name=name, args=args)
        await self.desk.handle(command, self.replies.sink(place))

    def _may(self, place: Place, name: str) -> bool:
        """Whether to offer the modal: someone without the role gets the desk's refusal."""
        return self.desk.may(place.identity.key, name)

    async def _open(self, trigger: str, view: dict[str, Any]) -> bool:
        try:
            await self.client.views_open(trigger_id=trigger, view=view)
        except (SlackClientError, aiohttp.ClientError, TimeoutError) as exc:
            # An expired trigger (over 3 s) falls back to the wizard in the channel.
            log.warning("could not open a Slack modal: %s", exc)
            return False
        return True

    async def _publish_home(self, place: Place, event_id: str) -> None:
        view = await self.desk.home(place.command(f"slack:home:{event_id}", private=True))
        if view is None:
            return  # a repeated event: already published
        try:
            await self.client.views_publish(user_id=place.user, view=home_view(view))
        except (SlackClientError, aiohttp.ClientError, TimeoutError) as exc:
            log.warning("could not publish the Slack Home tab: %s", exc)

    async def _message(self, place: Place, event_id: str, event: dict[str, Any]) -> None:
        """A message becomes an answer only while its author has a wizard open here."""
        update = f"slack:evt:{event_id}"
        probe = place.command(update)
        if await self.desk.open_wizard(probe.conversation) is None:
            return
        files = await self._download(place, event.get("files") or [])
        command = place.command(
            update, args=plain_text(str(event.get("text") or "")).strip(), attachments=files
        )
        await self.desk.handle(command, self.replies.sink(place))

    # --- files ------------------------------------------------------------------

    async def _download(self, place: Place, files: list[dict[str, Any]]) -> tuple[Attachment, ...]:
        found: list[Attachment] = []
        for file in files:
            name = str(file.get("name") or file.get("title") or "file")
            url = file.get("url_private_download") or file.get("url_private")
            if int(file.get("size") or 0) > MAX_FILE_BYTES:
                await self.replies.notice(place, "adapter.file_too_large", name=name, limit=FILE_MB)
                continue
            content = await fetch_file(self.client, str(url), MAX_FILE_BYTES) if url else None
            if content is None:
                await self.replies.notice(place, "adapter.file_unreadable", name=name)
                continue
            found.append(Attachment(name, content, file.get("mimetype")))
        return tuple(found)

    def _view_place(self, body: dict[str, Any], view: dict[str, Any]) -> Place | None:
        meta = modal_metadata(view)
        if not meta.get("channel"):
            return None
        return Place(
            team=meta.get("team") or _team(body),
            channel=meta["channel"],
            user=body["user"]["id"],
            response_url=meta.get("response_url"),
        )


class _TokenFromEnvironment(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment even when given a client, then warns
    on every start that the token goes unused: it is the client's own token."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


def _bolt_logger() -> logging.Logger:
    logger = logging.getLogger("slack_bolt.App")
    if not any(isinstance(f, _TokenFromEnvironment) for f in logger.filters):
        logger.addFilter(_TokenFromEnvironment())
    return logger


def _team(body: Mapping[str, Any]) -> str:
    """The workspace an event came from (events say team_id, interactions team.id)."""
    team = body.get("team_id") or (body.get("team") or {}).get("id")
    return str(team or (body.get("user") or {}).get("team_id") or "")
