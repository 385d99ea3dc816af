"""The letters' retention rule (DOMAIN.md 11; NELC 3.3, RBWM 3, Sundry 6.15): a case's letters, their facts and
PDFs, are kept for `retention_years` after the case's last recovery action (its last step or letter, or its
closing) and only once the case is no longer open; then they are removed, and each removal is recorded in
`letter_purge` with its sha256 and the rule applied."""

from __future__ import annotations

from datetime import date

from services.recovery.letter_settings import LetterSettings
from services.recovery.recovery import Recovery
from services.recovery.stores import RecoveryStores


def keep_from(today: date, years: int) -> date:
    """The earliest last-action date whose letters are still kept on `today` (29 February counts as the 28th)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def retention_rule(years: int) -> str:
    """The rule as recorded with each letter it removes."""
    return f"kept {years} years after the last recovery action (DOMAIN.md 11)"


async def purge_letters(service: Recovery, today: date, settings: LetterSettings | None = None) -> int:
    """Remove every letter past the retention rule on `today`; the number removed."""
    years = (settings or LetterSettings()).retention_years
    async with service.runtime.transaction(RecoveryStores.on, service) as handling:
        return await handling.stores.letters.purge(today, keep_from(today, years), retention_rule(years))
