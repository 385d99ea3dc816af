"""A debt that comes to belong to the person after the breathing space search is held by every service and
reported back to the Insolvency Service (issue 13; Debt Respite Scheme regulations 2020, regs 6 and 14; Derby 8.2).

Joanne owes Derby council tax. A sundry invoice is raised for her under a slightly different address: billing
cannot be sure it is her, raises it against a new customer record and flags the possible match for an officer.
The Insolvency Service notifies a standard breathing space naming the council tax only (she applied three days
before it started); the search holds the council tax and finds nothing else that is certainly hers. Then a
revenues officer confirms in billing that the invoice's customer is Joanne. The invoice, owed on the day she
applied, comes into the moratorium at once: billing freezes it, recovery holds its case, the agents gateway
confirms it, and it is reported back in the outbound document; the status page shows it held by all three.

Billing, recovery, breathing space and the agents gateway run as real processes over the real broker; officers
act with tokens from the council's identity provider.
"""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from shared.contracts.council_systems import PostalAddress
from tests.council_bus import eventually
from tests.e2e.council_services import CouncilServices, RunningService, rows
from tests.e2e.insolvency_service import breathing_space_environment, new_standard_breathing_space, push
from tests.e2e.residents import a_charge, a_resident, raised
from tests.e2e.the_agent import AgentOnTheOtherSide, gateway_environment
from tests.identity import officer_headers

SECRET = "e2e-" + uuid4().hex
FOLDERS = Path(tempfile.mkdtemp(prefix="e2e-debt-confirmed-after-the-search-"))
APPLIED_ON = date(2026, 9, 4)
START = date(2026, 9, 7)


@pytest.fixture(scope="module")
async def collectco():
    agent = await AgentOnTheOtherSide(
        "CCAFTER", "CollectCo Recoveries", "collection_agency", ["sundry"]
    ).open()
    yield agent
    await agent.close()


@pytest.fixture(scope="module")
async def council(collectco):
    services = CouncilServices(
        RunningService("billing", http=True),
        RunningService("recovery", http=True),
        RunningService("breathing_space", http=True, **breathing_space_environment(FOLDERS, SECRET)),
        RunningService("agents_gateway", http=True, **gateway_environment(collectco)),
    )
    try:
        yield await services.start()
    finally:
        services.stop()


async def the_review_flagging(council: CouncilServices, customer_id: Any) -> dict[str, Any]:
    """Billing's open match review for the provisional customer, as a revenues officer sees it in billing (billing
    flagged it: never merged silently)."""
    async with council["billing"].client() as billing:

        async def open_reviews() -> list[dict[str, Any]]:
            answer = await billing.get("/match-reviews", headers=officer_headers("revenues.officer"))
            assert answer.status_code == 200, answer.text
            return [r for r in answer.json() if r["customer_id"] == str(customer_id)]

        [review] = await eventually(open_reviews, lambda found: len(found) == 1)
    return review


async def test_a_sundry_debt_an_officer_confirms_after_the_search_is_held_everywhere_and_reported_back(
    council,
):
    await council.business_date_is(date(2026, 9, 1))
    joanne = a_resident()
    council_tax = await raised(
        a_charge(joanne, "council_tax", 1_450_00, raised_on=date(2026, 4, 1), due_date=date(2026, 4, 15))
    )
    elsewhere = joanne.model_copy(
        update={"address": PostalAddress(lines=["14a Abbey St", "Derby"], postcode="DE22 3SQ")}
    )
    invoice = await raised(
        a_charge(elsewhere, "sundry", 320_00, raised_on=date(2026, 8, 20), due_date=date(2026, 9, 19))
    )
    assert invoice["customer_id"] != council_tax["customer_id"], "billing is not sure: a new record, flagged"
    review = await the_review_flagging(council, invoice["customer_id"])

    await council.business_date_is(date(2026, 9, 9))
    moratorium = f"BS-E2E-{uuid4().hex[:10].upper()}"
    body = new_standard_breathing_space(
        moratorium,
        joanne,
        [(council_tax["external_reference"], "council_tax", 1_450_00)],
        START,
        application_date=APPLIED_ON,
    )
    officer = officer_headers("breathing.space.officer")
    async with council["breathing_space"].client() as breathing_space:
        response = await push(breathing_space, body, SECRET)
        assert response.status_code == 202, response.text

        async def the_moratorium() -> dict[str, Any]:
            return (await breathing_space.get(f"/moratoria/{moratorium}", headers=officer)).json()

        searched = await eventually(the_moratorium, lambda m: len(m.get("held_debts", [])) == 1)
        assert searched["held_debts"][0]["debt_id"] == str(council_tax["debt_id"])
        assert searched["match"] == "exact", searched["match_explanation"]

        # A revenues officer confirms in billing that the invoice's customer is Joanne.
        async with council["billing"].client() as billing:
            decided = await billing.post(
                f"/match-reviews/{review['review_id']}/confirm",
                json={"customer_id": str(council_tax["customer_id"])},
                headers=officer_headers("revenues.officer"),
            )
            assert decided.status_code == 200, decided.text

        both = {str(council_tax["debt_id"]), str(invoice["debt_id"])}
        held = await eventually(
            the_moratorium, lambda m: {h["debt_id"] for h in m.get("held_debts", [])} == both
        )
        [found] = [h for h in held["held_debts"] if h["debt_id"] == str(invoice["debt_id"])]
        assert found["source"] == "found_by_search" and found["reported_back_in"]

        # Billing freezes it from the start; recovery holds its case from the start.
        frozen = await eventually(
            lambda: rows(
                "SELECT starts_on FROM billing.breathing_space_hold WHERE moratorium_reference = $1 "
                "AND debt_id = $2",
                moratorium,
                invoice["debt_id"],
            ),
            lambda found: len(found) == 1,
        )
        assert frozen[0]["starts_on"] == START
        recovery_hold = await eventually(
            lambda: rows(
                "SELECT starts_on FROM recovery.hold WHERE reference = $1 AND case_id = $2",
                moratorium,
                invoice["case_id"],
            ),
            lambda found: len(found) == 1,
        )
        assert recovery_hold[0]["starts_on"] == START

        # Every service confirms holding it; the status page lists it held by each, nothing unconfirmed.
        async def this_moratorium_on_the_status_page() -> dict[str, Any]:
            status = (await breathing_space.get("/status", headers=officer)).json()
            [shown] = [m for m in status["open_moratoria"] if m["moratorium_reference"] == moratorium]
            return shown

        everyone = ["agents_gateway", "billing", "recovery"]
        shown = await eventually(
            this_moratorium_on_the_status_page,
            lambda m: all(invoice["external_reference"] in m["debts_held_per_service"][s] for s in everyone),
        )
        assert [u for u in shown["unconfirmed"] if u["debt"] == invoice["external_reference"]] == []
        assert shown["application_date"] == APPLIED_ON.isoformat() and shown["application_date_notified"]
        assert shown["deadlines"]["review_request"]["last_day"] == "2026-09-26"

        # Reported back to the Insolvency Service in the outbound document.
        written = FOLDERS / "outbound" / f"{found['reported_back_in']}.json"

        async def the_report() -> dict[str, Any] | None:
            return json.loads(written.read_text()) if written.exists() else None

        report = await eventually(the_report, lambda r: r is not None)
        assert report is not None
        assert report["kind"] == "debts_reported_back" and report["moratorium_reference"] == moratorium
        assert [d["creditor_reference"] for d in report["debts"]] == [invoice["external_reference"]]
