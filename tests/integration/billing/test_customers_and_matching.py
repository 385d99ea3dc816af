"""Every liable party is matched against the customers billing knows: an exact match is linked, nobody like
them is registered, an uncertain match is flagged for an officer, who confirms or rejects it over HTTP."""

from __future__ import annotations

from datetime import date

from shared.contracts.council_systems import PostalAddress
from tests.council_bus import fetch_value, publish
from tests.identity import officer_headers
from tests.integration.billing.council_systems import a_council_tax_bill, a_person, a_sundry_invoice, unique
from tests.integration.billing.desk import officer_desk


async def raise_and_hear(heard, request):
    await publish(request)
    [raised] = await heard.wait_for(
        "billing.debt.raised", lambda d: d["external_reference"] == request.external_reference
    )
    return raised.data


async def test_the_same_person_billed_for_two_debt_types_is_one_customer_and_a_new_address_amends_them(heard):
    account = unique("CT")
    person = a_person(references={"council_tax_account": account})
    first = await raise_and_hear(heard, a_council_tax_bill(person))
    moved = person.model_copy(
        update={"address": PostalAddress(lines=["3 Iron Gate", "Derby"], postcode="DE1 3GP")}
    )
    second = await raise_and_hear(heard, a_sundry_invoice(moved))
    assert second["customer_ids"] == first["customer_ids"]
    [customer_id] = first["customer_ids"]
    [amended] = await heard.wait_for("billing.customer.amended", lambda d: d["customer_id"] == customer_id)
    assert amended.data["identity"]["address"]["postcode"] == "DE1 3GP"
    assert amended.data["identity"]["previous_addresses"][0]["postcode"] == "DE1 1FS"


async def test_an_uncertain_match_is_flagged_never_merged_and_an_officer_confirms_it(billing, heard):
    known = a_person(date_of_birth=None)
    first = await raise_and_hear(heard, a_sundry_invoice(known))
    # Same name at the same postcode, no date of birth to compare: only possibly the same person.
    second = await raise_and_hear(
        heard, a_sundry_invoice(known.model_copy(update={"date_of_birth": date(1970, 1, 1)}))
    )
    assert second["customer_ids"] != first["customer_ids"]
    [flag] = await heard.wait_for(
        "billing.customer.match_flagged", lambda d: d["customer_id"] == second["customer_ids"][0]
    )
    assert flag.data["possible_matches"] == first["customer_ids"]
    review_id = flag.data["review_id"]

    async with officer_desk(billing, officer_headers("revenues.officer")) as desk:
        listed = (await desk.get("/match-reviews")).json()
        assert review_id in [r["review_id"] for r in listed]
        wrong = await desk.post(
            f"/match-reviews/{review_id}/confirm",
            json={"customer_id": second["customer_ids"][0]},
        )
        assert wrong.status_code == 409
        answer = await desk.post(
            f"/match-reviews/{review_id}/confirm",
            json={"customer_id": first["customer_ids"][0]},
        )
        assert answer.status_code == 200, answer.text
        again = await desk.post(f"/match-reviews/{review_id}/reject")
        assert again.status_code == 409
        view = (await desk.get(f"/customers/{first['customer_ids'][0]}/balance")).json()

    [resolved] = await heard.wait_for(
        "billing.customer.match_resolved", lambda d: d["review_id"] == review_id
    )
    assert resolved.data["moved_debt_ids"] == [second["debt_id"]]
    assert {d["debt_id"] for d in view["debts"]} == {first["debt_id"], second["debt_id"]}
    assert (
        await fetch_value(
            "SELECT merged_into::text FROM billing.customer WHERE customer_id::text = $1",
            second["customer_ids"][0],
        )
        == first["customer_ids"][0]
    )


async def test_an_officer_may_reject_a_flagged_match_and_they_stay_two_customers(billing, heard):
    known = a_person(date_of_birth=None)
    first = await raise_and_hear(heard, a_sundry_invoice(known))
    second = await raise_and_hear(heard, a_sundry_invoice(known))
    [flag] = await heard.wait_for(
        "billing.customer.match_flagged", lambda d: d["customer_id"] == second["customer_ids"][0]
    )
    reject = f"/match-reviews/{flag.data['review_id']}/reject"
    async with officer_desk(billing) as nobody:
        assert (await nobody.post(reject)).status_code == 401
    async with officer_desk(billing, officer_headers("auditor")) as auditor:
        assert (await auditor.get("/match-reviews")).status_code == 200
        assert (await auditor.post(reject)).status_code == 403  # auditors read, and decide nothing
    async with officer_desk(billing, officer_headers("revenues.officer")) as desk:
        answer = await desk.post(reject, json={"officer": "anyone at all"})
        assert answer.status_code == 200
    [resolved] = await heard.wait_for(
        "billing.customer.match_resolved",
        lambda d: d["review_id"] == flag.data["review_id"] and d["outcome"] == "rejected",
    )
    # who decided is the signed-in officer, never a name in the body
    assert resolved.data["decided_by"].endswith("(revenues.officer)")
    assert second["customer_ids"] != first["customer_ids"]
