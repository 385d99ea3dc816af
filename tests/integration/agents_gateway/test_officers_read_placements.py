"""Revenues and senior officers read placements (the officers' workbench shows a customer's placements) and
auditors read them too; only an agents officer acts on a placement."""

from __future__ import annotations

import pytest

from tests.identity import officer_headers
from tests.integration.agents_gateway.conftest import a_council_tax_referral
from tests.integration.agents_gateway.test_referrals import _refused_sundry_referral

READERS = ("revenues.officer", "senior.officer", "auditor", "agents.officer")


@pytest.mark.parametrize("person", READERS)
async def test_officers_and_auditors_read_a_customers_placements(gateway, http, person):
    referral = await a_council_tax_referral()
    headers = officer_headers(person)
    [customer_id] = referral.customer_ids

    one = await http.get(f"/placements/{referral.referral_id}", headers=headers)
    assert one.status_code == 200, one.text
    assert one.json()["debt_id"] == str(referral.debt_id)

    of_customer = await http.get("/placements", params={"customer_id": str(customer_id)}, headers=headers)
    assert of_customer.status_code == 200, of_customer.text
    assert [p["referral_id"] for p in of_customer.json()] == [str(referral.referral_id)]

    assert (await http.get("/placements/refused", headers=headers)).status_code == 200
    assert (await http.get("/return-requests", headers=headers)).status_code == 200


@pytest.mark.parametrize("person", ("revenues.officer", "senior.officer", "auditor"))
async def test_only_an_agents_officer_acts_on_a_placement(gateway, http, person):
    referral = await _refused_sundry_referral()
    headers = officer_headers(person)

    for path, body in (
        (f"/placements/{referral.referral_id}/redirect", {}),
        (f"/placements/{referral.referral_id}/return-to-recovery", {"reason": "not for agents"}),
        (f"/placements/{referral.referral_id}/return-request", {"reason": "please return it"}),
    ):
        refused = await http.post(path, json=body, headers=headers)
        assert refused.status_code == 403, f"{person} {path}: {refused.status_code}"


async def test_a_person_without_a_role_reads_no_placement(gateway, http):
    referral = await a_council_tax_referral()
    nobody = officer_headers("no.roles")

    assert (await http.get(f"/placements/{referral.referral_id}", headers=nobody)).status_code == 403
    of_customer = {"customer_id": str(referral.customer_ids[0])}
    assert (await http.get("/placements", params=of_customer, headers=nobody)).status_code == 403
