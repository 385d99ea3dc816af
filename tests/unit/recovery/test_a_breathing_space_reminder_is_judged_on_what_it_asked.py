"""A reminder sent in a breathing space asks only for the ongoing liabilities (the creditor guidance; DOMAIN.md 7).
Once the breathing space ends it is judged on what it asked for: paid, nothing follows from it, and the arrears
that were frozen get a reminder of their own (CT regs 1992, reg 23); it is never read as a reminder for the
arrears that the person could not lawfully be asked to pay."""

from __future__ import annotations

from datetime import date

from services.recovery.domain.instalments import Instalment, InstalmentLedger, InstalmentPayment
from services.recovery.domain.policy import StepKind
from services.recovery.domain.regulated_path import (
    IssuedNotice,
    RegulatedStatus,
    RegulatedTerms,
    next_regulated_step,
)

TERMS = RegulatedTerms(reminder_days=30, second_reminder_days=45, final_notice_days=30, summons_days=14)
START = date(2026, 4, 20)  # the breathing space starts: April's unpaid instalment is the moratorium debt
INSTALMENT = 150_00
MONTHS = [date(2026, m, 1) for m in range(4, 13)] + [date(2027, 1, 1)]  # April to January
YEAR = tuple(Instalment(n, due, INSTALMENT) for n, due in enumerate(MONTHS, start=1))
# The person pays May's and June's instalments late, after the reminder about them, and never April's; billing
# allocates each payment to the ongoing instalment it pays.
LEDGER = (
    InstalmentLedger("2026/27", YEAR)
    .with_payment(InstalmentPayment("p1", date(2026, 6, 2), INSTALMENT, instalment_number=2))
    .with_payment(InstalmentPayment("p2", date(2026, 6, 2), INSTALMENT, instalment_number=3))
)
REMINDER_IN_THE_SPACE = IssuedNotice(StepKind.REMINDER, date(2026, 5, 31), ongoing_after=START)
THE_DAY_AFTER_THE_END = date(2026, 6, 20)


def test_a_paid_breathing_space_reminder_does_not_fail_on_the_frozen_arrears() -> None:
    decision = next_regulated_step(TERMS, LEDGER, (REMINDER_IN_THE_SPACE,), THE_DAY_AFTER_THE_END)
    assert decision.kind is not StepKind.SUMMONS, decision.reason


def test_after_the_end_the_frozen_arrears_get_a_reminder_of_their_own() -> None:
    decision = next_regulated_step(TERMS, LEDGER, (REMINDER_IN_THE_SPACE,), THE_DAY_AFTER_THE_END)
    assert decision.status is RegulatedStatus.DUE
    # The breathing space reminder was the year's first (reg 23(4) counts it), so this is the second.
    assert decision.kind is StepKind.SECOND_REMINDER
    assert [i.number for i in decision.instalments_asked] == [1]
    assert decision.amount_asked == INSTALMENT


def test_a_breathing_space_reminder_left_unpaid_still_makes_the_balance_payable() -> None:
    unpaid = InstalmentLedger("2026/27", YEAR)
    decision = next_regulated_step(TERMS, unpaid, (REMINDER_IN_THE_SPACE,), THE_DAY_AFTER_THE_END)
    assert decision.kind is StepKind.SUMMONS
    assert decision.balance_payable_from == date(2026, 6, 14)  # failure on D+7, payable on D+14 (reg 23(3))
