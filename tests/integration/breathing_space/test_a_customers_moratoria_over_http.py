"""Over the real broker and database: a customer's moratoria by billing's customer id (GET
/customers/{customer_id}/moratoria), for the officers' single view. The applicant's moratorium is theirs, with
its type, start, expected end, status and every debt it holds; their joint debtor sees the same moratorium as not
matched to them, the joint debt naming them as not protected; a customer with none has none. Revenues officers
and auditors read it; an agents officer may not."""

from __future__ import annotations

from functools import partial
from uuid import uuid4

from tests.council_bus import eventually
from tests.identity import officer_headers
from tests.integration.breathing_space.council import (
    BusListener,
    a_person,
    known_to_breathing_space,
    raise_debt,
    register,
)
from tests.integration.breathing_space.held import a_person_owing, a_standard_space_held


async def test_a_customer_s_moratoria_list_their_type_period_status_and_debts_held(http):
    applicant, customer, ids = await a_person_owing(("CT", "council_tax", 84_217))
    [(reference, council_tax)] = ids.items()
    partners = await register(a_person())
    joint = await raise_debt(
        [customer, partners], "housing_benefit_overpayment", f"HB-{customer.hex[:8]}", 63_040
    )
    await eventually(partial(known_to_breathing_space, joint), bool)
    async with BusListener() as bus:
        moratorium, _ = await a_standard_space_held(bus, applicant, [(reference, "council_tax", 84_217)])

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
    assert (found["status"], found["hold_ended"]) == ("active", False)
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
