"""Files shared in Slack: completed by ``files.info`` when an event gives only their id,
downloaded with the bot token, only from Slack's own hosts."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import httpx
from slack_sdk.errors import SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.chat import Attachment

log = logging.getLogger(__name__)


def trusted(client: AsyncWebClient, url: str) -> bool:
    """The bot token goes only to Slack's file host (or the configured API's host)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname == "files.slack.com":
        return True
    base = urlsplit(client.base_url)
    return (parts.scheme, parts.netloc) == (base.scheme, base.netloc)


async def fetch_file(client: AsyncWebClient, url: str, limit: int) -> bytes | None:
    """The file's bytes, or None when it is untrusted, unreachable or over ``limit`` bytes."""
    if not trusted(client, url):
        log.warning("refused to send the bot token to %s", urlsplit(url).netloc)
        return None
    headers = {"Authorization": f"Bearer {client.token}"}
    try:
        async with (
            httpx.AsyncClient(timeout=30, follow_redirects=True) as http,
            http.stream("GET", url, headers=headers) as response,
        ):
            if response.status_code != 200:
                log.warning("Slack file download answered %s", response.status_code)
                return None
            content = bytearray()
            async for chunk in response.aiter_bytes():
                content += chunk
                if len(content) > limit:
                    return None
            return bytes(content)
    except httpx.HTTPError as exc:
        log.warning("Slack file download failed: %s", exc)
        return None


@dataclass(frozen=True)
class Refusal:
    """Why a shared file was not read: a message key and its parameters."""

    key: str
    params: dict[str, str]


# What a file object says when it cannot be downloaded as it is: a Slack Connect file
# shown only by id (file_access "check_file_info"), a file a free workspace hides past
# its limit; files.info gives the whole object, which may still say so.
_GONE_MODES = frozenset({"hidden_by_limit", "tombstone"})
_GONE_ACCESS = frozenset({"access_denied", "file_not_found", "check_file_info"})


async def file_info(client: AsyncWebClient, file: dict[str, Any]) -> dict[str, Any]:
    """The whole file object: ``files.info`` when the event gave only a stub."""
    ask = file.get("file_access") == "check_file_info" or file.get("mode") == "hidden_by_limit"
    if not ask or not file.get("id"):
        return file
    try:
        response = await client.files_info(file=str(file["id"]))
    except (SlackClientError, aiohttp.ClientError, TimeoutError) as exc:
        log.warning("Slack files.info failed: %s", exc)
        return file
    found = response.get("file")
    return dict(found) if isinstance(found, dict) else file


async def read_shared(
    client: AsyncWebClient, files: list[dict[str, Any]], limit: int
) -> tuple[list[Attachment], list[Refusal]]:
    """The files of a message, read; each one not read with the reason why."""
    read: list[Attachment] = []
    refused: list[Refusal] = []
    for shared in files:
        file = await file_info(client, shared)
        name = str(file.get("name") or file.get("title") or "file")
        size = file.get("size")
        if isinstance(size, int) and size > limit:
            refused.append(
                Refusal("adapter.file_too_large", {"name": name, "limit": f"{limit / 1e6:g}"})
            )
            continue
        url = file.get("url_private_download") or file.get("url_private")
        gone = file.get("mode") in _GONE_MODES or file.get("file_access") in _GONE_ACCESS
        content = None if gone or not url else await fetch_file(client, str(url), limit)
        if content is None:
            refused.append(Refusal("adapter.file_unreadable", {"name": name}))
            continue
        mime = file.get("mimetype")
        read.append(Attachment(name, content, mime if isinstance(mime, str) else None))
    return read, refused
