"""Replies in English, Portuguese or Spanish.

Catalogs live in :mod:`bot.locales` (one module per language, same keys and
placeholders). Provider statuses are translated under ``status.<VALUE>``,
falling back to the English sentence of :mod:`bot.usendit.statuses`.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.locales import en, es, pt
from bot.usendit.statuses import EXPLANATIONS

log = logging.getLogger(__name__)

LANGUAGES = ("en", "pt", "es")
CATALOGS: dict[str, dict[str, str]] = {"en": en.MESSAGES, "pt": pt.MESSAGES, "es": es.MESSAGES}
STATUS_CATALOGS: dict[str, dict[str, str]] = {
    "en": EXPLANATIONS,
    "pt": pt.STATUSES,
    "es": es.STATUSES,
}


def pick_language(locale: str | None, default: str) -> str:
    """``pt-BR`` -> ``pt``; a platform locale we do not speak -> ``default``."""
    if locale:
        base = locale.replace("_", "-").split("-")[0].lower()
        if base in LANGUAGES:
            return base
    return default


def translate(lang: str, key: str, **params: Any) -> str:
    """The message ``key`` in ``lang`` (English when missing), filled with ``params``."""
    catalog = CATALOGS.get(lang, en.MESSAGES)
    template = catalog.get(key) or en.MESSAGES.get(key)
    if template is None:
        log.error("no message %r", key)
        return key
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        log.exception("message %r in %s does not fit its parameters", key, lang)
        return en.MESSAGES.get(key, key).format(**params)


def explain(lang: str, status: str) -> str:
    """A provider status (``USER_UNKNOWN``...) as one sentence in ``lang``."""
    sentence = STATUS_CATALOGS.get(lang, EXPLANATIONS).get(status) or EXPLANATIONS.get(status)
    return sentence or status
