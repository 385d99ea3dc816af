"""Billing's management information as the workbench's pages show it: the periods an officer may ask for, the
aged debt summed by directorate or by service (billing gives directorate and service together), and the
budget-holder review a page at a time, filtered by status. Billing computes every figure; nothing here counts
money except to add billing's own cells into the totals of a grouping it does not give."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from services.workbench.domain.forms import FormErrors

FINANCIAL_YEAR = re.compile(r"^(\d{4})/(\d{2})$")
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")

REVIEWS_PER_PAGE = 50
"""How many listed debts one page of the budget-holder review shows."""


def financial_year_from(fields: dict[str, str], name: str, errors: FormErrors) -> str | None:
    """A financial year as the council writes it, 2026/27 (the second year the first's next), or None."""
    value = fields.get(name, "").strip()
    if not value:
        return None
    found = FINANCIAL_YEAR.match(value)
    if found is None or (int(found[1]) + 1) % 100 != int(found[2]):
        errors.add(name, "Enter the financial year like 2026/27")
        return None
    return value


def month_from(fields: dict[str, str], name: str, errors: FormErrors) -> str | None:
    """A month written 2026-05, or None."""
    value = fields.get(name, "").strip()
    if not value:
        return None
    if MONTH.match(value) is None:
        errors.add(name, "Enter the month like 2026-05")
        return None
    return value


@dataclass(frozen=True)
class BandRow:
    """One line of an aged table: what it is of (a directorate, a service or both) and pence by age band."""

    directorate: str | None
    debt_type: str | None
    bands: dict[str, int]
    total_pence: int


def aged_rows(rows: list[dict[str, Any]], bands: list[str]) -> list[BandRow]:
    """Billing's aged-debt lines (one per directorate and debt type) as they are."""
    return [
        BandRow(
            r["directorate"],
            r["debt_type"],
            {b: int(r.get(f"{b}_pence", 0)) for b in bands},
            int(r["total_pence"]),
        )
        for r in rows
    ]


def summed_by(rows: list[BandRow], key: str, bands: list[str]) -> list[BandRow]:
    """Billing's lines added up per directorate (`key="directorate"`) or per service (`"debt_type"`), in the
    order each first appears."""
    grouped: dict[str, dict[str, int]] = {}
    for row in rows:
        of = str(getattr(row, key))
        cells = grouped.setdefault(of, dict.fromkeys(bands, 0))
        for band in bands:
            cells[band] += row.bands[band]
    return [
        BandRow(
            of if key == "directorate" else None,
            of if key == "debt_type" else None,
            cells,
            sum(cells.values()),
        )
        for of, cells in grouped.items()
    ]


def reviews_with_status(reviews: list[dict[str, Any]], status: str | None) -> list[dict[str, Any]]:
    """The listed debts in one status (all of them when none is chosen), overdue first, then by deadline, as
    billing orders them within each."""
    shown = [r for r in reviews if status is None or r.get("status") == status]
    return sorted(shown, key=lambda r: (r.get("status") != "overdue", r.get("decide_by") or ""))


@dataclass(frozen=True)
class OnePage:
    """One page of a longer list, and where it sits."""

    items: list[dict[str, Any]]
    number: int
    pages: int
    total: int


def page_of(items: list[dict[str, Any]], number: int, size: int = REVIEWS_PER_PAGE) -> OnePage:
    """Page `number` (from 1; a page past the end shows the last) of `items`."""
    pages = max(1, -(-len(items) // size))
    number = min(max(1, number), pages)
    return OnePage(items[(number - 1) * size : number * size], number, pages, len(items))
