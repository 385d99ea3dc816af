"""A case's balance is the one billing last stated for its debt; every statement is a line of the case record.

Billing's balance changes are its busiest events, so recovery takes them many at a time. Within one batch several
changes may concern the same debt: they are read in the order billing sent them, so the last one stands as the
balance and each still gets its own line on the record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol
from uuid import UUID

from shared.money import Pence, format_pounds


class StatedBalance(Protocol):
    """What billing says of a debt's balance (billing's `BalanceChanged` has these fields)."""

    @property
    def debt_id(self) -> UUID: ...

    @property
    def balance_pence(self) -> Pence: ...

    @property
    def change_pence(self) -> Pence: ...

    @property
    def cause(self) -> str: ...

    @property
    def as_of(self) -> date: ...


@dataclass
class CaseBalances:
    """The balance each case now stands at, and the case-record lines (case id, day, entry, summary) to add."""

    balances: dict[UUID, Pence] = field(default_factory=dict)
    record: list[tuple[UUID, date, str, str]] = field(default_factory=list)


def case_balances(statements: Iterable[StatedBalance], case_for_debt: Mapping[UUID, UUID]) -> CaseBalances:
    """Apply billing's statements in the order given; a debt without a case is left alone (its case opens with
    the debt's amount and billing's later balances keep it right)."""
    result = CaseBalances()
    for statement in statements:
        case_id = case_for_debt.get(statement.debt_id)
        if case_id is None:
            continue
        result.balances[case_id] = statement.balance_pence
        sign = "+" if statement.change_pence >= 0 else "-"
        result.record.append(
            (
                case_id,
                statement.as_of,
                "balance",
                f"balance {format_pounds(statement.balance_pence)} after {statement.cause} "
                f"({sign}{format_pounds(abs(statement.change_pence))})",
            )
        )
    return result
