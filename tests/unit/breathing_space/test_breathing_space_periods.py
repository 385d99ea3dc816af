"""Period arithmetic of the Moratorium aggregate (Debt Respite Scheme Regulations 2020, regs 26 and 32)."""

from __future__ import annotations

from datetime import date

from services.breathing_space.domain.moratorium import (
    DebtSource,
    Moratorium,
    MoratoriumKind,
    MoratoriumStatus,
)
from services.breathing_space.domain.period_rules import PeriodRules

from .notification_documents import MORATORIUM, crisis_start, days, notification, standard_start

START = date(2025, 3, 1)


def _moratorium(*notifications: object, rules: PeriodRules | None = None) -> Moratorium:
    moratorium = Moratorium(MORATORIUM) if rules is None else Moratorium(MORATORIUM, rules)
    for n in notifications:
        moratorium.apply(n)  # type: ignore[arg-type]
    return moratorium


def test_a_standard_breathing_space_protects_through_the_sixtieth_day_after_its_start() -> None:
    moratorium = _moratorium(standard_start(START))
    assert moratorium.kind is MoratoriumKind.STANDARD
    assert moratorium.end_date == date(2025, 4, 30)
    assert not moratorium.is_active_on(START - days(1))
    assert moratorium.is_active_on(START)
    assert moratorium.is_active_on(date(2025, 4, 30))
    assert not moratorium.is_active_on(date(2025, 5, 1))
    assert moratorium.status(date(2025, 4, 30)) is MoratoriumStatus.ACTIVE
    assert moratorium.status(date(2025, 5, 1)) is MoratoriumStatus.EXPIRED


def test_a_council_can_count_the_standard_period_the_shorter_way() -> None:
    moratorium = _moratorium(standard_start(START), rules=PeriodRules(standard_days=59))
    assert moratorium.end_date == date(2025, 4, 29)


def test_a_crisis_breathing_space_has_no_end_until_treatment_ends() -> None:
    moratorium = _moratorium(crisis_start(START))
    assert moratorium.kind is MoratoriumKind.MENTAL_HEALTH_CRISIS
    assert moratorium.end_date is None
    assert moratorium.is_active_on(START + days(400))


def test_a_crisis_breathing_space_ends_thirty_days_after_treatment_ends() -> None:
    treatment_ended = notification(
        "mental_health_crisis_treatment_ended",
        "N-TREAT",
        treatment_ended_on=date(2025, 6, 13),
        issued_on=date(2025, 6, 16),
    )
    moratorium = _moratorium(crisis_start(START), treatment_ended)
    assert moratorium.end_date == date(2025, 7, 13)
    assert moratorium.is_active_on(date(2025, 7, 13))
    assert not moratorium.is_active_on(date(2025, 7, 14))


def test_a_late_notification_still_holds_from_the_start_date() -> None:
    late = standard_start(START, issued_on=START + days(20))
    moratorium = _moratorium(late)
    assert moratorium.is_active_on(START)
    assert moratorium.end_date == START + days(60)
    assert moratorium.covered_debts()[0].held_from == START


def test_a_notification_arriving_after_the_period_shows_an_expired_space() -> None:
    moratorium = _moratorium(standard_start(START, issued_on=START + days(90)))
    assert moratorium.status(START + days(90)) is MoratoriumStatus.EXPIRED
    assert moratorium.is_active_on(START + days(10))


def test_a_cancelled_space_protects_only_up_to_the_cancellation_date() -> None:
    cancelled = notification(
        "cancelled",
        "N-CANCEL",
        cancelled_on=date(2025, 3, 20),
        cancelled_by="court",
        reason="Unfair prejudice to the creditor",
        issued_on=date(2025, 3, 20),
    )
    moratorium = _moratorium(standard_start(START), cancelled)
    assert moratorium.end_date == date(2025, 3, 20)
    assert moratorium.is_active_on(date(2025, 3, 20))
    assert not moratorium.is_active_on(date(2025, 3, 21))
    assert moratorium.status(date(2025, 3, 21)) is MoratoriumStatus.CANCELLED


def test_a_space_ended_early_stops_on_the_day_notified() -> None:
    ended = notification("ended_early", "N-END", ended_on=date(2025, 4, 9), issued_on=date(2025, 4, 10))
    moratorium = _moratorium(standard_start(START), ended)
    assert moratorium.end_date == date(2025, 4, 9)
    assert moratorium.status(date(2025, 4, 10)) is MoratoriumStatus.ENDED_EARLY


def test_an_expiry_notice_cannot_extend_a_standard_space_beyond_its_legal_period() -> None:
    expiry = notification("expired", "N-EXP", expired_on=START + days(75), issued_on=START + days(75))
    moratorium = _moratorium(standard_start(START), expiry)
    assert moratorium.end_date == START + days(60)
    assert not moratorium.is_active_on(START + days(61))


def test_debts_added_later_are_held_from_the_date_added_but_charges_frozen_from_the_start() -> None:
    added_on = START + days(19)
    added = notification(
        "debts_added",
        "N-ADD",
        added_on=added_on,
        issued_on=added_on,
        debts=[{"creditor_reference": "HBOP-778812", "debt_type": "housing_benefit_overpayment"}],
    )
    moratorium = _moratorium(standard_start(START), added)
    debt = next(d for d in moratorium.covered_debts() if d.creditor_reference == "HBOP-778812")
    assert debt.source is DebtSource.ADDED
    assert debt.held_from == added_on
    assert debt.charges_frozen_from == START
    assert not moratorium.is_debt_held_on("HBOP-778812", added_on - days(1))
    assert moratorium.is_debt_held_on("HBOP-778812", added_on)
    assert moratorium.are_charges_frozen_on("HBOP-778812", START + days(1))
    # The added debt still ends with the moratorium, not 60 days after it was added.
    assert not moratorium.is_debt_held_on("HBOP-778812", START + days(61))


def test_debts_found_by_the_councils_search_are_covered_once_reported_back() -> None:
    reported = notification(
        "debts_reported_back",
        "DCC-1",
        reported_on=START + days(2),
        issued_on=START + days(2),
        creditor_name="Derby City Council",
        debts=[{"creditor_reference": "INV-1", "debt_type": "sundry", "amount_pence": 12500}],
    )
    moratorium = _moratorium(standard_start(START), reported)
    assert {d.creditor_reference for d in moratorium.covered_debts()} == {"CT-40012345", "INV-1"}
    assert moratorium.is_debt_held_on("INV-1", START + days(2))


def test_a_debt_notified_at_the_start_and_again_later_keeps_its_start_date() -> None:
    again = notification("debts_added", "N-ADD", added_on=START + days(5), issued_on=START + days(5))
    moratorium = _moratorium(standard_start(START), again)
    [debt] = moratorium.covered_debts()
    assert debt.held_from == START
    assert debt.source is DebtSource.NOTIFIED_AT_START


def test_amended_details_replace_the_debtor_as_held() -> None:
    amended = notification(
        "details_amended", "N-AMEND", amended_on=START + days(3), issued_on=START + days(3), amended=["name"]
    )
    amended = amended.model_copy(update={"debtor": amended.debtor.model_copy(update={"surname": "Brown"})})
    moratorium = _moratorium(standard_start(START), amended)
    assert moratorium.debtor is not None and moratorium.debtor.surname == "Brown"


def test_treatment_ended_on_a_standard_space_is_ignored_and_flagged() -> None:
    treatment = notification(
        "mental_health_crisis_treatment_ended", "N-T", treatment_ended_on=START + days(1)
    )
    moratorium = _moratorium(standard_start(START), treatment)
    assert moratorium.end_date == START + days(60)
    assert moratorium.anomalies()
