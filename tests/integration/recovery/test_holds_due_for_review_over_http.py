"""Holds due for review across every case (GET /holds/due-for-review?on=): the holds still in force whose review
date is on or before the day, with the case, the debt reference, the debtor's name where recovery holds it, the
hold's kind and reason, its review date and how many days it is overdue; a hold lifted, or not yet at its review
date, is not among them. Officers and auditors read it; nobody else."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID, uuid4

from shared.contracts.billing import CustomerRegistered
from shared.contracts.council_systems import LiableParty, PostalAddress
from tests.council_bus import eventually, fetch_value, publish
from tests.integration.recovery.recovery_bus import a_debt, officer_desk, raise_debt

DUE = date(2026, 5, 1)
ON = date(2026, 7, 31)


async def _named_customer() -> tuple[UUID, str]:
    customer_id = uuid4()
    surname = f"Review{customer_id.hex[:6]}"
    identity = LiableParty(
        kind="person",
        title="Mr",
        first_names="Amir",
        surname=surname,
        address=PostalAddress(lines=["3 Abbey Street", "Derby"], postcode="DE22 3SJ"),
    )
    await publish(CustomerRegistered(customer_id=customer_id, identity=identity), producer="billing")
    await eventually(
        lambda: fetch_value("SELECT name FROM recovery.customer WHERE customer_id = $1", customer_id),
        lambda name: name is not None,
    )
    return customer_id, f"Mr Amir {surname}"


async def _manual_hold(desk, case_id: UUID, review_on: date, reason: str) -> str:
    answer = await desk.post(
        f"/cases/{case_id}/holds",
        json={
            "kind": "manual",
            "reason": reason,
            "starts_on": DUE.isoformat(),
            "review_on": review_on.isoformat(),
        },
    )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["hold_id"])


async def test_holds_whose_review_date_has_come_are_listed_with_the_case_debt_debtor_and_days_overdue(
    recovery,
):
    customer_id, name = await _named_customer()
    named = a_debt(customer_ids=[customer_id], due=DUE)
    named_case = await raise_debt(named)
    unnamed = a_debt(due=DUE)
    unnamed_case = await raise_debt(unnamed)
    later_case = await raise_debt(a_debt(due=DUE))
    lifted_case = await raise_debt(a_debt(due=DUE))
    async with officer_desk() as desk:
        await _manual_hold(desk, named_case, ON - timedelta(days=10), "contract under review")
        await _manual_hold(desk, unnamed_case, ON, "service complaint investigated")
        await _manual_hold(desk, later_case, ON + timedelta(days=1), "not yet")
        lifted = await _manual_hold(desk, lifted_case, ON - timedelta(days=20), "resolved")
        answer = await desk.post(
            f"/cases/{lifted_case}/holds/{lifted}/lift",
            json={"reason": "resolved", "lifted_on": (ON - timedelta(days=5)).isoformat()},
        )
        assert answer.status_code == 200, answer.text

        found = await desk.get("/holds/due-for-review", params={"on": ON.isoformat()})
    assert found.status_code == 200, found.text
    body = found.json()
    assert body["on"] == ON.isoformat()
    ours = {
        h["case_id"]: h
        for h in body["holds"]
        if h["case_id"] in {str(c) for c in (named_case, unnamed_case, later_case, lifted_case)}
    }
    assert set(ours) == {str(named_case), str(unnamed_case)}
    assert ours[str(named_case)] | {"hold_id": None} == {
        "case_id": str(named_case),
        "hold_id": None,
        "debt_id": str(named.debt_id),
        "debt_type": "sundry",
        "debt_reference": named.external_reference,
        "customer_ids": [str(customer_id)],
        "debtor_name": name,
        "kind": "manual",
        "reason": "contract under review",
        "authorised_by": ours[str(named_case)]["authorised_by"],
        "review_on": (ON - timedelta(days=10)).isoformat(),
        "days_overdue": 10,
    }
    assert ours[str(unnamed_case)]["debtor_name"] is None  # recovery never heard the customer's name
    assert ours[str(unnamed_case)]["debt_reference"] == unnamed.external_reference
    assert ours[str(unnamed_case)]["days_overdue"] == 0
    reviews = [h["review_on"] for h in body["holds"]]
    assert reviews == sorted(reviews)  # oldest review first
    assert body["count"] == len(body["holds"])


async def test_an_auditor_reads_the_holds_due_for_review_and_an_agents_officer_may_not(recovery):
    async with officer_desk("auditor") as auditor, officer_desk("agents.officer") as agents:
        read = await auditor.get("/holds/due-for-review", params={"on": ON.isoformat()})
        refused = await agents.get("/holds/due-for-review")
        none_yet = await auditor.get("/holds/due-for-review", params={"on": "2000-01-03"})
    assert read.status_code == 200
    assert none_yet.json() == {"on": "2000-01-03", "count": 0, "holds": []}
    assert refused.status_code == 403
