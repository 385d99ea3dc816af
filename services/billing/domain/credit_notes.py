"""Credit notes (Derby App.1 §9): they correct a wrong invoice and must never stand in for a write-off.

So a credit note needs a correction reason (there is no 'irrecoverable' reason to choose) and reduces the
latest instalments first so the customer's next payment dates stay as billed. It may exceed what is still
owed: an overstated invoice that was already paid is corrected all the same, and the excess is the customer's
credit, settled like any overpayment (`overpayment.settle_overpayment`: offset where the law allows, else
refunded). It may not exceed what the invoice charged less the credit notes already issued on it: beyond that
it corrects nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from services.billing.domain.debt_position import DebtPosition, reductions_latest_first
from shared.money import Pence, format_pounds


class CreditNoteReason(StrEnum):
    """The corrections a credit note may make; irrecoverability is absent on purpose: that is a write-off."""

    BILLING_ERROR = "billing_error"
    WRONG_CUSTOMER = "wrong_customer"
    DUPLICATE_INVOICE = "duplicate_invoice"
    PRICE_CORRECTION = "price_correction"
    SERVICE_NOT_PROVIDED = "service_not_provided"
    LIABILITY_CHANGED = "liability_changed"  # e.g. a council tax discount, exemption or change of occupier


_WRITE_OFF_WORDS = (
    "write off",
    "write-off",
    "writeoff",
    "irrecoverable",
    "uneconomic",
    "bad debt",
    "unrecoverable",
)


@dataclass(frozen=True)
class CreditNoteReduction:
    """The amount a credit note takes off one instalment."""

    instalment_number: int
    amount_pence: Pence


@dataclass(frozen=True)
class CreditNoteEffect:
    """What a credit note does to a debt: the lines it reduces, and the excess that becomes a credit."""

    reductions: tuple[CreditNoteReduction, ...]
    credit_pence: Pence


def credit_note_refusals(
    debt: DebtPosition,
    amount_pence: Pence,
    reason: str,
    explanation: str = "",
    written_off: bool = False,
    creditable_pence: Pence | None = None,
) -> list[str]:
    """Every reason a credit note of `amount_pence` on `debt` must be refused (empty if it may be issued).

    `creditable_pence` is what the invoice charged less the credit notes already issued on it (None: not
    checked). What is still owed is no limit: an excess over it becomes the customer's credit.
    """
    refusals = []
    try:
        CreditNoteReason(reason)
    except ValueError:
        allowed = ", ".join(r.value for r in CreditNoteReason)
        refusals.append(f"{reason!r} is not a correction a credit note may make; allowed: {allowed}")
    if any(word in explanation.lower() for word in _WRITE_OFF_WORDS):
        refusals.append("a credit note must not be used to write off a debt; request a write-off instead")
    if written_off:
        refusals.append("the debt has been written off; reinstate it before correcting the charge")
    if amount_pence <= 0:
        refusals.append("a credit note must be for more than nil")
    elif creditable_pence is not None and amount_pence > creditable_pence:
        refusals.append(
            f"a credit note of {format_pounds(amount_pence)} exceeds the "
            f"{format_pounds(creditable_pence)} the invoice charged less credit notes already issued"
        )
    return refusals


def credit_note_effect(debt: DebtPosition, amount_pence: Pence) -> CreditNoteEffect:
    """How a valid credit note comes off the debt: latest unpaid instalment first, and what it corrects beyond
    what is still owed becomes a credit."""
    if amount_pence <= 0:
        raise ValueError("a credit note must be for more than nil")
    owed_part = min(amount_pence, debt.outstanding_pence)
    reductions = tuple(credit_note_reductions(debt, owed_part)) if owed_part else ()
    return CreditNoteEffect(reductions, amount_pence - owed_part)


def credit_note_reductions(debt: DebtPosition, amount_pence: Pence) -> list[CreditNoteReduction]:
    """The lines a credit note of up to what is owed takes off: latest unpaid instalment first."""
    if not 0 < amount_pence <= debt.outstanding_pence:
        raise ValueError("the reduction must be positive and within what is still owed")
    return [
        CreditNoteReduction(r.number, r.amount_pence) for r in reductions_latest_first(debt, amount_pence)
    ]
