"""A breathing space freezes interest, fees and charges on the moratorium debt only (Debt Respite Scheme
Regulations 2020, reg 7; the moratorium debts are those owed at the application, reg 6): sums falling due after
the start for the period after it are ongoing liabilities, collectable and charged as usual (issue 13)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from services.billing.domain.breathing_space_hold import BreathingSpaceHold
from services.billing.domain.breathing_space_reversal import reversals_for_late_hold
from services.billing.domain.breathing_space_scope import (
    has_ongoing_liabilities,
    holds_freezing,
    ongoing_liabilities_pence,
    principal_by_scope,
)
from services.billing.domain.late_payment_charges import (
    LatePaymentCharge,
    LatePaymentChargeKind,
    interest_charges,
    late_fee_charge,
)
from services.billing.domain.late_payment_terms import LatePaymentTerms

TERMS = LatePaymentTerms(annual_interest_percent=Decimal("8"), late_fee_pence=40_00, fee_after_days=30)
START = date(2024, 5, 1)
# Rent instalments of £500 due on the 1st: April's is arrears at the start (the moratorium debt); May's and
# June's fall due after it for the period after it (ongoing liabilities).
SUMS = [(date(2024, 4, 1), 500_00), (date(2024, 5, 1), 500_00), (date(2024, 6, 1), 500_00)]
SCOPED = BreathingSpaceHold(START, ongoing_after=START)
WHOLE = BreathingSpaceHold(START)


def test_only_sums_due_by_the_protected_day_are_the_moratorium_debt():
    assert SCOPED.protects_sum_due(date(2024, 4, 1))
    assert SCOPED.protects_sum_due(START)  # fell due on the start: owed by then, in the breathing space
    assert not SCOPED.protects_sum_due(date(2024, 6, 1))
    assert ongoing_liabilities_pence(SUMS, SCOPED) == 500_00


def test_a_hold_without_scope_protects_the_whole_debt():
    assert all(WHOLE.protects_sum_due(due) for due, _ in SUMS)
    assert ongoing_liabilities_pence(SUMS, WHOLE) == 0
    assert not has_ongoing_liabilities(0)
    assert has_ongoing_liabilities(1_000_00)


def test_the_principal_is_grouped_by_due_date_with_the_holds_that_freeze_each_sum():
    parts = principal_by_scope([*SUMS, (date(2024, 4, 1), 0)], [SCOPED])
    assert [(p.due_date, p.principal_pence, p.frozen_by) for p in parts] == [
        (date(2024, 4, 1), 500_00, (SCOPED,)),
        (date(2024, 5, 1), 500_00, (SCOPED,)),
        (date(2024, 6, 1), 500_00, ()),
    ]


def test_interest_on_the_moratorium_debt_stops_while_an_ongoing_liability_runs_as_usual():
    [arrears, _, june] = principal_by_scope(SUMS, [SCOPED])
    on_arrears = interest_charges(
        "rent",
        arrears.principal_pence,
        TERMS,
        arrears.due_date,
        date(2024, 4, 2),
        date(2024, 6, 30),
        arrears.frozen_by,
    )
    # April's arrears: interest only before the start (2-30 April), none in the moratorium.
    assert [(c.period_start, c.period_end) for c in on_arrears] == [(date(2024, 4, 2), date(2024, 4, 30))]
    on_june = interest_charges(
        "rent",
        june.principal_pence,
        TERMS,
        june.due_date,
        date(2024, 4, 2),
        date(2024, 6, 30),
        june.frozen_by,
    )
    # June's instalment, an ongoing liability: late from 2 June and charged through the breathing space.
    assert [(c.period_start, c.period_end, c.sum_due_on) for c in on_june] == [
        (date(2024, 6, 2), date(2024, 6, 30), date(2024, 6, 1))
    ]


def test_a_late_fee_on_the_moratorium_debt_is_frozen():
    fee = late_fee_charge(
        "rent",
        TERMS,
        date(2024, 4, 1),
        date(2024, 6, 30),
        500_00,
        False,
        holds_freezing(date(2024, 4, 1), [SCOPED]),
    )
    assert fee is None  # its day (1 May) is in the moratorium and it is for the arrears


def test_a_late_hold_reverses_what_was_charged_on_the_moratorium_debt_but_not_on_an_ongoing_liability():
    on_arrears = LatePaymentCharge(
        "rent",
        LatePaymentChargeKind.INTEREST,
        date(2024, 5, 1),
        date(2024, 6, 30),
        6_58,
        500_00,
        Decimal("8"),
        sum_due_on=date(2024, 4, 1),
    )
    on_june = LatePaymentCharge(
        "rent",
        LatePaymentChargeKind.INTEREST,
        date(2024, 6, 2),
        date(2024, 6, 30),
        3_18,
        500_00,
        Decimal("8"),
        sum_due_on=date(2024, 6, 1),
    )
    before_scope = LatePaymentCharge(
        "rent",
        LatePaymentChargeKind.INTEREST,
        date(2024, 6, 2),
        date(2024, 6, 30),
        3_18,
        500_00,
        Decimal("8"),
    )
    reversed_ = reversals_for_late_hold([on_arrears, on_june, before_scope], SCOPED)
    # A charge from before sums were dated is held as on the moratorium debt: reversed.
    assert [r.charge for r in reversed_] == [on_arrears, before_scope]
    assert reversals_for_late_hold([on_june], WHOLE)[0].amount_pence == 3_18


def test_reversed_charges_come_off_their_own_lines_before_any_instalment():
    from services.billing.domain.breathing_space_reversal import reversal_reductions
    from services.billing.domain.debt_position import DebtPosition, InstalmentPosition
    from services.billing.domain.financial_year import FinancialYear
    from shared.debt_types import DebtType

    lines = (
        InstalmentPosition(1, date(2024, 4, 1), 500_00),
        InstalmentPosition(3, date(2024, 6, 1), 500_00),  # the ongoing liability, due after the charges' fee
        InstalmentPosition(4, date(2024, 7, 1), 19_94),  # interest
        InstalmentPosition(5, date(2024, 5, 1), 40_00),  # the fee
    )
    rent = DebtPosition("rent", DebtType.COMMERCIAL_PROPERTY_RENT, FinancialYear.parse("2024/25"), lines)
    assert [(r.number, r.amount_pence) for r in reversal_reductions(rent, [4, 5], 53_47)] == [
        (4, 19_94),
        (5, 33_53),
    ]
    # What of them had been paid comes off the other lines, latest first; beyond everything owed, nothing.
    assert [(r.number, r.amount_pence) for r in reversal_reductions(rent, [4, 5], 70_00)] == [
        (4, 19_94),
        (5, 40_00),
        (3, 10_06),
    ]
