"""A taxpayer's request to repay an overpayment of council tax or business rates.

The Council Tax (Administration and Enforcement) Regulations 1992 reg 31 (and reg 9 of the Non-Domestic Rating
(Collection and Enforcement) (Local Lists) Regulations 1989 for rates) let the taxpayer have an overpayment
repaid instead of credited against later liability. Only those two taxes: any other debt's credit is settled by
the council's overpayment rules (Derby 11). What the account holds in credit today is repaid, oldest year first,
up to what the taxpayer asked for; a request finding no credit still stands for the account's later
overpayments. Every refund is paid only once a senior officer authorises it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from services.billing.domain.debt_types import DebtType, is_regulated
from services.billing.domain.financial_year import FinancialYear
from shared.money import Pence


class RefundRequestOutcome(StrEnum):
    """How billing answers the taxpayer's request."""

    REFUND_DUE = "refund_due"
    NOTHING_TO_REFUND = "nothing_to_refund"
    REFUSED = "refused"


@dataclass(frozen=True)
class AccountDebt:
    """A debt billed to the account the taxpayer named, with its balance (negative is a credit)."""

    debt_id: UUID
    debt_type: DebtType
    financial_year: FinancialYear
    balance_pence: Pence


@dataclass(frozen=True)
class RefundRequestDecision:
    """The answer, and how much of each debt's credit is repaid."""

    outcome: RefundRequestOutcome
    repaid: tuple[tuple[UUID, Pence], ...] = ()
    reasons: tuple[str, ...] = ()

    @property
    def amount_pence(self) -> Pence:
        """The whole refund."""
        return sum(amount for _, amount in self.repaid)


def decide_refund_request(
    account_reference: str, debts: Sequence[AccountDebt], asked_pence: Pence | None
) -> RefundRequestDecision:
    """Repay the account's credit (at most `asked_pence`), or say why not."""
    if not debts:
        return RefundRequestDecision(
            RefundRequestOutcome.REFUSED,
            reasons=(f"billing holds no council tax or business rates account {account_reference!r}",),
        )
    if not all(is_regulated(d.debt_type) for d in debts):
        return RefundRequestDecision(
            RefundRequestOutcome.REFUSED,
            reasons=(
                f"account {account_reference!r} is not a council tax or business rates account: its credit is "
                "settled by the council's overpayment rules",
            ),
        )
    if asked_pence is not None and asked_pence <= 0:
        return RefundRequestDecision(
            RefundRequestOutcome.REFUSED, reasons=("the amount asked for must be more than nil",)
        )
    left = asked_pence
    repaid: list[tuple[UUID, Pence]] = []
    for debt in sorted(debts, key=lambda d: (d.financial_year.start_year, str(d.debt_id))):
        credit = -debt.balance_pence
        if credit <= 0:
            continue
        amount = credit if left is None else min(credit, left)
        if amount <= 0:
            break
        repaid.append((debt.debt_id, amount))
        if left is not None:
            left -= amount
    if not repaid:
        return RefundRequestDecision(RefundRequestOutcome.NOTHING_TO_REFUND)
    return RefundRequestDecision(RefundRequestOutcome.REFUND_DUE, tuple(repaid))
