"""A fake Telegram Bot API: answers like the real one and records every call.

Two doors onto one :class:`BotApi` state:

- :class:`FakeRequest`, a :class:`telegram.request.BaseRequest` to build the
  real ``Application`` on (python-telegram-bot's own tests use the same seam);
- :class:`FakeBotApiServer`, a small aiohttp server on 127.0.0.1 for the real
  HTTP stack (long polling through ``TELEGRAM_API_BASE_URL``).

Helpers build update dicts as Telegram sends them, for ``Update.de_json``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from telegram.request import BaseRequest, RequestData

BOT_ID = 4242
BOT_USERNAME = "usendit_bot"
BOT_USER = {
    "id": BOT_ID,
    "is_bot": True,
    "first_name": "uSendit",
    "username": BOT_USERNAME,
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    result: Any = None


@dataclass(frozen=True)
class Upload:
    """A file the bot uploaded (sendDocument's ``document``), as the Bot API received it."""

    filename: str
    content: bytes


@dataclass
class BotApi:
    """The Bot API's answers, the calls received, and failures to inject."""

    calls: list[Call] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    updates: list[dict[str, Any]] = field(default_factory=list)
    failures: dict[str, list[tuple[int, dict[str, Any]]]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(500))
    _last: int = 0

    def fail(self, method: str, status: int, description: str, **parameters: Any) -> None:
        """Answer the next call of ``method`` with an error (queued, one per call)."""
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if parameters:
            body["parameters"] = parameters
        self.failures.setdefault(method, []).append((status, body))

    def of(self, method: str) -> list[dict[str, Any]]:
        return [call.params for call in self.calls if call.method == method]

    def documents(self) -> list[tuple[int, Upload]]:
        """Every document the bot sent: the chat, and the file as uploaded."""
        return [
            (int(params["chat_id"]), params["document"])
            for params in self.of("sendDocument")
            if isinstance(params.get("document"), Upload)
        ]

    def sent(self) -> list[dict[str, Any]]:
        """The messages the bot sent (as the Bot API returned them)."""
        return [c.result for c in self.calls if c.method == "sendMessage" and c.result]

    @property
    def last_message_id(self) -> int:
        """The id of the last message the bot sent."""
        return self._last

    def texts(self, since: int = 0) -> list[str]:
        return [
            str(call.params["text"])
            for call in self.calls[since:]
            if call.method in ("sendMessage", "editMessageText")
        ]

    def answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        call = Call(method, params)
        self.calls.append(call)
        queued = self.failures.get(method)
        if queued:
            return queued.pop(0)
        call.result = self._result(method, params)
        return 200, {"ok": True, "result": call.result}

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method in ("sendMessage", "editMessageText", "sendDocument"):
            chat_id = int(params["chat_id"])
            message_id = params.get("message_id") or next(self._ids)
            if method != "editMessageText":
                self._last = int(message_id)
            message: dict[str, Any] = {
                "message_id": int(message_id),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                "from": BOT_USER,
            }
            if "text" in params:
                message["text"] = params["text"]
            return message
        if method == "getFile":
            file_id = str(params["file_id"])
            return {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_size": len(self.files.get(file_id, b"")),
                "file_path": f"documents/{file_id}.csv",
            }
        if method == "getUpdates":
            offset = int(params.get("offset") or 0)
            return [u for u in self.updates if u["update_id"] >= offset]
        if method == "getWebhookInfo":
            return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
        return True

    def download(self, path: str) -> tuple[int, bytes]:
        self.calls.append(Call("download", {"path": path}))
        file_id = path.rsplit("/", 1)[-1].removesuffix(".csv")
        if file_id not in self.files:
            return 404, b'{"ok": false, "error_code": 404, "description": "Not Found"}'
        return 200, self.files[file_id]


class FakeRequest(BaseRequest):
    """The Bot API in-process: every POST recorded and answered by :class:`BotApi`."""

    def __init__(self, api: BotApi) -> None:
        self.api = api

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if "/file/bot" in url:
            return self.api.download(url.split("/file/bot", 1)[1].split("/", 1)[1])
        params = dict(request_data.parameters) if request_data is not None else {}
        if request_data is not None:
            for name, part in request_data.multipart_data.items():
                content = part[1].read() if hasattr(part[1], "read") else part[1]
                params[name] = Upload(str(part[0]), bytes(content))
        status, body = self.api.answer(url.rsplit("/", 1)[-1], params)
        return status, json.dumps(body).encode()


class FakeBotApiServer:
    """The same Bot API over HTTP on 127.0.0.1 (``base_url`` is :attr:`url`)."""

    def __init__(self, api: BotApi, token: str, port: int = 0) -> None:
        self.api = api
        self.token = token
        self.port = port
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def __aenter__(self) -> FakeBotApiServer:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._file)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _method(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401}, status=401)
        params: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                for key, value in (await request.post()).items():
                    if isinstance(value, web.FileField):
                        params[key] = Upload(value.filename, value.file.read())
                    else:
                        params[key] = value
        method = request.match_info["method"]
        status, body = self.api.answer(method, params)
        if method == "getUpdates" and body.get("result") == []:
            # A long poll that found nothing: wait a little, as Telegram would.
            await asyncio.sleep(0.05)
        return web.json_response(body, status=status)

    async def _file(self, request: web.Request) -> web.Response:
        status, content = self.api.download(request.match_info["path"])
        return web.Response(body=content, status=status)


# --- updates as Telegram sends them -------------------------------------------------

_update_ids = itertools.count(10_000)
_message_ids = itertools.count(1)


def user(user_id: int, first_name: str = "Ana", language_code: str | None = "en") -> dict[str, Any]:
    found: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    if language_code:
        found["language_code"] = language_code
    return found


def chat(chat_id: int, kind: str = "private") -> dict[str, Any]:
    if kind == "private":
        return {"id": chat_id, "type": "private", "first_name": "Ana"}
    return {"id": chat_id, "type": kind, "title": "SMS team"}


def message_update(
    sender: dict[str, Any],
    text: str | None = None,
    *,
    where: dict[str, Any] | None = None,
    document: dict[str, Any] | None = None,
    caption: str | None = None,
    reply_to: dict[str, Any] | None = None,
    update_id: int | None = None,
    media: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A message as Telegram sends it; ``media`` adds fields such as :func:`photo` gives."""
    message: dict[str, Any] = {
        "message_id": next(_message_ids),
        "date": int(time.time()),
        "chat": where or chat(sender["id"]),
        "from": sender,
    }
    if text is not None:
        message["text"] = text
        if text.startswith("/"):
            length = len(text.split()[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    if document is not None:
        message["document"] = document
    if caption is not None:
        message["caption"] = caption
    if reply_to is not None:
        message["reply_to_message"] = reply_to
    if media is not None:
        message.update(media)
    return {"update_id": update_id or next(_update_ids), "message": message}


def photo(file_id: str = "P1") -> dict[str, Any]:
    size = {"file_id": file_id, "file_unique_id": f"u{file_id}", "width": 90, "height": 90}
    return {"photo": [size]}


def sticker(file_id: str = "S1") -> dict[str, Any]:
    return {
        "sticker": {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
    }


def contact(phone: str = "+351912345678") -> dict[str, Any]:
    return {"contact": {"phone_number": phone, "first_name": "Rui"}}


def joined_the_group(who: dict[str, Any]) -> dict[str, Any]:
    """A service message: no text and nothing attached."""
    return {"new_chat_members": [who]}


def document(file_id: str, name: str, size: int, mime: str = "text/csv") -> dict[str, Any]:
    return {
        "file_id": file_id,
        "file_unique_id": f"u{file_id}",
        "file_name": name,
        "mime_type": mime,
        "file_size": size,
    }


def press_update(
    sender: dict[str, Any], data: str, *, message_id: int, where: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": f"cq{next(_update_ids)}",
            "from": sender,
            "chat_instance": "ci-1",
            "data": data,
            "message": {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": where or chat(sender["id"]),
                "from": BOT_USER,
                "text": "…",
            },
        },
    }
