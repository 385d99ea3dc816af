"""A revised end date, or an amendment arriving after the hold ended, is broadcast again and applied: each service
applies the highest hold version, so a later `hold.ended` restates the last protected day, a `hold.started` after
an end puts the hold back in force, and debts added after the end are held (so what was done on them inside the
period is voided) and ended again."""

from __future__ import annotations

from datetime import date
from typing import TypeVar
from uuid import uuid4

from services.breathing_space.customers_and_debts import customers_registered, debts_raised
from services.breathing_space.expiry import daily_run
from services.breathing_space.moratoria import bring_moratorium_up_to_date
from shared.contracts.breathing_space import (
    BreathingSpaceDebtsAdded,
    BreathingSpaceHoldEnded,
    BreathingSpaceHoldStarted,
)
from shared.contracts.envelope import Contract
from shared.contracts.recovery import DailyRunRequested
from tests.unit.breathing_space.in_memory_stores import InMemoryBreathingSpace
from tests.unit.breathing_space.notification_documents import MORATORIUM, crisis_start, notification
from tests.unit.breathing_space.test_holding_every_debt_billing_announces import (
    STARTS_ON,
    a_notified_moratorium_for_a_known_customer,
    delivered,
    joanne,
    raised,
)

M = TypeVar("M", bound=Contract)


def sent(council: InMemoryBreathingSpace, kind: type[M]) -> list[M]:
    """The messages of one contract the service published, in order."""
    return [m for m in council.published.of_type(kind) if isinstance(m, kind)]


async def held_council_tax() -> InMemoryBreathingSpace:
    council, customer = await a_notified_moratorium_for_a_known_customer()
    await debts_raised(
        [delivered(raised(customer, "CT-40012345", "council_tax", date(2024, 4, 1)))], council.handling()
    )
    return council


async def arrives(council: InMemoryBreathingSpace, notice: object, today: date) -> None:
    council.today = today
    await council.notified(notice)  # type: ignore[arg-type]
    await bring_moratorium_up_to_date(council.handling(), MORATORIUM, today)


def ended_early(on: date, version: int = 1, issued_on: date = date(2025, 3, 20)) -> object:
    return notification("ended_early", "N-END", version=version, ended_on=on, issued_on=issued_on)


async def test_an_end_revised_later_after_the_hold_ended_puts_the_hold_back_in_force() -> None:
    council = await held_council_tax()
    await arrives(council, ended_early(date(2025, 3, 15)), date(2025, 3, 20))
    [ended] = sent(council, BreathingSpaceHoldEnded)
    assert ended.last_protected_day == date(2025, 3, 15) and ended.hold_version == 2

    await arrives(council, ended_early(date(2025, 4, 15), version=2), date(2025, 3, 25))

    restated = sent(council, BreathingSpaceHoldStarted)[-1]
    assert isinstance(restated, BreathingSpaceHoldStarted)
    assert restated.hold_version == 3 and restated.restates_hold_version == 2
    assert restated.expected_end_on == date(2025, 4, 15) and restated.debt_ids == ended.debt_ids
    assert restated.starts_on == STARTS_ON and restated.scope, "every debt with its scope"
    await daily_run(DailyRunRequested(business_date=date(2025, 4, 16)), council.handling())
    final = sent(council, BreathingSpaceHoldEnded)[-1]
    assert isinstance(final, BreathingSpaceHoldEnded)
    assert final.last_protected_day == date(2025, 4, 15) and final.hold_version == 4


async def test_an_end_revised_after_the_hold_ended_and_already_passed_restates_the_last_day() -> None:
    council = await held_council_tax()
    await arrives(council, ended_early(date(2025, 3, 15)), date(2025, 3, 30))
    await arrives(council, ended_early(date(2025, 3, 22), version=2), date(2025, 3, 30))

    first, second = sent(council, BreathingSpaceHoldEnded)
    assert isinstance(second, BreathingSpaceHoldEnded)
    assert second.last_protected_day == date(2025, 3, 22) and second.hold_version == first.hold_version + 1
    assert sent(council, BreathingSpaceHoldStarted)[-1].hold_version == 1  # never restarted


async def test_the_same_end_notified_again_broadcasts_nothing() -> None:
    council = await held_council_tax()
    await arrives(council, ended_early(date(2025, 3, 15)), date(2025, 3, 20))
    before = len(council.published.messages)
    await bring_moratorium_up_to_date(council.handling(), MORATORIUM, date(2025, 3, 21))
    assert len(council.published.messages) == before


async def test_debts_added_after_the_hold_ended_are_held_then_ended_again() -> None:
    council = await held_council_tax()
    await arrives(council, ended_early(date(2025, 3, 15)), date(2025, 3, 20))
    [customer] = council.moratoria.records[MORATORIUM].progress.customer_ids
    rent = raised(customer, "FTA-0055120", "former_tenant_rent_arrears", date(2024, 9, 1))
    await debts_raised([delivered(rent)], council.handling())  # an ended hold takes in no news from billing
    assert sent(council, BreathingSpaceDebtsAdded) == []

    added_late = notification(
        "debts_added",
        "N-ADD",
        added_on=date(2025, 3, 12),
        issued_on=date(2025, 3, 12),
        debts=[{"creditor_reference": "FTA-0055120", "debt_type": "former_tenant_rent_arrears"}],
    )
    await arrives(council, added_late, date(2025, 3, 24))

    [added] = sent(council, BreathingSpaceDebtsAdded)
    assert isinstance(added, BreathingSpaceDebtsAdded) and added.debt_ids == [rent.debt_id]
    again = sent(council, BreathingSpaceHoldEnded)[-1]
    assert isinstance(again, BreathingSpaceHoldEnded)
    assert again.hold_version == added.hold_version + 1 and rent.debt_id in again.debt_ids
    assert again.last_protected_day == date(2025, 3, 15)


async def test_a_crisis_treatment_end_gives_an_open_hold_its_expected_end() -> None:
    council = InMemoryBreathingSpace(today=date(2025, 3, 10))
    customer = uuid4()
    await customers_registered([delivered(joanne(customer))], council.handling())
    await debts_raised(
        [delivered(raised(customer, "CT-40012345", "council_tax", date(2024, 4, 1)))], council.handling()
    )
    await arrives(council, crisis_start(STARTS_ON), date(2025, 3, 10))
    [started] = sent(council, BreathingSpaceHoldStarted)
    assert isinstance(started, BreathingSpaceHoldStarted) and started.expected_end_on is None

    treatment = notification(
        "mental_health_crisis_treatment_ended",
        "N-TREAT",
        treatment_ended_on=date(2025, 4, 1),
        issued_on=date(2025, 4, 2),
    )
    await arrives(council, treatment, date(2025, 4, 2))

    restated = sent(council, BreathingSpaceHoldStarted)[-1]
    assert isinstance(restated, BreathingSpaceHoldStarted)
    assert restated.expected_end_on == date(2025, 5, 1) and restated.restates_hold_version == 1
    assert sent(council, BreathingSpaceHoldEnded) == []
