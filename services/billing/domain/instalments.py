"""Instalment schedules: council tax by 10 or 12 monthly instalments; single-payment invoices with terms."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from shared.money import Pence


@dataclass(frozen=True)
class Instalment:
    """One amount due on one date; instalments of a debt are numbered from 1."""

    number: int
    due_date: date
    amount_pence: Pence


def add_months(day: date, months: int) -> date:
    """The same day `months` later, held to the end of a shorter month (31 Jan + 1 month is 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def split_into_instalments(total_pence: Pence, count: int, rounding_pence: Pence = 100) -> list[Pence]:
    """Split a charge into `count` amounts: later ones rounded down to `rounding_pence`, the odd amount first.

    Councils bill the 2nd and later instalments in whole pounds and put the remaining pounds and pence on the
    first (so £1,234.56 over 10 is £127.56 then 9 x £123). With `rounding_pence=1` only the odd pennies
    go first.
    Where the charge is too small for whole-pound instalments, pennies are used instead.
    """
    if count < 1:
        raise ValueError("at least one instalment is needed")
    if total_pence < 0:
        raise ValueError("an instalment plan cannot be built for a credit")
    unit = rounding_pence if rounding_pence >= 1 else 1
    later = (total_pence // count) // unit * unit
    if later == 0 and count > 1:
        later = total_pence // count
    first = total_pence - later * (count - 1)
    return [first] + [later] * (count - 1)


def monthly_instalments(
    total_pence: Pence, count: int, first_due_date: date, rounding_pence: Pence = 100
) -> list[Instalment]:
    """A plan of `count` monthly instalments from `first_due_date`, remainder on the first instalment."""
    amounts = split_into_instalments(total_pence, count, rounding_pence)
    return [Instalment(n + 1, add_months(first_due_date, n), amount) for n, amount in enumerate(amounts)]


def council_tax_instalments(
    annual_charge_pence: Pence, first_due_date: date, count: int = 10, rounding_pence: Pence = 100
) -> list[Instalment]:
    """A council tax bill's statutory plan: 10 (or, on request, 12) monthly instalments."""
    if count not in (10, 12):
        raise ValueError("council tax is payable by 10 or 12 monthly instalments")
    return monthly_instalments(annual_charge_pence, count, first_due_date, rounding_pence)


def settlement_due_date(liability_date: date, settlement_days: int) -> date:
    """When a single-payment invoice falls due: `settlement_days` after liability (Derby 30, NELC 14)."""
    return liability_date + timedelta(days=settlement_days)


def single_due_date_schedule(
    amount_pence: Pence, liability_date: date, settlement_days: int
) -> list[Instalment]:
    """A sundry invoice's schedule: the whole amount in one instalment on the settlement date."""
    return [Instalment(1, settlement_due_date(liability_date, settlement_days), amount_pence)]
