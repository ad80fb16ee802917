"""Files shared in Slack: downloaded with the bot token, only from Slack's own hosts."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import httpx
from slack_sdk.web.async_client import AsyncWebClient

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
