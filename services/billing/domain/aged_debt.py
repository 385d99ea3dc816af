"""The aged-debt report (Sundry 10, NELC 5.19-5.22): what is unpaid, by how long past due, by debt type and
originating service, so budget holders can act on debts over 90 and 120 days.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from services.billing.domain.debt_types import DebtType
from shared.money import Pence


class AgeBand(StrEnum):
    """How long an unpaid amount is past its due date, in days."""

    NOT_YET_DUE = "not_yet_due"
    DAYS_0_30 = "0-30"
    DAYS_31_60 = "31-60"
    DAYS_61_90 = "61-90"
    DAYS_91_120 = "91-120"
    OVER_120 = "over_120"


@dataclass(frozen=True)
class AgedDebtItem:
    """One unpaid amount (an instalment, or a whole single-payment invoice) and when it fell due."""

    debt_type: DebtType
    originating_service: str
    due_date: date
    outstanding_pence: Pence


def age_band(due_date: date, as_of: date) -> AgeBand:
    """The band an amount due on `due_date` falls in on `as_of` (the due date itself is 0 days past due)."""
    days = (as_of - due_date).days
    if days < 0:
        return AgeBand.NOT_YET_DUE
    if days <= 30:
        return AgeBand.DAYS_0_30
    if days <= 60:
        return AgeBand.DAYS_31_60
    if days <= 90:
        return AgeBand.DAYS_61_90
    if days <= 120:
        return AgeBand.DAYS_91_120
    return AgeBand.OVER_120


def _empty_bands() -> dict[AgeBand, Pence]:
    return dict.fromkeys(AgeBand, 0)


@dataclass(frozen=True)
class AgedDebtRow:
    """The unpaid amounts of one debt type raised by one originating service, by age band."""

    debt_type: DebtType
    originating_service: str
    bands: dict[AgeBand, Pence]

    @property
    def total_pence(self) -> Pence:
        """Everything unpaid in the row, not yet due included."""
        return sum(self.bands.values())

    @property
    def over_90_pence(self) -> Pence:
        """Debt more than 90 days past due: the amount budget holders must decide on."""
        return self.bands[AgeBand.DAYS_91_120] + self.bands[AgeBand.OVER_120]


@dataclass(frozen=True)
class AgedDebtReport:
    """Rows sorted by debt type then service, with totals per band across all rows."""

    as_of: date
    rows: tuple[AgedDebtRow, ...]
    totals: dict[AgeBand, Pence]


def aged_debt_report(items: Iterable[AgedDebtItem], as_of: date) -> AgedDebtReport:
    """Bucket every unpaid amount by age on `as_of`; paid-up items (nil or credit) are left out."""
    grouped: dict[tuple[DebtType, str], dict[AgeBand, Pence]] = {}
    totals = _empty_bands()
    for item in items:
        if item.outstanding_pence <= 0:
            continue
        band = age_band(item.due_date, as_of)
        bands = grouped.setdefault((item.debt_type, item.originating_service), _empty_bands())
        bands[band] += item.outstanding_pence
        totals[band] += item.outstanding_pence
    order = {t: n for n, t in enumerate(DebtType)}
    rows = tuple(
        AgedDebtRow(debt_type, service, bands)
        for (debt_type, service), bands in sorted(grouped.items(), key=lambda kv: (order[kv[0][0]], kv[0][1]))
    )
    return AgedDebtReport(as_of, rows, totals)
