"""An officer with a resident on the phone finds them by name, postcode, address, account, NI number or invoice
number, and opens everything they owe: instalments and what paid them, payments, credit notes, holds."""

from __future__ import annotations

import random
import string
from datetime import date
from uuid import uuid4

from shared.contracts.council_systems import CreditNoteRequested, PostalAddress
from tests.council_bus import publish
from tests.identity import officer_headers, system_headers
from tests.integration.billing.council_systems import (
    a_council_tax_bill,
    a_payment,
    a_person,
    a_sundry_invoice,
    an_organisation,
    unique,
)
from tests.integration.billing.desk import officer_desk
from tests.integration.billing.test_customers_and_matching import raise_and_hear


def a_postcode_of_its_own() -> str:
    """A well-formed postcode no other test's customer lives at."""
    letters = random.choices(string.ascii_uppercase, k=3)
    return f"Z{letters[0]}{random.randint(1, 9)} {random.randint(1, 9)}{letters[1]}{letters[2]}"


def a_street_of_its_own() -> str:
    return "".join(random.choices(string.ascii_uppercase, k=8)).title() + " Street"


async def search(billing, query: str, **params) -> dict:
    async with officer_desk(billing, officer_headers("revenues.officer")) as desk:
        answer = await desk.get("/customers", params={"query": query, **params})
    assert answer.status_code == 200, answer.text
    return answer.json()


async def test_two_people_of_one_name_are_told_apart_and_found_by_every_way_an_officer_would_ask(
    billing, heard
):
    account, ni_number = unique("CT"), f"QQ{random.randint(100000, 999999)}C"
    here, there = a_postcode_of_its_own(), a_postcode_of_its_own()
    street = a_street_of_its_own()
    margaret = a_person(
        title="Mrs",
        address=PostalAddress(lines=[f"12 {street}", "Derby"], postcode=here),
        references={"council_tax_account": account, "ni_number": ni_number},
    )
    namesake = a_person(
        surname=margaret.surname,
        date_of_birth=date(1988, 7, 1),
        address=PostalAddress(lines=["4 Other Road", "Derby"], postcode=there),
    )
    bill = await raise_and_hear(heard, a_council_tax_bill(margaret, external_reference=f"{account}-2026"))
    invoice = await raise_and_hear(heard, a_sundry_invoice(namesake))
    [margaret_id], [namesake_id] = bill["customer_ids"], invoice["customer_ids"]
    assert margaret_id != namesake_id

    by_name = await search(billing, f"{margaret.surname.upper().replace('-', ' ')}, margaret")
    found = {c["customer_id"]: c for c in by_name["customers"]}
    assert set(found) == {margaret_id, namesake_id}
    assert {c["matched_on"] for c in found.values()} == {"name"}
    assert found[margaret_id]["name"] == f"Mrs Margaret {margaret.surname}"
    assert found[margaret_id]["kind"] == "person"
    assert found[margaret_id]["postal_address"] == {"lines": [f"12 {street}", "Derby"], "postcode": here}
    assert found[margaret_id]["accounts"] == [
        {
            "debt_id": bill["debt_id"],
            "debt_type": "council_tax",
            "reference": account,
            "financial_year": "2026/27",
            "balance_pence": 1_234_56,
            "status": "open",
        }
    ]
    assert found[namesake_id]["accounts"][0]["reference"] == invoice["external_reference"]
    assert found[namesake_id]["date_of_birth"] == "1988-07-01"

    for query, matched_on in [
        (here.replace(" ", "").lower(), "postcode"),
        (here, "postcode"),
        (f"{street.lower()} derby", "address"),
        (account.lower().replace("-", " "), "account_reference"),
        (ni_number.lower(), "ni_number"),
        (margaret_id, "customer_id"),
        (f"{margaret.surname} {here}", "name_and_address"),
    ]:
        answer = await search(billing, query)
        assert [(c["customer_id"], c["matched_on"]) for c in answer["customers"]] == [
            (margaret_id, matched_on)
        ], query
    by_invoice = await search(billing, invoice["external_reference"].lower().replace("-", ""))
    assert [(c["customer_id"], c["matched_on"]) for c in by_invoice["customers"]] == [
        (namesake_id, "invoice_reference")
    ]


async def test_an_organisation_is_found_by_its_name_said_any_way(billing, heard):
    company = an_organisation()
    raised = await raise_and_hear(heard, a_sundry_invoice(company))
    name = company.organisation_name.replace(" Ltd", " LIMITED").upper()
    answer = await search(billing, f"the {name}")
    assert [(c["customer_id"], c["kind"], c["matched_on"]) for c in answer["customers"]] == [
        (raised["customer_ids"][0], "organisation", "name")
    ]


async def test_a_search_answers_at_most_its_limit_and_says_there_are_more(billing, heard):
    street, postcode = a_street_of_its_own(), a_postcode_of_its_own()
    for number in range(3):
        await raise_and_hear(
            heard,
            a_sundry_invoice(
                a_person(address=PostalAddress(lines=[f"{number} {street}"], postcode=postcode))
            ),
        )
    answer = await search(billing, postcode, limit=2)
    assert len(answer["customers"]) == 2 and answer["more_than_shown"] is True
    assert len((await search(billing, postcode))["customers"]) == 3


async def test_a_search_without_anything_to_search_by_or_beyond_fifty_is_refused(billing):
    async with officer_desk(billing, officer_headers("revenues.officer")) as desk:
        assert (await desk.get("/customers", params={"query": "--"})).status_code == 422
        assert (await desk.get("/customers", params={"query": "Hollis", "limit": 51})).status_code == 422
        assert (await desk.get("/customers")).status_code == 422


async def test_the_customer_in_full_shows_instalments_paid_payments_allocations_and_credit_notes(
    billing, heard
):
    account = unique("CT")
    person = a_person(references={"council_tax_account": account})
    bill = await raise_and_hear(heard, a_council_tax_bill(person, external_reference=f"{account}-2026"))
    invoice = await raise_and_hear(heard, a_sundry_invoice(person))
    [customer_id] = bill["customer_ids"]
    payment = a_payment(127_56, account_reference=account)
    await publish(payment)
    await heard.wait_for(
        "billing.payment.allocated", lambda d: d.get("channel_reference") == payment.channel_reference
    )
    note = CreditNoteRequested(
        requesting_system="finance",
        external_reference=invoice["external_reference"],
        credit_note_reference=unique("CN"),
        amount_pence=50_00,
        reason="two bins charged, one collected",
        correction="price_correction",
    )
    await publish(note)
    await heard.wait_for("billing.credit_note.issued", lambda d: d["debt_id"] == invoice["debt_id"])

    async with officer_desk(billing, officer_headers("revenues.officer")) as desk:
        answer = await desk.get(f"/customers/{customer_id}")
        missing = await desk.get(f"/customers/{uuid4()}")
    assert missing.status_code == 404
    assert answer.status_code == 200, answer.text
    view = answer.json()
    assert view["name"] == f"Margaret {person.surname}"
    assert view["references"] == {"council_tax_account": account}
    debts = {d["debt_id"]: d for d in view["debts"]}
    council_tax, sundry = debts[bill["debt_id"]], debts[invoice["debt_id"]]
    assert [
        (i["number"], i["due_date"], i["amount_pence"], i["paid_pence"])
        for i in council_tax["instalments"][:2]
    ] == [
        (1, "2026-04-01", 127_56, 127_56),
        (2, "2026-05-01", 123_00, 0),
    ]
    assert len(council_tax["instalments"]) == 10
    assert council_tax["balance_pence"] == 1_234_56 - 127_56
    [allocation] = council_tax["allocations"]
    assert allocation["amount_pence"] == 127_56 and allocation["line_number"] == 1
    [paid] = [p for p in view["payments"] if p["channel_reference"] == payment.channel_reference]
    assert paid["amount_pence"] == 127_56 and paid["allocations"] == [allocation]
    assert [c["credit_note_reference"] for c in sundry["credit_notes"]] == [note.credit_note_reference]
    assert sundry["balance_pence"] == 200_00
    assert view["owed_pence"] == 1_234_56 - 127_56 + 200_00
    assert view["by_debt_type_pence"] == {"council_tax": 1_234_56 - 127_56, "sundry": 200_00}


async def test_finding_a_customer_needs_a_role_that_reads_council_data(billing):
    async with officer_desk(billing) as nobody:
        anonymous = await nobody.get("/customers", params={"query": "Hollis"})
        assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"].startswith("Bearer")
    for person, status in [
        ("no.roles", 403),
        ("auditor", 200),
        ("breathing.space.officer", 200),
        ("senior.officer", 200),
    ]:
        async with officer_desk(billing, officer_headers(person)) as desk:
            assert (await desk.get("/customers", params={"query": "Hollis"})).status_code == status, person
            assert (await desk.get(f"/customers/{uuid4()}")).status_code == (404 if status == 200 else status)
    async with officer_desk(billing, system_headers()) as workbench:
        assert (await workbench.get("/customers", params={"query": "Hollis"})).status_code == 200
