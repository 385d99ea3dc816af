"""A duplicate notification (same reference and version) changes nothing; revisions replace; order does not matter."""

from __future__ import annotations

from datetime import date

from services.breathing_space.domain.moratorium import ApplyOutcome, Moratorium, MoratoriumStatus

from .notification_documents import MORATORIUM, days, notification, standard_start

START = date(2025, 3, 1)


def _snapshot(m: Moratorium) -> tuple[object, ...]:
    return (m.kind, m.start_date, m.end_date, m.end_reason, tuple(m.covered_debts()), m.debtor)


def test_the_same_notification_twice_changes_nothing() -> None:
    moratorium = Moratorium(MORATORIUM)
    start = standard_start(START)
    assert moratorium.apply(start) is ApplyOutcome.APPLIED
    before = _snapshot(moratorium)
    assert moratorium.apply(start) is ApplyOutcome.DUPLICATE
    assert _snapshot(moratorium) == before


def test_a_higher_version_replaces_the_earlier_revision_and_a_lower_one_is_ignored() -> None:
    moratorium = Moratorium(MORATORIUM)
    v1 = notification(
        "ended_early", "N-END", version=1, ended_on=START + days(10), issued_on=START + days(10)
    )
    v2 = notification(
        "ended_early", "N-END", version=2, ended_on=START + days(12), issued_on=START + days(12)
    )
    moratorium.apply(standard_start(START))
    assert moratorium.apply(v2) is ApplyOutcome.APPLIED
    assert moratorium.apply(v1) is ApplyOutcome.STALE
    assert moratorium.end_date == START + days(12)


def test_a_revision_arriving_after_the_original_replaces_it() -> None:
    moratorium = Moratorium(MORATORIUM)
    v1 = notification("ended_early", "N-END", version=1, ended_on=START + days(10))
    v2 = notification("ended_early", "N-END", version=2, ended_on=START + days(12))
    moratorium.apply(standard_start(START))
    moratorium.apply(v1)
    assert moratorium.apply(v2) is ApplyOutcome.REVISED
    assert moratorium.end_date == START + days(12)


def test_a_notification_for_another_moratorium_is_refused() -> None:
    moratorium = Moratorium(MORATORIUM)
    other = notification("new_standard_breathing_space", "N-X", start_date=START, moratorium="BS-OTHER")
    assert moratorium.apply(other) is ApplyOutcome.WRONG_MORATORIUM
    assert moratorium.status(START) is MoratoriumStatus.AWAITING_START


def test_a_cancellation_that_overtakes_the_start_converges_to_the_same_state() -> None:
    cancel = notification(
        "cancelled",
        "N-C",
        cancelled_on=START + days(5),
        cancelled_by="debt_adviser",
        reason="Debtor not eligible",
        issued_on=START + days(5),
    )
    in_order, reordered = Moratorium(MORATORIUM), Moratorium(MORATORIUM)
    in_order.apply(standard_start(START))
    in_order.apply(cancel)
    reordered.apply(cancel)
    assert reordered.status(START) is MoratoriumStatus.AWAITING_START
    reordered.apply(standard_start(START))
    assert _snapshot(reordered) == _snapshot(in_order)
    assert reordered.status(START + days(6)) is MoratoriumStatus.CANCELLED
