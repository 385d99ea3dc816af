"""Derby App.1 §7 (DOMAIN.md 9): an insolvency write-off reaches only the debt owed up to the date of the order.
An officer deciding a write-off for insolvency from the decision tray states the order's date and what was owed on
it; the request is for that amount (issue 19)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from services.recovery.domain.case import RecoveryCaseState
from services.recovery.domain.debt_types import DebtType
from services.recovery.domain.escalation import WriteOffReason
from services.recovery.domain.exhausted_timetable import (
    DecisionAsked,
    DecisionMade,
    ExhaustedDecision,
    ExhaustedDecisionError,
    InsolvencyOrder,
    decide,
)

from .timetable_walk import shipped_policy

TODAY = date(2026, 9, 1)
ORDER = date(2026, 6, 15)


def _rent(balance: int = 45_000) -> RecoveryCaseState:
    return RecoveryCaseState(
        case_id="r1", debt_type=DebtType.COUNCIL_HOUSING_RENT, due_date=date(2026, 5, 1), balance=balance
    )


def _write_off(**kwargs: Any) -> DecisionAsked:
    return DecisionAsked(
        ExhaustedDecision.WRITE_OFF,
        notes="bankruptcy order made by Derby County Court",
        write_off_reason=WriteOffReason.INSOLVENCY,
        **kwargs,
    )


def _decide(asked: DecisionAsked, balance: int = 45_000) -> DecisionMade:
    return decide(
        shipped_policy("derby", "council_housing_rent"), _rent(balance), asked, TODAY, awaiting=True
    )


def test_an_insolvency_write_off_states_the_orders_date_and_what_was_owed_on_it():
    made = _decide(_write_off(insolvency_order_date=ORDER, owed_at_order_date_pence=40_000))
    assert made.insolvency == InsolvencyOrder(ORDER, 40_000)
    assert made.write_off_reason is WriteOffReason.INSOLVENCY


@pytest.mark.parametrize(
    ("given", "missing"),
    [
        ({}, "insolvency_order_date and owed_at_order_date_pence"),
        ({"insolvency_order_date": ORDER}, "owed_at_order_date_pence"),
        ({"owed_at_order_date_pence": 40_000}, "insolvency_order_date"),
    ],
)
def test_an_insolvency_write_off_without_the_order_is_refused(given: dict[str, Any], missing: str):
    with pytest.raises(ExhaustedDecisionError, match=f"needs {missing}: only the debt owed up to the date"):
        _decide(_write_off(**given))


def test_more_owed_on_the_order_date_than_is_owed_now_is_refused():
    with pytest.raises(
        ExhaustedDecisionError, match=r"£450\.01 owed on the date of the order is more than the £450\.00"
    ):
        _decide(_write_off(insolvency_order_date=ORDER, owed_at_order_date_pence=45_001))


def test_the_whole_balance_may_be_what_was_owed_on_the_order_date():
    made = _decide(_write_off(insolvency_order_date=ORDER, owed_at_order_date_pence=45_000))
    assert made.insolvency == InsolvencyOrder(ORDER, 45_000)


def test_nothing_owed_on_the_order_date_is_refused():
    with pytest.raises(ExhaustedDecisionError, match=r"more than £0\.00"):
        _decide(_write_off(insolvency_order_date=ORDER, owed_at_order_date_pence=0))


def test_an_order_dated_after_today_is_refused():
    with pytest.raises(ExhaustedDecisionError, match="after today"):
        _decide(_write_off(insolvency_order_date=date(2026, 9, 2), owed_at_order_date_pence=40_000))


def test_an_order_goes_only_with_a_write_off_for_insolvency():
    asked = DecisionAsked(
        ExhaustedDecision.WRITE_OFF,
        notes="untraceable",
        write_off_reason=WriteOffReason.ABSCONDED_UNTRACEABLE,
        insolvency_order_date=ORDER,
        owed_at_order_date_pence=40_000,
    )
    with pytest.raises(ExhaustedDecisionError, match="only with a write-off for insolvency"):
        _decide(asked)
    with pytest.raises(ExhaustedDecisionError, match="only with a write-off for insolvency"):
        _decide(DecisionAsked(ExhaustedDecision.ARRANGEMENT, insolvency_order_date=ORDER))


def test_other_write_off_reasons_need_no_order():
    asked = DecisionAsked(
        ExhaustedDecision.WRITE_OFF, notes="gone away", write_off_reason=WriteOffReason.ABSCONDED_UNTRACEABLE
    )
    assert _decide(asked).insolvency is None
