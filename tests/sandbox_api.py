"""The sandbox's control surface over HTTP, as tests and users reach it."""

from __future__ import annotations

from typing import Any

import httpx


async def arm_fault(base_url: str, **fault: Any) -> None:
    """``POST /_sandbox/faults``: e.g. ``operation="SendMessages", mode="http_500"``."""
    async with httpx.AsyncClient() as http:
        response = await http.post(f"{base_url}/_sandbox/faults", json=fault)
        response.raise_for_status()


async def sandbox_state(base_url: str) -> dict[str, Any]:
    """``GET /_sandbox/state``."""
    async with httpx.AsyncClient() as http:
        response = await http.get(f"{base_url}/_sandbox/state")
        response.raise_for_status()
        data: dict[str, Any] = response.json()
        return data


def events_by_partner_id(state: dict[str, Any]) -> dict[str, list[int]]:
    """The sandbox's events grouped by partnerEventId."""
    grouped: dict[str, list[int]] = {}
    for event in state["events"]:
        grouped.setdefault(event["partner_event_id"], []).append(event["event_id"])
    return grouped


async def move_clock(base_url: str, **order: Any) -> dict[str, Any]:
    """``POST /_sandbox/clock``: ``now="2031-05-07T21:30:00"`` (Lisbon time without an
    offset), ``advance=seconds`` or ``reset=True``; returns the clock as it reads then."""
    async with httpx.AsyncClient() as http:
        response = await http.post(f"{base_url}/_sandbox/clock", json=order)
        response.raise_for_status()
        data: dict[str, Any] = response.json()
        return data


def sandbox_messages(state: dict[str, Any], msisdn: str | None = None) -> list[dict[str, Any]]:
    """Every message the sandbox recorded (text, sender, schedule, window, delivery...),
    oldest first; only those sent to ``msisdn`` (as it was sent) when one is given."""
    return [
        message
        for event in state["events"]
        for message in event["messages"]
        if msisdn is None or message["msisdn"] == msisdn
    ]
