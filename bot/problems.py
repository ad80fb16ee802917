"""Why a value a person gave cannot be used, for a chat to word in their language."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Problem:
    """Why a field's value cannot be used: a message key and its parameters, or a
    provider status (a sender uSendit would refuse) that :func:`~bot.i18n.explain` words."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)
    status: str | None = None

    def words(self, t: Callable[..., str], explain: Callable[[str], str]) -> str:
        return explain(self.status) if self.status else t(self.key, **self.params)
