"""Billing's management information as the workbench's pages show it: the periods an officer may ask for, the
aged debt summed by directorate or by service (billing gives directorate and service together), and the
budget-holder review a page at a time (billing cuts the pages). Billing computes every figure; nothing here counts
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


@dataclass(frozen=True)
class Pages:
    """Where one page of a longer list sits: its number (from 1), how many pages, how many items in all."""

    number: int
    pages: int
    total: int

    @property
    def offset(self) -> int:
        """How many items come before the page."""
        return (self.number - 1) * REVIEWS_PER_PAGE

    def numbers(self) -> list[int | None]:
        """The page numbers to link, as GOV.UK's pagination shows many: the first, the last, this one and its
        neighbours; None where numbers are left out (an ellipsis)."""
        shown = sorted(
            {1, self.pages, self.number - 1, self.number, self.number + 1} & set(range(1, self.pages + 1))
        )
        numbers: list[int | None] = []
        for n in shown:
            if numbers and n - (numbers[-1] or 0) > 1:
                numbers.append(None)
            numbers.append(n)
        return numbers


def page_asked(number: str | None) -> Pages:
    """The page the officer asked for (the first when none or not a number), before the total is known."""
    asked = int(number) if number and number.isdigit() and int(number) > 0 else 1
    return Pages(asked, asked, 0)


def pages_of(total: int, number: int) -> Pages:
    """Page `number` of `total` items, a page past the end being the last."""
    pages = max(1, -(-total // REVIEWS_PER_PAGE))
    return Pages(min(max(1, number), pages), pages, total)
