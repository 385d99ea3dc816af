"""Money is integer pence, GBP implied. Never float.

These helpers exist so that every service parses and prints money the same way.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

Pence = int


def pounds_to_pence(pounds: str | Decimal | int) -> Pence:
    """Convert '12.34', Decimal('12.34') or 12 (pounds) to pence, rounding half up to the penny."""
    value = Decimal(str(pounds)) if not isinstance(pounds, Decimal) else pounds
    return int((value * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def format_pounds(pence: Pence) -> str:
    """Render pence as the council writes money on a letter: '£1,234.56' (a leading minus for credits)."""
    sign = "-" if pence < 0 else ""
    pounds, pennies = divmod(abs(pence), 100)
    return f"{sign}£{pounds:,}.{pennies:02d}"


def percentage_of(pence: Pence, percent: Decimal | str) -> Pence:
    """A percentage of an amount in pence, rounded half up to the penny (fees, interest)."""
    return int((Decimal(pence) * Decimal(str(percent)) / 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
