"""Who owes the debts, learnt over the broker from billing's own events (issue 15): a schedule shows each line's
debtor by name with the account reference, how long the debt has been owed and a link to the workbench single
view; a person is found by name, postcode or reference to declare an interest; an amended name is shown."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from services.writeoff.domain.debtors import debt_age
from shared.contracts.billing import CustomerAmended
from tests.council_bus import eventually, fetch_value, publish
from tests.integration.writeoff.desk import (
    Officer,
    a_debt,
    debt_known,
    debtor_known,
    recovery_asks,
    settled_status,
)


async def test_a_schedule_names_each_debtor_with_account_reference_age_and_single_view(
    writeoff_service, client
):
    customer_id = uuid4()
    debtor = await debtor_known(customer_id, references={"council_tax_account": "CT900123"})
    debt = await debt_known(
        a_debt(customer_ids=[customer_id], debt_type="council_tax", due_date=date(2024, 4, 1))
    )
    request = recovery_asks(debt)
    await publish(request, producer="recovery")
    assert await settled_status(request.request_id) == "pending"

    schedule = await (await Officer.sign_in(client, "derby.officer")).schedule(request.request_id)
    (line,) = schedule["lines"]
    today = writeoff_service.http_app.state.service.clock.today()
    assert line["debtor"] == {
        "customer_id": str(customer_id),
        "name": f"Ms Alice {debtor.identity.surname}",
        "postcode": "DE1 2AB",
        "account_reference": "CT900123",
        "debt_reference": debt.external_reference,
        "fell_due": "2024-04-01",
        "debt_age": debt_age(date(2024, 4, 1), today),
        "single_view_url": f"http://127.0.0.1:8090/customers/{customer_id}",
    }


async def test_a_person_is_found_by_name_postcode_or_invoice_reference_with_their_debts(
    writeoff_service, client
):
    customer_id = uuid4()
    debtor = await debtor_known(customer_id, postcode="DE22 3QT")
    debt = await debt_known(a_debt(customer_ids=[customer_id]))
    director = await Officer.sign_in(client, "derby.director")

    for query in (
        debtor.identity.surname,
        f"alice {debtor.identity.surname} de223qt",
        debt.external_reference,
    ):
        found = await director.get("/api/debtors", params={"q": query})
        assert found.status_code == 200, found.text
        (person,) = [f for f in found.json() if f["customer_id"] == str(customer_id)]
        assert [d["reference"] for d in person["debts"]] == [debt.external_reference], query
    nobody = await director.get("/api/debtors", params={"q": f"{debtor.identity.surname} begum"})
    assert str(customer_id) not in {f["customer_id"] for f in nobody.json()}


async def test_an_amended_name_is_the_one_shown(writeoff_service, client):
    customer_id = uuid4()
    registered = await debtor_known(customer_id)
    married = registered.identity.model_copy(update={"surname": registered.identity.surname + "-Evans"})
    await publish(CustomerAmended(customer_id=customer_id, identity=married), producer="billing")
    await eventually(
        lambda: fetch_value("SELECT name FROM writeoff.debtor WHERE customer_id = $1", customer_id),
        lambda name: name == f"Ms Alice {married.surname}",
    )


async def test_finding_people_needs_a_write_off_role(writeoff_service, client):
    assert (
        await (await Officer.sign_in(client, "no.roles")).get("/api/debtors", params={"q": "x"})
    ).status_code == 403
