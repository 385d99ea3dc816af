"""Aged debt by service (debt type) and directorate (RBWM 3.2 and its Debt Recovery Strategy: "broken down by
Directorate"; Sundry 10; NELC 5.19), in the aged-debt report's age bands (`domain.aged_debt`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from services.billing.domain.aged_debt import AgeBand, age_band
from services.billing.management_information.policy import (
    UNASSIGNED,
    Directorate,
    ManagementInformationPolicy,
)
from shared.debt_types import DebtType
from shared.money import Pence


@dataclass(frozen=True)
class UnpaidByCostCentre:
    """Unpaid amounts of one debt type raised to one cost centre (income code) that fell due on one day."""

    debt_type: DebtType
    income_code: str
    due_date: date
    outstanding_pence: Pence


def directorate_of(
    policy: ManagementInformationPolicy, debt_type: DebtType, income_code: str
) -> Directorate | None:
    """The directorate owning a debt: by its cost centre first (the more specific), else by its debt type;
    None (reported as "unassigned") when the council configured neither."""
    by_code = next((d for d in policy.directorates if income_code in d.income_codes), None)
    return by_code or next((d for d in policy.directorates if debt_type in d.debt_types), None)


def directorate_name(policy: ManagementInformationPolicy, debt_type: DebtType, income_code: str) -> str:
    """The owning directorate's name, or "unassigned"."""
    found = directorate_of(policy, debt_type, income_code)
    return found.name if found else UNASSIGNED


@dataclass(frozen=True)
class AgedDebtByDirectorateRow:
    """What one directorate is owed on one debt type, by age band."""

    directorate: str
    debt_type: DebtType
    bands: dict[AgeBand, Pence]

    @property
    def total_pence(self) -> Pence:
        """Everything unpaid in the row."""
        return sum(self.bands.values())


@dataclass(frozen=True)
class AgedDebtByDirectorate:
    """Rows by directorate (unassigned last) then debt type, with totals per band."""

    as_of: date
    rows: tuple[AgedDebtByDirectorateRow, ...]
    totals: dict[AgeBand, Pence]


def aged_debt_by_directorate(
    items: Iterable[UnpaidByCostCentre], policy: ManagementInformationPolicy, as_of: date
) -> AgedDebtByDirectorate:
    """Band every unpaid amount by its age on `as_of` and group it by directorate and debt type."""
    grouped: dict[tuple[str, DebtType], dict[AgeBand, Pence]] = {}
    totals: dict[AgeBand, Pence] = dict.fromkeys(AgeBand, 0)
    names: dict[tuple[DebtType, str], str] = {}
    for item in items:
        if item.outstanding_pence <= 0:
            continue
        key = (item.debt_type, item.income_code)
        if key not in names:
            names[key] = directorate_name(policy, *key)
        band = age_band(item.due_date, as_of)
        bands = grouped.setdefault((names[key], item.debt_type), dict.fromkeys(AgeBand, 0))
        bands[band] += item.outstanding_pence
        totals[band] += item.outstanding_pence
    order = {t: n for n, t in enumerate(DebtType)}
    rows = tuple(
        AgedDebtByDirectorateRow(directorate, debt_type, bands)
        for (directorate, debt_type), bands in sorted(
            grouped.items(), key=lambda kv: (kv[0][0] == UNASSIGNED, kv[0][0], order[kv[0][1]])
        )
    )
    return AgedDebtByDirectorate(as_of, rows, totals)
