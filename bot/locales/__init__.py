"""Message catalogs, one module per language, with the same keys and placeholders.

A message is a ``str.format`` template (``"{count} credits left"``), or a
:class:`Plural`: the same message in each CLDR plural category the language
has, chosen by a number among the parameters (:func:`bot.i18n.translate`).
Command names and their arguments are messages too (``command.buy``,
``args.buy``): each language spells its own, and the desk accepts them all.
"""

from __future__ import annotations

from dataclasses import dataclass

CATEGORIES = ("zero", "one", "two", "few", "many", "other")
"""CLDR's plural categories (``babel.Locale.plural_form`` names one of them)."""


@dataclass(frozen=True, kw_only=True)
class Plural:
    """One message in CLDR plural categories, chosen by the number in parameter ``by``.

    English and Spanish and Portuguese only tell ``one`` from ``other``; a
    category a catalog leaves out reads as ``other`` (as gettext's ``ngettext``
    does for a form it lacks), so CLDR's ``many`` (Portuguese and Spanish
    millions, "1 000 000 de") needs no form of its own. A form may itself be a
    :class:`Plural`, for the rare sentence with two numbers.
    """

    other: Form
    one: Form | None = None
    zero: Form | None = None
    two: Form | None = None
    few: Form | None = None
    many: Form | None = None
    by: str = "count"

    def forms(self) -> dict[str, Form]:
        """The categories this message has a form for, ``other`` among them."""
        found = {name: getattr(self, name) for name in CATEGORIES}
        return {name: form for name, form in found.items() if form is not None}

    def form(self, category: str) -> Form:
        """The form for a CLDR category (``one``, ``many``...), ``other`` when it has none."""
        chosen: Form | None = getattr(self, category) if category in CATEGORIES else None
        return self.other if chosen is None else chosen


Form = str | Plural
Message = str | Plural
Catalog = dict[str, Message]
