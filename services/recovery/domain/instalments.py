"""The instalments of one debt for one financial year, as recovery knows them from billing's events.

Pure: built from facts (the schedule on `billing.debt.raised`, `billing.instalment.fell_due`, the allocations of
`billing.payment.allocated`), never from the order they arrived in. Payments are applied in a canonical order
(the day paid, then the payment's id), so the same facts always give the same ledger, whatever the arrival order.

An instalment is late only once its day has passed (CT reg 23(1), Sch 1 Part I): paid on its due date it is paid
in time; the first day it can be in default is the day after.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from shared.money import Pence


@dataclass(frozen=True)
class Instalment:
    """One instalment of the demand notice's schedule."""

    number: int
    due_date: date
    amount: Pence


@dataclass(frozen=True)
class InstalmentPayment:
    """Money billing allocated to this debt, towards a named instalment or (None) the earliest unpaid ones."""

    payment_id: str
    paid_on: date
    amount: Pence
    instalment_number: int | None = None


@dataclass(frozen=True)
class InstalmentLedger:
    """The year's instalments and the payments towards them; every question is asked as of a day."""

    financial_year: str
    instalments: tuple[Instalment, ...] = ()
    payments: tuple[InstalmentPayment, ...] = field(default=())

    def with_instalments(self, schedule: tuple[Instalment, ...] | list[Instalment]) -> InstalmentLedger:
        """The ledger with these instalments added; an instalment already known keeps the schedule's figures
        (billing's schedule outranks a later `fell_due` that only states what was outstanding)."""
        known = {i.number: i for i in self.instalments}
        for instalment in schedule:
            known.setdefault(instalment.number, instalment)
        return replace(self, instalments=tuple(sorted(known.values(), key=lambda i: (i.due_date, i.number))))

    def with_payment(self, payment: InstalmentPayment) -> InstalmentLedger:
        """The ledger with this payment; the same payment told twice counts once."""
        if any(p.payment_id == payment.payment_id for p in self.payments):
            return self
        ordered = sorted((*self.payments, payment), key=lambda p: (p.paid_on, p.payment_id))
        return replace(self, payments=tuple(ordered))

    def falling_due_after(self, day: date) -> InstalmentLedger:
        """The instalments falling due after `day` and the money paid towards them (named to one of them, or
        paid after `day`): in a breathing space, the ongoing liabilities and what the person paid to keep up."""
        later = tuple(i for i in self.instalments if i.due_date > day)
        numbers = {i.number for i in later}
        payments = tuple(
            p
            for p in self.payments
            if p.instalment_number in numbers or (p.instalment_number is None and p.paid_on > day)
        )
        return replace(self, instalments=later, payments=payments)

    @property
    def charge(self) -> Pence:
        """The year's charge: every instalment together."""
        return sum(i.amount for i in self.instalments)

    def paid_towards(self, through: date) -> dict[int, Pence]:
        """How much of each instalment had been paid by the end of `through`.

        A payment for a named instalment pays it first and any excess the earliest unpaid ones; an unnamed
        payment pays the earliest unpaid ones (billing's rule: instalments first, in order).
        """
        paid = {i.number: 0 for i in self.instalments}
        amounts = {i.number: i.amount for i in self.instalments}
        for payment in self.payments:
            if payment.paid_on > through:
                break
            left = payment.amount
            if payment.instalment_number in paid:
                number = payment.instalment_number
                share = min(left, amounts[number] - paid[number])
                paid[number] += share
                left -= share
            for instalment in self.instalments:
                if left <= 0:
                    break
                share = min(left, amounts[instalment.number] - paid[instalment.number])
                paid[instalment.number] += share
                left -= share
        return paid

    def paid_in_total(self, through: date) -> Pence:
        """Everything paid by the end of `through` (money beyond the charge included)."""
        return sum(p.amount for p in self.payments if p.paid_on <= through)

    def unpaid_of(self, number: int, through: date) -> Pence:
        """What was still owed on instalment `number` at the end of `through`."""
        instalment = next(i for i in self.instalments if i.number == number)
        return instalment.amount - self.paid_towards(through)[number]

    def in_default_on(self, day: date) -> tuple[Instalment, ...]:
        """Instalments whose due date has passed before `day` and that were not paid in full on their due date.

        Only days before `day` count, so a payment made on `day` itself (arriving before or after the daily run)
        never changes what the run for `day` decides.
        """
        return tuple(
            i for i in self.instalments if i.due_date < day and self.unpaid_of(i.number, i.due_date) > 0
        )

    def due_and_unpaid(self, falling_due_by: date, through: date) -> Pence:
        """The instalments due on or before `falling_due_by` still unpaid at the end of `through`."""
        paid = self.paid_towards(through)
        return sum(i.amount - paid[i.number] for i in self.instalments if i.due_date <= falling_due_by)

    def balance_unpaid(self, through: date) -> Pence:
        """The year's charge less everything paid by the end of `through` (never below nothing)."""
        return max(self.charge - self.paid_in_total(through), 0)
