"""A local Slack Web API for tests: records every call, answers plausible JSON.

Point ``AsyncWebClient(base_url=fake.base_url)`` (or ``SLACK_API_BASE_URL``) at
it. Methods arrive as ``POST /api/<method>`` with JSON or form bodies (or as ``GET``
with a query, as slack_sdk reads users.info and files.info); files are served
from ``GET /files/<name>`` to a bearer of the bot token only;
``POST /hooks/<name>`` stands for a ``response_url``.
``fail_next(method, status=..., error=...)`` makes the next call of a method fail.
``locales`` are what ``users.info`` says with ``include_locale``; ``file_info`` what
``files.info`` says; ``outside`` lists conversations the bot is not a member of
(``chat.postEphemeral`` there fails, as ``chat.postMessage`` does but in a public
channel, which ``chat:write.public`` lets it post to).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

APP_TOKEN = "xapp-test"
BOT_TOKEN = "xoxb-test"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    response: dict[str, Any] = field(default_factory=dict)


class FakeSlackApi:
    def __init__(self, token: str = BOT_TOKEN, app_token: str = APP_TOKEN) -> None:
        self.token = token
        self.app_token = app_token
        self.calls: list[Call] = []
        self.files: dict[str, bytes] = {}
        self._failures: dict[str, list[tuple[int, dict[str, Any], dict[str, str]]]] = {}
        self._ts = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.delays: dict[str, float] = {}
        """Seconds a method takes to answer (a slow Slack)."""
        self.locales: dict[str, str] = {}
        self.file_info: dict[str, dict[str, Any]] = {}
        self.uploads: dict[str, bytes] = {}
        """The bytes posted to each upload URL, by file id (Slack's external upload)."""
        self.outside: set[str] = set()
        self.url = ""

    @property
    def base_url(self) -> str:
        return f"{self.url}/api/"

    def file_url(self, name: str) -> str:
        return f"{self.url}/files/{name}"

    def hook_url(self, name: str = "h1") -> str:
        return f"{self.url}/hooks/{name}"

    async def __aenter__(self) -> FakeSlackApi:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)  # users.info, files.info
        app.router.add_get("/files/{name}", self._file)
        app.router.add_post("/hooks/{name}", self._hook)
        app.router.add_post("/upload/{file_id}", self._upload)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # --- test helpers ---------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int = 200,
        error: str = "internal_error",
        headers: dict[str, str] | None = None,
    ) -> None:
        self._failures.setdefault(method, []).append(
            (status, {"ok": False, "error": error}, headers or {})
        )

    def of(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def texts(self, *methods: str) -> list[str]:
        """The fallback text of every message posted or updated, in order."""
        wanted = methods or ("chat.postMessage", "chat.update", "chat.postEphemeral", "hook")
        return [str(c.params.get("text", "")) for c in self.calls if c.method in wanted]

    def all_text(self) -> str:
        return "\n".join(self.texts())

    async def wait_for(self, check: Callable[[FakeSlackApi], bool], timeout: float = 10.0) -> None:
        """Poll until ``check(self)`` holds (listeners run after the ack)."""
        deadline = time.monotonic() + timeout
        while not check(self):
            if time.monotonic() > deadline:
                calls = "\n".join(f"{c.method}: {c.params}" for c in self.calls)
                raise AssertionError(f"timed out waiting; calls so far:\n{calls}")
            await asyncio.sleep(0.02)

    async def wait_for_text(self, fragment: str, timeout: float = 10.0) -> None:
        await self.wait_for(lambda api: fragment in api.all_text(), timeout)

    # --- handlers -----------------------------------------------------------------------

    async def _params(self, request: web.Request) -> dict[str, Any]:
        # slack_sdk sends some methods' arguments in the query even on POST
        # (files.getUploadURLExternal, files.completeUploadExternal).
        params: dict[str, Any] = dict(request.query)
        if request.method == "GET":
            return params
        if request.content_type == "application/json":
            data = await request.json()
            return {**params, **data} if isinstance(data, dict) else params
        form = await request.post()
        for key, value in form.items():
            text = str(value)
            if key in ("blocks", "view") and text.startswith(("[", "{")):
                params[key] = json.loads(text)
            else:
                params[key] = text
        return params

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        call = Call(method, params, dict(request.headers))
        await asyncio.sleep(self.delays.get(method, 0.0))
        self.calls.append(call)
        status, headers = 200, {}
        token = self.app_token if method == "apps.connections.open" else self.token
        if request.headers.get("Authorization") != f"Bearer {token}":
            call.response = {"ok": False, "error": "invalid_auth"}
        elif self._failures.get(method):
            status, call.response, headers = self._failures[method].pop(0)
        else:
            call.response = self._answer(method, params)
        return web.json_response(call.response, status=status, headers=headers)

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "apps.connections.open":
            return {"ok": True, "url": "ws://127.0.0.1:9/socket-mode"}
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://example.slack.com/",
                "team": "Example",
                "user": "usendit-bot",
                "team_id": "T1",
                "user_id": "UBOT",
                "bot_id": "BBOT",
            }
        channel = str(params.get("channel") or "")
        if channel in self.outside and (
            method == "chat.postEphemeral"
            or (method == "chat.postMessage" and not channel.startswith("C"))
        ):
            return {"ok": False, "error": "not_in_channel"}
        if method == "users.info":
            user: dict[str, Any] = {"id": params.get("user")}
            if str(params.get("include_locale")).lower() in ("true", "1"):
                user["locale"] = self.locales.get(str(params.get("user")), "en-US")
            return {"ok": True, "user": user}
        if method == "files.info":
            found = self.file_info.get(str(params.get("file")))
            return (
                {"ok": True, "file": found} if found else {"ok": False, "error": "file_not_found"}
            )
        if method in ("chat.postMessage", "chat.update"):
            ts = params.get("ts") or f"1700000000.{next(self._ts):06d}"
            return {"ok": True, "channel": params.get("channel"), "ts": ts, "message": params}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"1700000000.{next(self._ts):06d}"}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": f"D{params.get('users')}"}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ts)}"
            upload = f"{self.url}/upload/{file_id}"
            return {"ok": True, "upload_url": upload, "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = params.get("files")
            listed = json.loads(files) if isinstance(files, str) else list(files or [])
            unknown = [f for f in listed if f.get("id") not in self.uploads]
            if not listed or unknown:
                return {"ok": False, "error": "invalid_arguments"}
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in listed]}
        if method in ("views.open", "views.publish"):
            view = dict(params.get("view") or {})
            view.setdefault("id", f"V{next(self._ts)}")
            return {"ok": True, "view": view}
        return {"ok": True}

    async def _file(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        self.calls.append(Call("files.download", {"name": name}, dict(request.headers)))
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return web.Response(status=302, headers={"Location": "/login"})
        if name not in self.files:
            return web.Response(status=404)
        return web.Response(body=self.files[name], content_type="application/octet-stream")

    async def _upload(self, request: web.Request) -> web.Response:
        """An upload URL of files.getUploadURLExternal: the file's bytes, posted."""
        file_id = request.match_info["file_id"]
        self.uploads[file_id] = await request.read()
        self.calls.append(Call("files.upload", {"file_id": file_id}, dict(request.headers)))
        return web.Response(text=f"OK - {len(self.uploads[file_id])}")

    def shared_files(self) -> list[tuple[str, str, bytes]]:
        """Every file shared by files.completeUploadExternal: channel, title, bytes."""
        shared = []
        for call in self.of("files.completeUploadExternal"):
            if not call.response.get("ok"):
                continue
            files = call.params.get("files")
            listed = json.loads(files) if isinstance(files, str) else list(files or [])
            for f in listed:
                channel = str(call.params.get("channel_id") or "")
                shared.append((channel, str(f.get("title")), self.uploads[f["id"]]))
        return shared

    async def _hook(self, request: web.Request) -> web.Response:
        params = await request.json()
        self.calls.append(Call("hook", dict(params), dict(request.headers)))
        return web.Response(text="ok")
