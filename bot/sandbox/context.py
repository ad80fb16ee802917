"""What an operation of the sandbox receives besides its request."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.sandbox.soap import Node, Params
from bot.sandbox.state import SandboxState

DEFAULT_MAX_SMS = 5000


@dataclass
class Context:
    """The state to act on and the sandbox's own settings."""

    state: SandboxState
    base_url: str
    max_sms: int = DEFAULT_MAX_SMS


Operation = Callable[[Context, Params], list[Node]]
"""One SOAP operation: reads the request, changes the state, returns the result's fields."""
