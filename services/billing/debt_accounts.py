"""A debt's account as billing holds it: its lines (instalments, then costs, interest, fees, reinstatements),
the postings that move it, and the events a moved balance announces. Every movement is a posting; the balance
column is their sum, kept beside them in the same statement (`DebtStore.post`) so a reader never sees one
without the other."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from uuid import UUID

from services.billing.domain.balances import DebtPosting, PostingKind
from services.billing.domain.breathing_space_hold import BreathingSpaceHold
from services.billing.domain.breathing_space_scope import ongoing_after_on
from services.billing.domain.debt_position import DebtPosition, InstalmentPosition
from services.billing.domain.debt_status import debt_is_open
from services.billing.domain.debt_types import DebtType
from services.billing.domain.financial_year import FinancialYear
from shared.contracts.billing import BalanceChanged, DebtSettled
from shared.contracts.envelope import Contract
from shared.money import Pence


@dataclass(frozen=True)
class DebtAccount:
    """One debt as billing holds it: what it is, who owes it, its balance and its unpaid lines."""

    debt_id: UUID
    debt_type: DebtType
    financial_year: str
    originating_service: str
    income_code: str
    status: str
    balance_pence: Pence
    written_off_pence: Pence
    requesting_system: str
    external_reference: str
    account_reference: str | None
    due_date: date
    interest_accrued_to: date | None
    late_fee_charged: bool
    amount_pence: Pence
    customer_ids: tuple[UUID, ...]
    lines: tuple[InstalmentPosition, ...]
    line_kinds: tuple[str, ...]

    @cached_property
    def position(self) -> DebtPosition:
        """The debt as allocation and corrections see it."""
        return DebtPosition(
            str(self.debt_id), self.debt_type, FinancialYear.parse(self.financial_year), self.lines
        )

    def position_on(self, day: date, holds: Iterable[BreathingSpaceHold]) -> DebtPosition:
        """The debt as a payment made on `day` sees it: with the protected date of a breathing space with
        ongoing liabilities covering that day (from the holds kept for it), so the payment pays the ongoing
        liabilities before the frozen arrears."""
        after = ongoing_after_on(day, holds)
        return self.position if after is None else replace(self.position, ongoing_after=after)

    @property
    def is_open(self) -> bool:
        """Open for payments and corrections: neither cancelled nor wholly written off."""
        return debt_is_open(self.status)


@dataclass(frozen=True)
class Movement:
    """A posting on a debt and how it changes the debt's lines (negative: taken off a line)."""

    posting: DebtPosting
    posted_on: date
    cause_reference: str | None = None
    line_changes: tuple[tuple[int, Pence], ...] = ()
    rule: str | None = None
    """The overpayment rule that decided an offset or credit posting (issue 19), where one did."""


def balance_events(
    account: DebtAccount, new_balance: Pence, change: Pence, cause: str, as_of: date
) -> list[Contract]:
    """BalanceChanged for a moved balance, and DebtSettled when it has just reached nil."""
    events: list[Contract] = [
        BalanceChanged(
            debt_id=account.debt_id,
            customer_ids=list(account.customer_ids),
            debt_type=account.debt_type.value,
            balance_pence=new_balance,
            change_pence=change,
            cause=cause,
            as_of=as_of,
        )
    ]
    # A write-off or cancellation has its own event; anything else that brings the balance to nil settles it.
    if new_balance == 0 and new_balance - change != 0 and cause not in ("write_off", "cancellation"):
        events.append(DebtSettled(debt_id=account.debt_id, settled_on=as_of))
    return events


def posting(debt_id: UUID, kind: PostingKind, amount_pence: Pence) -> DebtPosting:
    """A domain posting for a debt id."""
    return DebtPosting(str(debt_id), kind, amount_pence)
