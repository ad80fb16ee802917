"""What the sandbox sells: credit packs and promotional codes, fixed and documented.

Packs (prices without VAT; VAT is 23 % in Portugal):

====  ==============  =======  ======  ==================
id    description     credits  price   amount with VAT
====  ==============  =======  ======  ==================
1     Pack 100 SMS    100      6.00    7.38
2     Pack 500 SMS    500      27.50   33.83
3     Pack 1000 SMS   1000     50.00   61.50
4     Pack 5000 SMS   5000     225.00  276.75
====  ==============  =======  ======  ==================

Promotional codes (compared case-insensitively):

- ``WELCOME10``: active, 10 % off every pack, no limit.
- ``SUMMER2019``: inactive -> PROMOTIONAL_CAMPAIGN_NOT_ACTIVE.
- ``FIRST3``: active, 50 % off, redeemed at most 3 times (a redemption is
  counted when payment data is issued) -> then
  PROMOTIONAL_CAMPAIGN_EXCEEDED_MAX_CODE_REDEMPTION.
- ``BIGPACK``: active, 20 % off packs 3 and 4 only -> otherwise
  PROMOTIONAL_CAMPAIGN_INVALID_PACK.
- any other code -> PROMOTIONAL_CAMPAIGN_NOT_EXISTS.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

TAX_PERCENTAGE = Decimal("23")
MULTIBANCO_ENTITY = "11249"


@dataclass(frozen=True)
class Pack:
    id: int
    description: str
    credits: int
    price: Decimal


@dataclass(frozen=True)
class PromoCode:
    code: str
    active: bool
    discount_percent: Decimal
    max_redemptions: int | None = None
    pack_ids: frozenset[int] | None = None


PACKS: tuple[Pack, ...] = (
    Pack(1, "Pack 100 SMS", 100, Decimal("6.00")),
    Pack(2, "Pack 500 SMS", 500, Decimal("27.50")),
    Pack(3, "Pack 1000 SMS", 1000, Decimal("50.00")),
    Pack(4, "Pack 5000 SMS", 5000, Decimal("225.00")),
)

PROMO_CODES: tuple[PromoCode, ...] = (
    PromoCode("WELCOME10", active=True, discount_percent=Decimal("10")),
    PromoCode("SUMMER2019", active=False, discount_percent=Decimal("15")),
    PromoCode("FIRST3", active=True, discount_percent=Decimal("50"), max_redemptions=3),
    PromoCode("BIGPACK", active=True, discount_percent=Decimal("20"), pack_ids=frozenset({3, 4})),
)


def find_pack(pack_id: int) -> Pack | None:
    return next((pack for pack in PACKS if pack.id == pack_id), None)


def find_promo(code: str) -> PromoCode | None:
    wanted = code.strip().upper()
    return next((promo for promo in PROMO_CODES if promo.code == wanted), None)


def amount_with_tax(price: Decimal, discount_percent: Decimal = Decimal(0)) -> str:
    """The amount to pay, VAT included, formatted like ``12.30``."""
    discounted = price * (100 - discount_percent) / 100
    total = discounted * (100 + TAX_PERCENTAGE) / 100
    return str(total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
