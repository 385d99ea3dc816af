"""Over the real broker and database: a debt that comes to belong to the person in breathing space after the
search is held at once and reported back. The scenario of issue 13: a standard space notified for council tax
only; the person also owes a sundry invoice raised against a new customer record (a slightly different address),
which billing flags as a possible match and a billing officer confirms: billing's `customer.match_resolved`
brings the invoice into the moratorium, whichever of billing's events arrives first; so does billing's
`debt.transferred` of a debt to the person."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from shared.contracts.billing import CustomerMatchResolved, DebtTransferred
from shared.contracts.breathing_space import (
    BreathingSpaceDebtsAdded,
    BreathingSpaceHoldStarted,
    DebtsReportedBack,
)
from tests.council_bus import eventually, fetch_value, publish
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


async def merged(customer_id) -> bool:
    found = await fetch_value(
        "SELECT count(*) FROM breathing_space.customer_merge WHERE merged_customer_id = $1", customer_id
    )
    return found == 1


def confirmed_by_a_billing_officer(provisional, person, moved) -> CustomerMatchResolved:
    return CustomerMatchResolved(
        review_id=uuid4(),
        customer_id=provisional,
        outcome="confirmed",
        confirmed_customer_id=person,
        moved_debt_ids=moved,
        decided_by="revenues-officer-3",
    )


async def a_moratorium_on_council_tax_only():
    person = a_person()
    customer = await register(person)
    reference = f"CT-{str(customer)[:8].upper()}"
    council_tax = await raise_debt([customer], "council_tax", reference, 84_217)
    await eventually(lambda: known(council_tax), bool)
    moratorium = a_moratorium_reference()
    document = notification(
        "new_standard_breathing_space",
        moratorium,
        person,
        [(reference, "council_tax", 84_217)],
        start_date=date(2026, 5, 4),
    )
    return customer, council_tax, moratorium, document


async def test_a_debt_a_billing_officer_confirms_is_the_persons_is_held_and_reported_back(breathing_space):
    customer, council_tax, moratorium, document = await a_moratorium_on_council_tax_only()
    provisional = uuid4()  # billing's new record for the same person, at a slightly different address
    invoice = await raise_debt([provisional], "sundry", f"INV-{provisional.hex[:8]}", 12_500)
    await eventually(lambda: known(invoice), bool)
    async with BusListener() as bus:
        await send_to_notifications_queue(document)
        [started] = await bus.wait_for(BreathingSpaceHoldStarted, moratorium)
        assert started.debt_ids == [council_tax]

        await publish(confirmed_by_a_billing_officer(provisional, customer, [invoice]), producer="billing")
        [added] = await bus.wait_for(BreathingSpaceDebtsAdded, moratorium)
        [reported] = await bus.wait_for(DebtsReportedBack, moratorium)
    assert added.debt_ids == [invoice] and added.hold_version == 2
    assert reported.debt_ids == [invoice]


async def test_a_confirmed_match_overtaking_billing_s_debt_event_still_brings_the_debt_in(breathing_space):
    customer, _council_tax, moratorium, document = await a_moratorium_on_council_tax_only()
    provisional, invoice = uuid4(), uuid4()
    async with BusListener() as bus:
        await send_to_notifications_queue(document)
        await bus.wait_for(BreathingSpaceHoldStarted, moratorium)
        await publish(confirmed_by_a_billing_officer(provisional, customer, [invoice]), producer="billing")
        await eventually(lambda: merged(provisional), bool)
        # The debt event, raised against the provisional record, arrives after the decision (another queue).
        late = await raise_debt([provisional], "sundry", f"INV-{provisional.hex[:8]}", 12_500)
        [added] = await bus.wait_for(BreathingSpaceDebtsAdded, moratorium)
        [reported] = await bus.wait_for(DebtsReportedBack, moratorium)
    assert added.debt_ids == [late] and reported.debt_ids == [late]


async def test_a_debt_billing_transfers_to_the_person_is_held_and_reported_back(breathing_space):
    customer, _council_tax, moratorium, document = await a_moratorium_on_council_tax_only()
    wrongly_billed = await register(a_person())
    invoice = await raise_debt([wrongly_billed], "sundry", f"INV-{wrongly_billed.hex[:8]}", 9_900)
    await eventually(lambda: known(invoice), bool)
    async with BusListener() as bus:
        await send_to_notifications_queue(document)
        await bus.wait_for(BreathingSpaceHoldStarted, moratorium)
        transfer = DebtTransferred(
            debt_id=invoice,
            debt_type="sundry",
            from_customer_ids=[wrongly_billed],
            to_customer_ids=[customer],
            balance_pence=9_900,
            reason="billed to the wrong person",
            transferred_by="A. Officer (revenues.officer)",
            transferred_on=date(2026, 5, 10),
        )
        await publish(transfer, producer="billing")
        [added] = await bus.wait_for(BreathingSpaceDebtsAdded, moratorium)
        [reported] = await bus.wait_for(DebtsReportedBack, moratorium)
    assert added.debt_ids == [invoice] and reported.debt_ids == [invoice]
