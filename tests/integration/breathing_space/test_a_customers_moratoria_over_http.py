"""Over the real broker and database: a customer's moratoria by billing's customer id (GET
/customers/{customer_id}/moratoria), for the officers' single view. The applicant's moratorium is theirs, with
its type, start, expected end, status and every debt it holds; their joint debtor sees the same moratorium as not
matched to them, the joint debt naming them as not protected; a customer with none has none. Revenues officers
and auditors read it; an agents officer may not."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from shared.contracts.breathing_space import BreathingSpaceHoldStarted
from tests.council_bus import eventually
from tests.identity import officer_headers
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


async def test_a_customer_s_moratoria_list_their_type_period_status_and_debts_held(http):
    applicant, partner = a_person(), a_person()
    customer, partners = await register(applicant), await register(partner)
    reference = f"CT-{str(customer)[:8].upper()}"
    council_tax = await raise_debt([customer], "council_tax", reference, 84_217)
    joint = await raise_debt(
        [customer, partners], "housing_benefit_overpayment", f"HB-{customer.hex[:8]}", 63_040
    )
    for debt in (council_tax, joint):
        await eventually(lambda debt=debt: known(debt), bool)
    moratorium = a_moratorium_reference()
    async with BusListener() as bus:
        await send_to_notifications_queue(
            notification(
                "new_standard_breathing_space",
                moratorium,
                applicant,
                [(reference, "council_tax", 84_217)],
                start_date=date(2026, 5, 4),
            )
        )
        await bus.wait_for(BreathingSpaceHoldStarted, moratorium)

    revenues = officer_headers("revenues.officer")
    theirs = await http.get(f"/customers/{customer}/moratoria", headers=revenues)
    assert theirs.status_code == 200, theirs.text
    [found] = theirs.json()["moratoria"]
    assert {
        k: found[k] for k in ("moratorium_reference", "kind", "start_date", "end_date", "matched_to_customer")
    } == {
        "moratorium_reference": moratorium,
        "kind": "standard",
        "start_date": "2026-05-04",
        "end_date": "2026-07-03",  # the 60 days after the start, inclusive
        "matched_to_customer": True,
    }
    assert found["status"] and found["hold_ended"] is False
    held = {d["debt_id"]: d for d in found["debts_held"]}
    assert set(held) == {str(council_tax), str(joint)}
    assert held[str(council_tax)]["creditor_reference"] == reference
    assert held[str(joint)]["not_protected_customer_ids"] == [str(partners)]

    [partner_s] = (await http.get(f"/customers/{partners}/moratoria")).json()["moratoria"]
    assert partner_s["moratorium_reference"] == moratorium and partner_s["matched_to_customer"] is False

    assert (await http.get(f"/customers/{uuid4()}/moratoria")).json()["moratoria"] == []


async def test_an_auditor_reads_a_customer_s_moratoria_and_an_agents_officer_may_not(http):
    customer = uuid4()
    auditor = await http.get(f"/customers/{customer}/moratoria", headers=officer_headers("auditor"))
    agents = await http.get(f"/customers/{customer}/moratoria", headers=officer_headers("agents.officer"))
    assert (auditor.status_code, agents.status_code) == (200, 403)
