"""An officer corrects who is liable for a debt: it moves to the right customer, the correction names the officer
from the token, and billing.debt.transferred tells the services that follow a person's debts."""

from __future__ import annotations

from uuid import uuid4

from tests.identity import officer_headers
from tests.integration.billing.council_systems import a_person, a_sundry_invoice
from tests.integration.billing.desk import officer_desk
from tests.integration.billing.test_customers_and_matching import raise_and_hear


async def test_a_debt_billed_to_the_wrong_person_moves_to_the_right_one(billing, heard):
    wrong = await raise_and_hear(heard, a_sundry_invoice(a_person()))
    right = await raise_and_hear(heard, a_sundry_invoice(a_person(first_names="Jonathan")))
    [was], [now] = wrong["customer_ids"], right["customer_ids"]
    transfer = f"/debts/{wrong['debt_id']}/transfer"
    asked = {"to_customer_ids": [now], "reason": "tenant named on the lease, not the landlord"}
    async with officer_desk(billing, officer_headers("auditor")) as auditor:
        assert (await auditor.post(transfer, json=asked)).status_code == 403
    async with officer_desk(billing, officer_headers("revenues.officer")) as desk:
        unknown = await desk.post(transfer, json={**asked, "to_customer_ids": [str(uuid4())]})
        moved = await desk.post(transfer, json=asked)
        view = (await desk.get(f"/customers/{now}")).json()
        old = (await desk.get(f"/customers/{was}")).json()
    assert unknown.status_code == 422
    assert moved.status_code == 200, moved.text
    [event] = await heard.wait_for("billing.debt.transferred", lambda d: d["debt_id"] == wrong["debt_id"])
    assert (event.data["from_customer_ids"], event.data["to_customer_ids"]) == ([was], [now])
    assert event.data["transferred_by"].endswith("(revenues.officer)")
    assert wrong["debt_id"] in {d["debt_id"] for d in view["debts"]}
    assert wrong["debt_id"] not in {d["debt_id"] for d in old["debts"]}
