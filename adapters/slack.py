"""Slack: slash commands, buttons, modals, messages and App Home, on one URL.

Usage:
    usendit-bot serve     HTTP mode (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET): POST /slack/events
    usendit-bot slack     Socket Mode (SLACK_BOT_TOKEN, SLACK_APP_TOKEN): no public URL needed

``/sms <command> [args]`` runs any desk command; ``/balance``, ``/count``,
``/send``, ``/status`` (or any desk command installed as its own slash
command) are short forms. ``/sms send`` with no arguments and ``/sms login``
open modals, so a password never enters a channel.

Over HTTP the signature is checked first, before Bolt or anything else reads the
body: an unsigned, forged or stale request gets 401 and a signed one Bolt cannot
read 400, and no body is ever logged (Bolt's own check, which logs the whole body
when it refuses, is off). Every listener acknowledges at once (Slack wants an
answer within three seconds) and hands the work to a task this adapter keeps,
so :meth:`stop` can let it finish. The desk claims every event id once: Slack's
retries (``X-Slack-Retry-Num``) and a double press have one effect, while a
retry whose first delivery never arrived is still answered. Replies are in the
person's Slack locale (``users.info``) until they choose a language.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Coroutine, Mapping
from dataclasses import replace
from typing import Any

import aiohttp
from slack_bolt import BoltResponse
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.adapter.starlette.async_handler import to_starlette_response
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltRequest
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
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
from adapters.slack_files import read_shared
from adapters.slack_replies import SLASH, Place, SlackReplies, UserLocales
from bot.chat import Command, Identity
from bot.desk import ALIASES, Desk
from bot.errors import ConfigurationError
from bot.i18n import translate
from bot.settings import Settings
from bot.turn import spell

log = logging.getLogger(__name__)

STOP_GRACE = 10.0
REFUSED_TOKEN = frozenset(
    {"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"}
)
# A person's own message: plain, with files, or a thread reply also sent to the channel.
MESSAGE_SUBTYPES = frozenset({"", "file_share", "thread_broadcast"})
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
# What Bolt raises on a body that is not shaped as Slack shapes it (JSON errors included).
SHAPE_ERRORS = (ValueError, TypeError, AttributeError, KeyError, IndexError)


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
            # routes() checks every signature before Bolt reads the body; Bolt's own
            # check would log the whole body (a login form's password) when it refuses.
            request_verification_enabled=False,
            process_before_response=False,
        )
        self.app.command(re.compile(r"^/"))(self._on_command)
        self.app.action(re.compile(ACTION_PATTERN))(self._on_action)
        self.app.view(SEND_CALLBACK)(self._on_send_view)
        self.app.view(LOGIN_CALLBACK)(self._on_login_view)
        self.app.event("app_home_opened")(self._on_home)
        self.app.event("message")(self._on_message)
        self.app.error(self._on_error)
        self.replies = SlackReplies(self.client, self.desk.language_of)
        self.locales = UserLocales(self.client)
        self.stop_grace = STOP_GRACE
        self._tasks: set[asyncio.Task[None]] = set()

    # --- lifecycle --------------------------------------------------------------

    def routes(self) -> list[BaseRoute]:
        """``POST /slack/events``: commands, interactivity and events all come here."""
        secret = self.settings.slack_signing_secret
        if not secret:
            raise ConfigurationError("SLACK_SIGNING_SECRET is needed to take Slack over HTTP")
        verifier = SignatureVerifier(secret.get_secret_value())

        async def events(request: Request) -> Response:
            return await self.dispatch(request, verifier)

        return [Route("/slack/events", events, methods=["POST"])]

    async def dispatch(self, request: Request, verifier: SignatureVerifier) -> Response:
        """The signature first (401 without a good one), then Bolt (400 when it cannot read
        a signed body); the body itself is never logged."""
        body = await request.body()
        if not _signed(verifier, body, request.headers):
            log.info("refused a Slack request with no valid signature (%d bytes)", len(body))
            return JSONResponse({"error": "invalid request"}, status_code=401)
        try:
            bolt = AsyncBoltRequest(
                body=body.decode("utf-8"),
                query=request.url.query,
                headers={key: value for key, value in request.headers.items()},
            )
            readable = isinstance(bolt.body, dict)
        except SHAPE_ERRORS as exc:
            log.warning("a signed Slack request could not be read: %s", type(exc).__name__)
            readable = False
        if readable:
            try:
                return to_starlette_response(await self.app.async_dispatch(bolt))
            except SHAPE_ERRORS as exc:
                # Bolt's error handling itself reads the payload (a view without a type).
                log.warning("a signed Slack request could not be handled: %s", type(exc).__name__)
        return JSONResponse({"error": "malformed request"}, status_code=400)

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
        await self._check_tokens(token.get_secret_value())
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

    async def _check_tokens(self, app_token: str) -> None:
        """A token Slack refuses ends the start in one line; Socket Mode would otherwise
        try again forever, a traceback every few seconds."""
        for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"):
            try:
                if name == "SLACK_BOT_TOKEN":
                    await self.client.auth_test()
                else:
                    await self.client.apps_connections_open(app_token=app_token)
            except SlackApiError as exc:
                error = exc.response.get("error")
                if error in REFUSED_TOKEN:
                    raise ConfigurationError(f"Slack refused {name} ({error})") from None
                raise ConfigurationError(f"Slack could not check {name} ({error})") from None

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

    async def _on_error(self, error: Exception) -> BoltResponse:
        """What Bolt could not follow in a signed request (a payload not shaped as Slack
        shapes it): 400 and one line, never the request or a traceback; a failure in
        our own listeners is the bug it is, logged whole."""
        if _raised_here(error):
            log.error("a Slack listener failed", exc_info=error)
        else:
            log.warning("a signed Slack request could not be handled: %s", type(error).__name__)
        return BoltResponse(status=400, body={"error": "malformed request"})

    async def _on_command(self, ack: AsyncAck, command: dict[str, Any]) -> None:
        await ack()
        team, channel, user, trigger = (
            _text(command, key) for key in ("team_id", "channel_id", "user_id", "trigger_id")
        )
        name = _text(command, "command").lstrip("/").lower()
        if not (team and channel and user and trigger and name):
            log.warning("a Slack command without its workspace, channel, user or trigger ignored")
            return
        place = Place(
            team=team,
            channel=channel,
            user=user,
            response_url=_text(command, "response_url") or None,
        )
        # Slack sends &, < and > as entities in slash-command text too.
        args = plain_text(_text(command, "text")).strip()
        if name == "sms":
            words = args.split(None, 1)
            name = words[0].lstrip("/").lower() if words else "help"
            args = words[1] if len(words) > 1 else ""
        self._spawn(self._command(place, name, args.strip(), trigger))

    async def _on_action(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        actions = body.get("actions")
        action = actions[0] if isinstance(actions, list) and actions else {}
        container = body.get("container") or {}
        channel = _dig(body, "channel", "id") or _dig(body, "container", "channel_id")
        user = _dig(body, "user", "id")
        if not isinstance(action, dict) or not channel or not user or not action.get("value"):
            return
        place = Place(
            team=_team(body),
            channel=channel,
            user=user,
            response_url=_text(body, "response_url") or None,
            ephemeral=bool(isinstance(container, dict) and container.get("is_ephemeral")),
        )
        update = f"slack:act:{action.get('action_ts') or body.get('trigger_id')}"
        self._spawn(self._handle(place, update, action=str(action["value"])))

    async def _on_send_view(
        self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]
    ) -> None:
        """The whole /send form: its problems beside its fields (the modal stays open
        with every value), or closed and answered with the preview where it was opened."""
        place = self._view_place(body, view)
        if place is None:
            await ack()
            return
        update = f"slack:view:{view.get('id')}"
        command = place.command(update, name="send", form=modal_values(view))
        errors = await self.desk.check_form(command)
        if errors:
            await ack(response_action="errors", errors=field_errors(errors))
            return
        await ack()
        self._spawn(self._handle(place, update, name="send", form=modal_values(view)))

    async def _form_error(self, body: dict[str, Any], field: str) -> dict[str, str]:
        user, team = _dig(body, "user", "id") or "", _team(body)
        identity = Identity("slack", user, team=team)
        lang = await self.desk.language_of(identity.key, self.locales.known(team, user))
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
        self._spawn(
            self._handle(
                place,
                f"slack:view:{view.get('id')}",
                name="login",
                args=f"{username} {password}",
                private=True,
            )
        )

    async def _on_home(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        user, event_id = _text(event, "user"), _text(body, "event_id")
        if event.get("tab") != "home" or not user or not event_id:
            return
        place = Place(team=_team(body), channel=_text(event, "channel"), user=user)
        self._spawn(self._publish_home(place, event_id))

    async def _on_message(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        if event.get("subtype", "") not in MESSAGE_SUBTYPES or event.get("bot_id"):
            return
        user, channel, event_id = (
            _text(event, "user"),
            _text(event, "channel"),
            _text(body, "event_id"),
        )
        if not user or not channel or not event_id:
            return
        thread = event.get("thread_ts")
        place = Place(
            team=_team(body),
            channel=channel,
            user=user,
            thread=thread if isinstance(thread, str) else None,
            typed=True,
        )
        self._spawn(self._message(place, event_id, event))

    # --- work ---------------------------------------------------------------------

    async def _located(self, place: Place) -> Place:
        """The place with its person's Slack locale (their own /lang choice still wins)."""
        return replace(place, locale=await self.locales.of(place.team, place.user))

    async def _handle(self, place: Place, update: str, **fields: Any) -> None:
        place = await self._located(place)
        await self._answer(place, place.command(update, **fields))

    async def _answer(self, place: Place, command: Command) -> None:
        """The desk's answer; when it leaves a question open where the bot cannot read the
        answer (it is not in that conversation), the person is told where to answer."""
        delivery = self.replies.sink(place)
        await self.desk.handle(command, delivery)
        if delivery.outside and await self.desk.open_wizard(command.conversation) is not None:
            await delivery.notice("adapter.not_a_member", invite="/invite")

    async def _command(self, place: Place, name: str, args: str, trigger: str) -> None:
        name = ALIASES.get(name, name)
        place = await self._located(place)
        modal = None
        if name in ("send", "login"):
            lang = await self.desk.language_of(place.identity.key, place.locale)
            if name == "send" and not args:
                probe = place.command(f"slack:form:{trigger}")  # asks, claims nothing
                options = await self.desk.form_options(probe)
                modal = send_modal(place.metadata(), lang, options)
            elif name == "login" and len(args.split()) < 2:
                modal = login_modal(place.metadata(), lang, args)
        if modal is not None and self._may(place, name):
            if await self._open(trigger, modal):
                return
            if name == "login":
                # Never ask for a password in the conversation: only the form takes it.
                await self.replies.notice(place, "adapter.form_failed", command=f"{SLASH}login")
                return
        await self._answer(place, place.command(f"slack:cmd:{trigger}", name=name, args=args))

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
        place = await self._located(place)
        view = await self.desk.home(place.command(f"slack:home:{event_id}", private=True))
        if view is None:
            return  # a repeated event: already published
        try:
            await self.client.views_publish(user_id=place.user, view=home_view(view, self._spell))
        except (SlackClientError, aiohttp.ClientError, TimeoutError) as exc:
            log.warning("could not publish the Slack Home tab: %s", exc)

    def _spell(self, text: str) -> str:
        """The commands a sentence names, as Slack takes them (``/sms send``)."""
        return spell(self.desk.mentions, SLASH, text)

    async def _message(self, place: Place, event_id: str, event: dict[str, Any]) -> None:
        """A message becomes an answer only while its author has a wizard open here."""
        update = f"slack:evt:{event_id}"
        probe = place.command(update)
        if await self.desk.open_wizard(probe.conversation) is None:
            return
        place = await self._located(place)
        shared = event.get("files")
        files = [f for f in shared if isinstance(f, dict)] if isinstance(shared, list) else []
        attachments, refused = await read_shared(
            self.client, files, self.desk.config.max_file_bytes
        )
        for refusal in refused:
            await self.replies.notice(place, refusal.key, **refusal.params)
        if files and not attachments:
            return  # a file refused says why, and only that
        text = plain_text(_text(event, "text")).strip()
        await self._answer(place, place.command(update, args=text, attachments=tuple(attachments)))

    def _view_place(self, body: dict[str, Any], view: dict[str, Any]) -> Place | None:
        meta = modal_metadata(view)
        user = _dig(body, "user", "id")
        if not meta.get("channel") or not user:
            return None
        team = meta.get("team") or _team(body)
        return Place(
            team=team,
            channel=meta["channel"],
            user=user,
            response_url=meta.get("response_url"),
            locale=self.locales.known(team, user),
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
    return _text(body, "team_id") or _dig(body, "team", "id") or _dig(body, "user", "team_id") or ""


def _signed(verifier: SignatureVerifier, body: bytes, headers: Headers) -> bool:
    """Whether Slack signed this body, lately: a timestamp that is no number, or a body
    that is not UTF-8 (Slack signs UTF-8), is simply not signed."""
    timestamp = headers.get("x-slack-request-timestamp", "")
    signature = headers.get("x-slack-signature", "")
    if not _TIMESTAMP.fullmatch(timestamp) or not signature:
        return False
    try:
        return verifier.is_valid(body, timestamp, signature)
    except UnicodeDecodeError:
        return False


def _text(data: Mapping[str, Any], key: str) -> str:
    """A string field of a payload, ``""`` when absent or not a string."""
    value = data.get(key)
    return value if isinstance(value, str) else ""


def _dig(data: Mapping[str, Any], *path: str) -> str | None:
    """A string nested in a payload (``user.id``); None when any step is missing."""
    value: Any = data
    for key in path:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value if isinstance(value, str) and value else None


def _raised_here(error: BaseException) -> bool:
    """Whether this module's code is on the error's traceback (else Bolt's alone)."""
    frame = error.__traceback__
    while frame is not None:
        if frame.tb_frame.f_code.co_filename == __file__:
            return True
        frame = frame.tb_next
    return False
