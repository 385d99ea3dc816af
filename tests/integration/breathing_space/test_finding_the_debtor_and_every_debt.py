"""Finding the person in breathing space among the council's customers and every debt they owe. An exact match
is applied at once; a possible match waits for an officer, on the status page, while the notified debts are held
by their reference; nobody is merged silently; debts and customers that arrive after the notification are
covered when they arrive."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from shared.contracts.billing import CustomerRegistered
from shared.contracts.breathing_space import (
    BreathingSpaceDebtsAdded,
    BreathingSpaceHoldStarted,
    DebtsReportedBack,
)
from tests.council_bus import eventually, fetch_value, publish
from tests.integration.breathing_space.conftest import PENDING_MATCH_ALERT_SECONDS
from tests.integration.breathing_space.council import (
    BusListener,
    a_moratorium_reference,
    a_person,
    raise_debt,
    register,
)
from tests.integration.breathing_space.council import (
    known_to_breathing_space as known,
)
from tests.integration.breathing_space.held import (
    a_person_owing,
    a_standard_space_held,
    notify_standard_space,
    on_the_status_page,
)


async def match_state(moratorium: str) -> str | None:
    return await fetch_value(
        "SELECT match_state FROM breathing_space.moratorium WHERE moratorium_reference = $1", moratorium
    )


async def test_a_possible_match_waits_for_an_officer_while_the_notified_debt_is_held_then_the_rest_is_covered(
    http,
):
    person, customer, debts = await a_person_owing(
        ("CT", "council_tax", 84_217),
        ("INV", "sundry", 12_500),
        registered_as=lambda person: person.model_copy(
            update={"first_names": "J", "address": a_person(postcode="DE1 2HR").address}
        ),
    )
    council_tax, sundry = debts.values()
    suffix = str(customer)[:8].upper()

    async with BusListener() as bus:
        moratorium, started = await a_standard_space_held(
            bus, person, [(f"CT-{suffix}", "council_tax", 84_217)]
        )
        assert started.debt_ids == [council_tax], "the notified debt is held at once, by its reference"
        assert started.customer_ids == [], "nobody is merged before an officer decides"
        assert await match_state(moratorium) == "pending"

        [waiting] = await on_the_status_page(http, "pending_matches", moratorium)
        [candidate] = waiting["candidates"]
        assert candidate["customer_id"] == str(customer) and not candidate["exact"]
        assert "forename matches an initial only" in candidate["reasons"]
        assert waiting["waiting_seconds"] >= 0

        confirmed = await http.post(
            f"/pending-matches/{moratorium}/confirm",
            json={"customer_ids": [str(customer)]},
        )
        assert confirmed.status_code == 200, confirmed.text
        [added] = await bus.wait_for(BreathingSpaceDebtsAdded, moratorium)
        assert added.debt_ids == [sundry] and added.hold_version == 2
        [reported] = await bus.wait_for(DebtsReportedBack, moratorium)
        assert reported.debt_ids == [sundry]

    assert await on_the_status_page(http, "pending_matches", moratorium) == []
    again = await http.post(f"/pending-matches/{moratorium}/reject", json={"reason": "second thoughts"})
    assert again.status_code == 409


async def test_an_officer_can_reject_every_candidate_and_only_a_listed_customer_can_be_confirmed(http):
    person = a_person()
    customer = await register(person.model_copy(update={"first_names": "J"}))
    await eventually(
        lambda: fetch_value("SELECT count(*) FROM breathing_space.customer WHERE customer_id = $1", customer),
        lambda n: n == 1,
    )
    moratorium = await notify_standard_space(person, [("CT-UNKNOWN", "council_tax", 100)])
    await eventually(lambda: match_state(moratorium), lambda state: state == "pending")

    stranger = await http.post(
        f"/pending-matches/{moratorium}/confirm",
        json={"customer_ids": ["00000000-0000-0000-0000-000000000001"]},
    )
    assert stranger.status_code == 422 and "not among the candidates" in stranger.json()["detail"]
    assert (await http.post(f"/pending-matches/{moratorium}/confirm", json={})).status_code == 422
    assert (
        await http.post("/pending-matches/BS-NEVER-NOTIFIED/reject", json={"reason": "x"})
    ).status_code == 404

    rejected = await http.post(f"/pending-matches/{moratorium}/reject", json={"reason": "different person"})
    assert rejected.status_code == 200
    assert await on_the_status_page(http, "pending_matches", moratorium) == []
    assert await match_state(moratorium) == "rejected"
    detail = (await http.get(f"/moratoria/{moratorium}")).json()
    assert detail["match_explanation"] == "rejected by an officer: different person"
    assert detail["held_debts"] == [] and detail["customer_ids"] == []


async def test_a_debt_raised_after_the_notification_is_held_when_billing_announces_it(breathing_space):
    person = a_person()
    moratorium = a_moratorium_reference()
    reference = f"CT-{moratorium[3:]}"
    async with BusListener() as bus:
        await notify_standard_space(person, [(reference, "council_tax", 5_000)], moratorium=moratorium)
        await eventually(lambda: match_state(moratorium), lambda state: state == "none")
        assert bus.messages(BreathingSpaceHoldStarted, moratorium) == []

        customer = await register(person)
        debt = await raise_debt([customer], "council_tax", reference, 5_000)
        [started] = await bus.wait_for(BreathingSpaceHoldStarted, moratorium)
    assert debt in started.debt_ids
    assert bus.messages(DebtsReportedBack, moratorium) == [], "the notified debt is not reported back"


async def test_a_customer_registered_after_the_notification_is_matched_and_their_other_debts_held(
    breathing_space,
):
    person = a_person()
    async with BusListener() as bus:
        moratorium = await notify_standard_space(person, [("CT-NOT-OURS", "council_tax", 5_000)])
        await eventually(lambda: match_state(moratorium), lambda state: state == "none")
        # Billing's debt event overtakes its customer event (different queues): the debt is kept, and covered
        # once the customer is known and matched.
        customer_id = uuid4()
        sundry = await raise_debt([customer_id], "sundry", f"INV-{uuid4().hex[:8]}", 7_500)
        await eventually(lambda: known(sundry), bool)
        await publish(CustomerRegistered(customer_id=customer_id, identity=person), producer="billing")
        [started] = await bus.wait_for(BreathingSpaceHoldStarted, moratorium)
        [reported] = await bus.wait_for(DebtsReportedBack, moratorium)
    assert started.customer_ids == [customer_id] and started.debt_ids == [sundry]
    assert reported.debt_ids == [sundry]
    assert await match_state(moratorium) == "exact"


async def test_a_debt_paid_off_is_not_searched_but_is_covered_once_money_is_owed_on_it_again(breathing_space):
    person, customer, debts = await a_person_owing(("CT", "council_tax", 84_217), ("INV", "sundry", 12_500))
    council_tax, invoice = debts.values()
    await publish(_balance(invoice, customer, 0), producer="billing")
    await eventually(
        lambda: fetch_value("SELECT balance_pence FROM breathing_space.debt WHERE debt_id = $1", invoice),
        lambda balance: balance == 0,
    )
    async with BusListener() as bus:
        moratorium, started = await a_standard_space_held(
            bus, person, [(f"CT-{str(customer)[:8].upper()}", "council_tax", 84_217)]
        )
        assert started.debt_ids == [council_tax], "nothing is owed on the paid invoice"

        await publish(
            _balance(invoice, customer, 12_500), producer="billing"
        )  # the payment was returned unpaid
        [added] = await bus.wait_for(BreathingSpaceDebtsAdded, moratorium)
        [reported] = await bus.wait_for(DebtsReportedBack, moratorium)
    assert added.debt_ids == [invoice] and reported.debt_ids == [invoice]


def _balance(debt_id, customer_id, balance: int):
    """A debt's balance as billing states it."""
    from shared.contracts.billing import BalanceChanged, BalancesChanged

    return BalancesChanged(
        changes=[
            BalanceChanged(
                debt_id=debt_id,
                customer_ids=[customer_id],
                debt_type="sundry",
                balance_pence=balance,
                change_pence=0,
                cause="payment",
                as_of=date(2026, 5, 1),
            )
        ]
    )


async def test_a_possible_match_no_officer_decides_becomes_an_alert(http):
    person = a_person()
    customer = await register(person.model_copy(update={"first_names": "J"}))
    await eventually(
        lambda: fetch_value("SELECT count(*) FROM breathing_space.customer WHERE customer_id = $1", customer),
        lambda n: n == 1,
    )
    moratorium = await notify_standard_space(person, [("CT-NOBODY-DECIDES", "council_tax", 100)])

    async def shown() -> dict | None:
        return next(iter(await on_the_status_page(http, "pending_matches", moratorium)), None)

    waiting = await eventually(
        shown, lambda m: m is not None and m["alert"], timeout=PENDING_MATCH_ALERT_SECONDS + 20
    )
    assert waiting["waiting_seconds"] >= PENDING_MATCH_ALERT_SECONDS
    alerted = (
        "SELECT alerted_at IS NOT NULL FROM breathing_space.pending_match WHERE moratorium_reference = $1"
    )
    await eventually(lambda: fetch_value(alerted, moratorium), bool)  # and raised in the logs, once
