"""Property: whatever order notifications arrive in, duplicated or not, a moratorium is never active
outside its legal period, and every order converges to the same answer."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from services.breathing_space.domain.moratorium import Moratorium
from services.breathing_space.domain.period_rules import REGULATIONS_2020

from .notification_documents import MORATORIUM, crisis_start, days, notification, standard_start

BASE = date(2025, 1, 1)


@st.composite
def histories(draw: st.DrawFn) -> tuple[bool, date, list[Any]]:
    crisis = draw(st.booleans())
    start = BASE + days(draw(st.integers(0, 60)))
    offset = st.integers(-10, 200).map(lambda n: start + days(n))
    events: list[Any] = [crisis_start(start) if crisis else standard_start(start)]
    if draw(st.booleans()):
        on = draw(offset)
        events.append(notification("debts_added", "N-ADD", added_on=on, issued_on=max(on, start)))
    if draw(st.booleans()):
        on = draw(offset)
        events.append(
            notification(
                "cancelled",
                "N-CAN",
                cancelled_on=on,
                cancelled_by="court",
                reason="x",
                issued_on=max(on, start),
            )
        )
    if draw(st.booleans()):
        on = draw(offset)
        events.append(notification("ended_early", "N-END", ended_on=on, issued_on=max(on, start)))
    if draw(st.booleans()):
        on = draw(offset)
        events.append(
            notification(
                "mental_health_crisis_treatment_ended",
                "N-TREAT",
                treatment_ended_on=on,
                issued_on=max(on, start),
            )
        )
    if draw(st.booleans()):
        on = draw(offset)
        events.append(notification("expired", "N-EXP", expired_on=on, issued_on=max(on, start)))
    if draw(st.booleans()):
        on = draw(offset)
        events.append(
            notification(
                "details_amended", "N-AM", amended_on=on, amended=["address"], issued_on=max(on, start)
            )
        )
    duplicates = draw(st.lists(st.sampled_from(events), max_size=4))
    arrival = draw(st.permutations(events + duplicates))
    return crisis, start, arrival


def _legal_last_day(crisis: bool, start: date, events: list[Any]) -> date | None:
    """The latest day the regulations could allow, and the earliest notified end, computed independently."""
    ends = [
        getattr(e, name)
        for e in events
        for name in ("cancelled_on", "ended_on", "expired_on")
        if hasattr(e, name)
    ]
    if crisis:
        treatment = [e.treatment_ended_on for e in events if hasattr(e, "treatment_ended_on")]
        ends += [t + days(REGULATIONS_2020.days_after_crisis_treatment) for t in treatment]
    else:
        ends.append(start + days(REGULATIONS_2020.standard_days))
    return min(ends) if ends else None


@settings(max_examples=300, deadline=None)
@given(histories())
def test_no_arrival_order_makes_a_moratorium_active_outside_its_legal_period(
    history: tuple[bool, date, list[Any]],
) -> None:
    crisis, start, arrival = history
    moratorium = Moratorium(MORATORIUM)
    for event in arrival:
        moratorium.apply(event)
    last = _legal_last_day(crisis, start, arrival)
    for offset in range(-5, 260):
        day = start + days(offset)
        if moratorium.is_active_on(day):
            assert day >= start
            assert last is None or day <= last
        else:
            # Never withheld inside the period either: protection is not lost by reordering.
            assert day < start or (last is not None and day > last)


@settings(max_examples=200, deadline=None)
@given(histories(), st.randoms(use_true_random=False))
def test_every_arrival_order_converges_to_the_same_moratorium(
    history: tuple[bool, date, list[Any]], rnd: Any
) -> None:
    _, _, arrival = history
    shuffled = list(arrival)
    rnd.shuffle(shuffled)
    first, second = Moratorium(MORATORIUM), Moratorium(MORATORIUM)
    for event in arrival:
        first.apply(event)
    for event in shuffled:
        second.apply(event)
    assert (first.start_date, first.end_date, first.end_reason) == (
        second.start_date,
        second.end_date,
        second.end_reason,
    )
    assert first.covered_debts() == second.covered_debts()
    assert first.debtor == second.debtor
