"""Write-off postings and reinstatement (Derby App.1 §12).

A write-off approved by the write-off service is posted against the income code the debt was raised to. The
customer stays liable: if money arrives afterwards, the written-off amount is reinstated, the payment applied,
and any unpaid remainder referred back for enforcement.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.money import Pence, format_pounds


@dataclass(frozen=True)
class WriteOffPosting:
    """The amount taken off a debt's balance by an approved write-off, charged to the debt's income code."""

    debt_id: str
    income_code: str
    amount_pence: Pence
    reason: str


def write_off_refusals(outstanding_pence: Pence, amount_pence: Pence) -> list[str]:
    """Reasons an approved write-off cannot be posted as it stands (empty when it can)."""
    if amount_pence <= 0:
        return ["a write-off must be for more than nil"]
    if amount_pence > outstanding_pence:
        return [
            f"the write-off of {format_pounds(amount_pence)} exceeds the {format_pounds(outstanding_pence)} "
            "outstanding on the debt"
        ]
    return []


def post_write_off(
    debt_id: str, income_code: str, outstanding_pence: Pence, amount_pence: Pence, reason: str
) -> WriteOffPosting:
    """The posting for an approved write-off; raises ValueError if it would exceed the outstanding balance."""
    refusals = write_off_refusals(outstanding_pence, amount_pence)
    if refusals:
        raise ValueError(refusals[0])
    return WriteOffPosting(debt_id, income_code, amount_pence, reason)


@dataclass(frozen=True)
class Reinstatement:
    """What a payment on a written-off debt does.

    `reinstated_pence` is reversed out of the write-off back onto the debt, `applied_pence` of the payment
    pays it, `unpaid_remainder_pence` is owed again and referred back for enforcement, and `surplus_pence` is
    money beyond the written-off amount, to be treated as an overpayment.
    """

    reinstated_pence: Pence
    applied_pence: Pence
    unpaid_remainder_pence: Pence
    surplus_pence: Pence

    @property
    def refer_for_enforcement(self) -> bool:
        """True when part of the debt remains unpaid after reinstatement (Derby App.1 §12)."""
        return self.unpaid_remainder_pence > 0


def reinstate_on_payment(written_off_pence: Pence, payment_pence: Pence) -> Reinstatement:
    """Reinstate a written-off debt when `payment_pence` arrives for it."""
    if written_off_pence < 0 or payment_pence <= 0:
        raise ValueError("reinstatement needs a written-off amount and a positive payment")
    applied = min(written_off_pence, payment_pence)
    return Reinstatement(
        reinstated_pence=written_off_pence,
        applied_pence=applied,
        unpaid_remainder_pence=written_off_pence - applied,
        surplus_pence=payment_pence - applied,
    )
