"""Balances per debt and per customer (the 'single view of debt', Derby 10.6), from plain postings.

Every change to a debt is a posting of a positive amount whose kind says which way it moves the balance, so
nothing is ever edited or deleted, only added to (Sundry 8.7).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from services.billing.domain.debt_types import DebtType
from services.billing.domain.financial_year import FinancialYear
from shared.money import Pence


class PostingKind(StrEnum):
    """A movement on a debt's account."""

    CHARGE = "charge"
    INTEREST = "interest"
    LATE_FEE = "late_fee"
    COSTS = "costs"  # e.g. summons and liability order costs added by recovery
    PAYMENT = "payment"
    CREDIT_NOTE = "credit_note"
    CANCELLATION = "cancellation"
    WRITE_OFF = "write_off"
    WRITE_OFF_REVERSAL = "write_off_reversal"  # reinstatement after money arrives
    CHARGE_REVERSAL = "charge_reversal"  # interest or fees reversed for a breathing space
    OFFSET_IN = "offset_in"  # a credit from another debt applied here
    OFFSET_OUT = "offset_out"  # this debt's credit moved to another debt
    REFUND = "refund"  # a true surplus paid back to the customer


_INCREASES = frozenset(
    {
        PostingKind.CHARGE,
        PostingKind.INTEREST,
        PostingKind.LATE_FEE,
        PostingKind.COSTS,
        PostingKind.WRITE_OFF_REVERSAL,
        PostingKind.OFFSET_OUT,
        PostingKind.REFUND,
    }
)


@dataclass(frozen=True)
class DebtPosting:
    """One movement on one debt; `amount_pence` is never negative, the kind gives its direction."""

    debt_id: str
    kind: PostingKind
    amount_pence: Pence

    @property
    def signed_pence(self) -> Pence:
        """The posting's effect on what the customer owes (positive raises it)."""
        return self.amount_pence if self.kind in _INCREASES else -self.amount_pence


@dataclass(frozen=True)
class DebtBalance:
    """A debt's account: what was charged and added, what came off it and how, and what is outstanding.

    A negative `outstanding_pence` is a credit owed to the customer (to be offset before any refund).
    """

    debt_id: str
    by_kind: dict[PostingKind, Pence]
    outstanding_pence: Pence

    def total(self, kind: PostingKind) -> Pence:
        """The sum of one kind of posting."""
        return self.by_kind.get(kind, 0)

    @property
    def settled(self) -> bool:
        """True when nothing is owed and no credit is held."""
        return self.outstanding_pence == 0

    @property
    def in_credit(self) -> bool:
        """True when the customer has paid more than is owed on this debt."""
        return self.outstanding_pence < 0


def debt_balance(debt_id: str, postings: Iterable[DebtPosting]) -> DebtBalance:
    """The balance of one debt from its postings (postings for other debts are ignored)."""
    by_kind: dict[PostingKind, Pence] = {}
    outstanding = 0
    for posting in postings:
        if posting.debt_id != debt_id:
            continue
        if posting.amount_pence < 0:
            raise ValueError(f"posting amounts are never negative: {posting}")
        by_kind[posting.kind] = by_kind.get(posting.kind, 0) + posting.amount_pence
        outstanding += posting.signed_pence
    return DebtBalance(debt_id, by_kind, outstanding)


@dataclass(frozen=True)
class DebtSummary:
    """One debt in a customer's single view: what it is and its balance."""

    debt_id: str
    debt_type: DebtType
    financial_year: FinancialYear
    originating_service: str
    balance: DebtBalance


@dataclass(frozen=True)
class CustomerBalance:
    """Everything one customer owes the council, by debt and by debt type."""

    customer_id: str
    debts: tuple[DebtSummary, ...]
    owed_pence: Pence
    credit_pence: Pence
    by_debt_type: dict[DebtType, Pence] = field(default_factory=dict)

    @property
    def net_pence(self) -> Pence:
        """What is owed less any credit held (a credit is offset before it can be refunded)."""
        return self.owed_pence - self.credit_pence


def customer_balance(customer_id: str, debts: Iterable[DebtSummary]) -> CustomerBalance:
    """The customer's single view of debt: totals owed and in credit, and the amount owed per debt type."""
    summaries = tuple(debts)
    owed = sum(d.balance.outstanding_pence for d in summaries if d.balance.outstanding_pence > 0)
    credit = -sum(d.balance.outstanding_pence for d in summaries if d.balance.outstanding_pence < 0)
    by_type: dict[DebtType, Pence] = {}
    for summary in summaries:
        if summary.balance.outstanding_pence > 0:
            by_type[summary.debt_type] = by_type.get(summary.debt_type, 0) + summary.balance.outstanding_pence
    return CustomerBalance(customer_id, summaries, owed, credit, by_type)
