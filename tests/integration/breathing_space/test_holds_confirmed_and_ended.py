"""Holds go out with a rising version; recovery, billing and the agents gateway confirm each one, and a hold some
service has not confirmed within the window is an alert on the status page. A hold ends when the business date
passes the moratorium's last protected day: start + 60 days for a standard space, treatment end + 30 for a
crisis space, sooner when cancelled or ended early; a late notification starts and ends at once."""

from __future__ import annotations

from datetime import date

from shared.contracts.breathing_space import (
    BreathingSpaceDebtsAdded,
    BreathingSpaceHoldEnded,
    BreathingSpaceHoldStarted,
    DebtsReportedBack,
)
from shared.contracts.recovery import DailyRunRequested
from tests.council_bus import eventually, fetch_value, publish
from tests.integration.breathing_space.conftest import CONFIRMATION_WINDOW_SECONDS
from tests.integration.breathing_space.council import (
    BusListener,
    a_moratorium_reference,
    a_person,
    known_to_breathing_space,
    notification,
    raise_debt,
    register,
    send_to_notifications_queue,
)
from tests.integration.breathing_space.held import (
    a_person_owing,
    a_standard_space_held,
    confirmed_by,
    on_the_status_page,
)


async def unconfirmed_for(http, moratorium: str) -> list[dict]:
    return await on_the_status_page(http, "unconfirmed_holds", moratorium)


async def test_a_hold_a_service_has_not_confirmed_in_time_is_an_alert_until_it_confirms(http):
    person, _customer, debts = await a_person_owing(("CT", "council_tax", 84_217))
    [(reference, debt)] = debts.items()
    async with BusListener() as bus:
        moratorium, started = await a_standard_space_held(bus, person, [(reference, "council_tax", 84_217)])
    await confirmed_by(moratorium, started.hold_version, [debt], "billing", "recovery")

    [alert] = await eventually(
        lambda: unconfirmed_for(http, moratorium),
        lambda found: len(found) == 1,
        timeout=CONFIRMATION_WINDOW_SECONDS + 20,
    )
    assert (
        alert["awaiting"] == ["agents_gateway"]
        and alert["change"] == "started"
        and alert["hold_version"] == 1
    )
    assert alert["waiting_seconds"] >= CONFIRMATION_WINDOW_SECONDS
    alerted = (
        "SELECT alerted_at IS NOT NULL FROM breathing_space.hold_broadcast WHERE moratorium_reference = $1"
    )
    await eventually(lambda: fetch_value(alerted, moratorium), bool)  # raised in the logs, once

    await confirmed_by(moratorium, 1, [debt], "agents_gateway")
    await eventually(lambda: unconfirmed_for(http, moratorium), lambda found: found == [])
    detail = (await http.get(f"/moratoria/{moratorium}")).json()
    assert detail["hold_versions"][0]["confirmed_by"] == ["agents_gateway", "billing", "recovery"]


async def test_a_standard_space_ends_after_its_sixtieth_day_on_the_daily_run(breathing_space):
    person, _customer, debts = await a_person_owing(("CT", "council_tax", 84_217), ("INV", "sundry", 12_500))
    notified = next(r for r in debts if r.startswith("CT"))
    async with BusListener() as bus:
        moratorium, started = await a_standard_space_held(bus, person, [(notified, "council_tax", 84_217)])
        assert started.expected_end_on == date(2026, 7, 3)

        await publish(DailyRunRequested(business_date=date(2026, 7, 3)), producer="recovery")
        await publish(DailyRunRequested(business_date=date(2026, 7, 4)), producer="recovery")
        [ended] = await bus.wait_for(BreathingSpaceHoldEnded, moratorium)
    assert ended.how == "expired"
    assert ended.last_protected_day == date(2026, 7, 3)
    assert set(ended.debt_ids) == set(debts.values())
    assert ended.hold_version == 2


async def test_a_notification_arriving_after_the_space_ended_starts_and_ends_the_hold_so_services_can_undo(
    breathing_space,
):
    person, _customer, debts = await a_person_owing(("CT", "council_tax", 84_217))
    [(reference, _debt)] = debts.items()
    async with BusListener() as bus:
        moratorium, started = await a_standard_space_held(
            bus, person, [(reference, "council_tax", 84_217)], start_date=date(2026, 3, 1)
        )
        [ended] = await bus.wait_for(BreathingSpaceHoldEnded, moratorium)
    assert started.starts_on == date(2026, 3, 1) and started.hold_version == 1
    assert ended.last_protected_day == date(2026, 4, 30) and ended.hold_version == 2


async def test_a_cancelled_space_ends_after_the_day_of_cancellation_with_the_reason(breathing_space):
    person, _customer, debts = await a_person_owing(("CT", "council_tax", 84_217))
    [(reference, debt)] = debts.items()
    async with BusListener() as bus:
        moratorium, _ = await a_standard_space_held(
            bus, person, [(reference, "council_tax", 84_217)], start_date=date(2026, 5, 1)
        )
        await send_to_notifications_queue(
            notification(
                "cancelled",
                moratorium,
                person,
                [(reference, "council_tax", 84_217)],
                cancelled_on=date(2026, 5, 8),
                cancelled_by="debt_adviser",
                reason="Sufficient funds",
            )
        )
        [ended] = await bus.wait_for(BreathingSpaceHoldEnded, moratorium)
    assert (ended.how, ended.reason, ended.last_protected_day) == (
        "cancelled",
        "Sufficient funds",
        date(2026, 5, 8),
    )
    assert ended.debt_ids == [debt]


async def test_a_crisis_space_has_no_end_until_treatment_ends_then_ends_thirty_days_later(http):
    person, _customer, debts = await a_person_owing(("CT", "council_tax", 84_217))
    [(reference, _debt)] = debts.items()
    moratorium = a_moratorium_reference()
    async with BusListener() as bus:
        await send_to_notifications_queue(
            notification(
                "new_mental_health_crisis_breathing_space",
                moratorium,
                person,
                [(reference, "council_tax", 84_217)],
                start_date=date(2026, 4, 1),
            )
        )
        [started] = await bus.wait_for(BreathingSpaceHoldStarted, moratorium)
        assert started.kind == "mental_health_crisis" and started.expected_end_on is None

        await send_to_notifications_queue(
            notification(
                "mental_health_crisis_treatment_ended",
                moratorium,
                person,
                [],
                treatment_ended_on=date(2026, 5, 5),
            )
        )
        shown = await eventually(lambda: _end_date_shown(http, moratorium), lambda end: end is not None)
        assert shown == "2026-06-04"
        await publish(DailyRunRequested(business_date=date(2026, 6, 4)), producer="recovery")
        await publish(DailyRunRequested(business_date=date(2026, 6, 5)), producer="recovery")
        [ended] = await bus.wait_for(BreathingSpaceHoldEnded, moratorium)
    assert (ended.how, ended.last_protected_day) == ("crisis_treatment_ended", date(2026, 6, 4))


async def _end_date_shown(http, moratorium: str) -> str | None:
    return next((m["end_date"] for m in await on_the_status_page(http, "open_moratoria", moratorium)), None)


async def test_debts_added_by_the_insolvency_service_extend_the_hold_and_are_not_reported_back(
    breathing_space,
):
    person = a_person()
    customer = await register(person)
    partner = await register(a_person())
    suffix = str(customer)[:8].upper()
    council_tax = await raise_debt([customer], "council_tax", f"CT-{suffix}", 84_217)
    # Billing knows the rent arrears only under the partner: found by the notified reference, not by the search.
    rent = await raise_debt([partner], "former_tenant_rent_arrears", f"FTA-{suffix}", 231_075)
    for debt in (council_tax, rent):
        await eventually(lambda debt=debt: known_to_breathing_space(debt), bool)
    async with BusListener() as bus:
        moratorium, started = await a_standard_space_held(
            bus, person, [(f"CT-{suffix}", "council_tax", 84_217)]
        )
        assert started.debt_ids == [council_tax]
        await send_to_notifications_queue(
            notification(
                "debts_added",
                moratorium,
                person,
                [(f"FTA-{suffix}", "former_tenant_rent_arrears", 231_075)],
                added_on=date(2026, 5, 9),
            )
        )
        [added] = await bus.wait_for(BreathingSpaceDebtsAdded, moratorium)
    assert added.debt_ids == [rent] and added.hold_version == 2 and added.starts_on == date(2026, 5, 4)
    assert bus.messages(DebtsReportedBack, moratorium) == []
