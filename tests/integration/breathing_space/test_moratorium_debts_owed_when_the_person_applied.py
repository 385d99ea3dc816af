"""Over the real broker and database: the debts a moratorium covers are those owed on the date the person
applied (Debt Respite Scheme regulations 2020, reg 6), not the date the council searched. A debt raised after the
application date is an ongoing liability and is not held; one raised on or before it is held and reported back,
however late billing announces it."""

from __future__ import annotations

import asyncio
from datetime import date

from shared.contracts.breathing_space import (
    BreathingSpaceDebtsAdded,
    BreathingSpaceHoldStarted,
    DebtsReportedBack,
)
from tests.council_bus import eventually
from tests.integration.breathing_space.council import (
    BusListener,
    a_moratorium_reference,
    a_person,
    notification,
    raise_debt,
    register,
    send_to_notifications_queue,
)
from tests.integration.breathing_space.council import (
    known_to_breathing_space as known,
)

APPLIED_ON = date(2026, 4, 20)
STARTS_ON = date(2026, 5, 4)  # the business date of these tests is 10 May 2026: the council searches then


async def test_a_debt_raised_after_the_application_date_is_not_held_but_one_owed_then_is(breathing_space):
    person = a_person()
    customer = await register(person)
    reference = f"CT-{str(customer)[:8].upper()}"
    council_tax = await raise_debt([customer], "council_tax", reference, 84_217, raised_on=date(2026, 3, 10))
    owed_when_applied = await raise_debt(
        [customer], "sundry", f"INV-A-{customer.hex[:6]}", 12_500, APPLIED_ON
    )
    # Raised after she applied, before the space started and before the council searched: ongoing liability.
    after_applying = await raise_debt(
        [customer], "sundry", f"INV-B-{customer.hex[:6]}", 9_000, raised_on=date(2026, 4, 28)
    )
    for debt in (council_tax, owed_when_applied, after_applying):
        await eventually(lambda debt=debt: known(debt), bool)
    moratorium = a_moratorium_reference()
    async with BusListener() as bus:
        await send_to_notifications_queue(
            notification(
                "new_standard_breathing_space",
                moratorium,
                person,
                [(reference, "council_tax", 84_217)],
                start_date=STARTS_ON,
                application_date=APPLIED_ON,
            )
        )
        [started] = await bus.wait_for(BreathingSpaceHoldStarted, moratorium)
        [reported] = await bus.wait_for(DebtsReportedBack, moratorium)

        # Billing announces, after the search, a debt she owed when she applied: held and reported back.
        late = await raise_debt(
            [customer], "housing_benefit_overpayment", f"HB-{customer.hex[:6]}", 30_000, APPLIED_ON
        )
        [added] = await bus.wait_for(BreathingSpaceDebtsAdded, moratorium)
        # ... and one raised after she applied: not held.
        await raise_debt([customer], "sundry", f"INV-C-{customer.hex[:6]}", 4_000, raised_on=date(2026, 5, 9))
        await asyncio.sleep(1.0)
    assert set(started.debt_ids) == {council_tax, owed_when_applied}
    assert reported.debt_ids == [owed_when_applied]
    assert added.debt_ids == [late]
    assert len(bus.messages(BreathingSpaceDebtsAdded, moratorium)) == 1
