"""Sundry late-payment interest and fees: charged where configured, frozen by breathing space, reversed when
a hold arrives after they were charged."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from services.billing.domain.breathing_space_hold import BreathingSpaceHold
from services.billing.domain.breathing_space_reversal import reversals_for_late_hold, total_reversed
from services.billing.domain.late_payment_charges import (
    LatePaymentChargeKind,
    interest_charges,
    late_fee_charge,
    simple_interest,
)
from services.billing.domain.late_payment_terms import LatePaymentTerms

TERMS = LatePaymentTerms(annual_interest_percent=Decimal("8"), late_fee_pence=4_000, fee_after_days=30)
DUE = date(2024, 6, 1)
PRINCIPAL = 100_000  # £1,000: 8% a year is 21.92p a day


def test_simple_daily_interest_uses_the_annual_decimal_rate() -> None:
    assert simple_interest(PRINCIPAL, Decimal("8"), 365) == 8_000
    assert simple_interest(PRINCIPAL, Decimal("8"), 29) == 636  # 635.62p rounds up
    assert simple_interest(PRINCIPAL, Decimal("8.5"), 1) == 23  # 23.29p


def test_no_interest_runs_on_or_before_the_due_date() -> None:
    charges = interest_charges("inv", PRINCIPAL, TERMS, DUE, date(2024, 5, 1), DUE)
    assert charges == []
    charges = interest_charges("inv", PRINCIPAL, TERMS, DUE, date(2024, 5, 1), date(2024, 6, 2))
    assert [(c.period_start, c.period_end, c.amount_pence) for c in charges] == [
        (date(2024, 6, 2), date(2024, 6, 2), 22)
    ]


def test_interest_is_frozen_for_every_day_a_breathing_space_covers() -> None:
    hold = BreathingSpaceHold(date(2024, 6, 11), date(2024, 6, 20))
    charges = interest_charges("inv", PRINCIPAL, TERMS, DUE, DUE, date(2024, 6, 30), holds=[hold])

    assert [(c.period_start, c.period_end) for c in charges] == [
        (date(2024, 6, 2), date(2024, 6, 10)),
        (date(2024, 6, 21), date(2024, 6, 30)),
    ]
    assert [c.amount_pence for c in charges] == [197, 219]  # 9 and 10 days; the 10 held days earn nothing
    for charge in charges:
        for n in range(charge.days):
            assert not hold.covers(charge.period_start + timedelta(days=n))


def test_an_open_breathing_space_freezes_interest_until_it_ends() -> None:
    hold = BreathingSpaceHold(date(2024, 6, 11))
    charges = interest_charges("inv", PRINCIPAL, TERMS, DUE, DUE, date(2024, 12, 31), holds=[hold])
    assert [(c.period_start, c.period_end) for c in charges] == [(date(2024, 6, 2), date(2024, 6, 10))]


def test_a_late_fee_is_charged_once_when_the_debt_is_the_configured_days_overdue() -> None:
    fee_day = date(2024, 7, 1)
    assert late_fee_charge("inv", TERMS, DUE, fee_day - timedelta(days=1), PRINCIPAL, False) is None
    fee = late_fee_charge("inv", TERMS, DUE, fee_day, PRINCIPAL, False)
    assert fee is not None
    assert (fee.kind, fee.period_start, fee.amount_pence) == (LatePaymentChargeKind.LATE_FEE, fee_day, 4_000)
    assert late_fee_charge("inv", TERMS, DUE, fee_day, PRINCIPAL, already_charged=True) is None
    assert late_fee_charge("inv", TERMS, DUE, fee_day, 0, False) is None


def test_a_late_fee_falling_in_a_breathing_space_is_never_charged_even_after_it_ends() -> None:
    hold = BreathingSpaceHold(date(2024, 6, 20), date(2024, 8, 18))
    assert late_fee_charge("inv", TERMS, DUE, date(2024, 7, 1), PRINCIPAL, False, holds=[hold]) is None
    assert late_fee_charge("inv", TERMS, DUE, date(2024, 9, 1), PRINCIPAL, False, holds=[hold]) is None


def test_a_late_hold_reverses_interest_and_fees_charged_on_or_after_the_moratorium_start() -> None:
    # Billing charged interest for two periods and the fee before hearing of a moratorium from 21 June.
    early = interest_charges("inv", PRINCIPAL, TERMS, DUE, DUE, date(2024, 6, 15))
    late = interest_charges("inv", PRINCIPAL, TERMS, DUE, date(2024, 6, 16), date(2024, 6, 30))
    fee = late_fee_charge("inv", TERMS, DUE, date(2024, 7, 1), PRINCIPAL, False)
    assert fee is not None
    charged = [*early, *late, fee]
    assert [c.amount_pence for c in charged] == [307, 329, 4_000]  # 14 days, 15 days, the fee

    reversals = reversals_for_late_hold(charged, BreathingSpaceHold(date(2024, 6, 21)))

    by_start = {r.charge.period_start: (r.amount_pence, r.days_covered) for r in reversals}
    assert date(2024, 6, 2) not in by_start  # wholly before the moratorium: stands
    # 16-30 June: the 10 days from 21 June are reversed; the 5 days before keep their 110p (109.59p).
    assert by_start[date(2024, 6, 16)] == (329 - 110, 10)
    assert by_start[date(2024, 7, 1)] == (4_000, 1)
    assert total_reversed(reversals) == 219 + 4_000


def test_a_late_hold_that_has_already_ended_reverses_only_the_days_it_covered() -> None:
    charged = interest_charges("inv", PRINCIPAL, TERMS, DUE, DUE, date(2024, 6, 30))
    fee = late_fee_charge("inv", TERMS, DUE, date(2024, 7, 1), PRINCIPAL, False)
    assert fee is not None and len(charged) == 1

    reversals = reversals_for_late_hold(
        [*charged, fee], BreathingSpaceHold(date(2024, 6, 11), date(2024, 6, 20))
    )

    assert len(reversals) == 1
    assert reversals[0].charge == charged[0]
    assert reversals[0].days_covered == 10
    assert reversals[0].amount_pence == 636 - simple_interest(PRINCIPAL, Decimal("8"), 19)  # 636 - 416


@given(
    start_offset=st.integers(min_value=-20, max_value=200),
    length=st.one_of(st.none(), st.integers(min_value=0, max_value=120)),
    period=st.integers(min_value=1, max_value=150),
    principal=st.integers(min_value=1, max_value=5_000_000),
)
def test_reversing_for_a_late_hold_leaves_what_a_timely_hold_would_have_charged(
    start_offset: int, length: int | None, period: int, principal: int
) -> None:
    hold_start = DUE + timedelta(days=start_offset)
    hold = BreathingSpaceHold(hold_start, None if length is None else hold_start + timedelta(days=length))
    last_day = DUE + timedelta(days=period)
    charged = interest_charges("inv", principal, TERMS, DUE, DUE, last_day)
    timely = interest_charges("inv", principal, TERMS, DUE, DUE, last_day, holds=[hold])

    reversals = reversals_for_late_hold(charged, hold)

    charged_total = sum(c.amount_pence for c in charged)
    remaining = charged_total - total_reversed(reversals)
    assert all(0 < r.amount_pence <= r.charge.amount_pence for r in reversals)
    # Rounding is per charge, so the two may differ by at most a penny per run of days.
    assert abs(remaining - sum(c.amount_pence for c in timely)) <= len(timely) + 1
