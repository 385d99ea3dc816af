"""A payment an officer takes at the council's counter (cash, or a card on the counter's terminal), as billing
decides whether to take it: for more than nil, directed only to the customer's own debts, and once per receipt.

The receipt the officer gives the payer is the payment's reference: the same receipt recorded again (a page
sent twice, a retry after a timeout) is the same payment and changes nothing; a different payment under a
receipt already used is refused, as the receipt would then prove two payments. Where the money goes is billing's
ordinary allocation (services/billing/payments.py): the customer's direction when they name debts (Derby
Corporate Debt Policy: a debtor may say which debt a payment is for), else the debt hierarchy.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal
from uuid import UUID

CounterMethod = Literal["cash", "card"]
"""How the payer paid at the counter; each is one of billing's council channels (payment_file.CHANNELS), so a
counter receipt that also comes in the cash office's file under the same reference is applied once."""

COUNTER_METHODS: tuple[CounterMethod, ...] = ("cash", "card")


@dataclass(frozen=True)
class CounterPayment:
    """What the officer recorded: the receipt, how and how much was paid, and the debts the payer named."""

    receipt_reference: str
    method: str
    amount_pence: int
    customer_id: UUID
    directed_to: tuple[UUID, ...] = ()


class CounterPaymentRefused(ValueError):
    """Billing does not take the payment as recorded; the reason is fit to show the officer."""


def refusal_of(payment: CounterPayment, customers_debts: Collection[UUID]) -> str | None:
    """Why billing cannot take the payment (None when it can): nil or less, a method the counter does not take,
    a debt named twice or not the customer's."""
    if payment.amount_pence <= 0:
        return "a counter payment must be for more than nil"
    if payment.method not in COUNTER_METHODS:
        return f"the counter takes {' or '.join(COUNTER_METHODS)}, not {payment.method!r}"
    if not payment.receipt_reference.strip():
        return "a counter payment needs the receipt reference given to the payer"
    if len(set(payment.directed_to)) != len(payment.directed_to):
        return "each debt is named once"
    strangers = [str(d) for d in payment.directed_to if d not in customers_debts]
    if strangers:
        return f"not a debt of customer {payment.customer_id}: {', '.join(strangers)}"
    return None


def same_payment(recorded: CounterPayment, again: CounterPayment) -> bool:
    """Whether a receipt recorded again is the payment already recorded under it (then nothing changes)."""
    return (
        recorded.method == again.method
        and recorded.amount_pence == again.amount_pence
        and recorded.customer_id == again.customer_id
        and sorted(recorded.directed_to) == sorted(again.directed_to)
    )


def directions(directed_to: Sequence[UUID]) -> tuple[UUID, ...]:
    """The debts named, in the payer's order (allocation follows it)."""
    return tuple(directed_to)
