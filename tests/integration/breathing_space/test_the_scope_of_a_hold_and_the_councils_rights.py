"""Over the real broker and database, with tokens from the council's identity provider: a council tax account's
arrears are held while its instalments after the start go out as ongoing liabilities; the status page shows, per
open moratorium, the debts each service confirmed holding, what is unconfirmed, the ongoing liabilities and the
council's deadlines with the days left; a breathing space officer's review request (reg 17) is sent in the
documented outbound format, written to the outbound folder and announced on the bus, and refused once its 20 days
have passed; only a breathing space officer may act, an auditor may read."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from uuid import UUID

import httpx

from services.breathing_space.domain.notifications import CreditorReviewRequested as ReviewDocument
from services.breathing_space.domain.notifications import parse_notification
from shared.contracts.breathing_space import BreathingSpaceHoldStarted, CreditorReviewRequested
from tests.council_bus import eventually
from tests.identity import officer_headers
from tests.integration.breathing_space.conftest import BUSINESS_DATE, OUTBOUND
from tests.integration.breathing_space.council import BusListener
from tests.integration.breathing_space.held import (
    a_person_owing,
    a_standard_space_held,
    confirmed_by,
    on_the_status_page,
)

START = date(2026, 5, 4)
APPLIED_ON = date(2026, 5, 1)
MONTHLY = [(date(2026 + (m > 12), (m - 1) % 12 + 1, 1), 12_000) for m in range(4, 14)]
"""2026/27 council tax in ten monthly instalments, 1 April 2026 to 1 January 2027."""


async def a_held_council_tax_account() -> tuple[str, UUID, BreathingSpaceHoldStarted, str]:
    person, _, debts = await a_person_owing(("CT", "council_tax", 120_000), instalments=MONTHLY)
    [(reference, council_tax)] = debts.items()
    async with BusListener() as bus:
        moratorium, started = await a_standard_space_held(
            bus, person, [(reference, "council_tax", 24_000)], start_date=START, application_date=APPLIED_ON
        )
    return moratorium, council_tax, started, reference


async def open_moratorium(http: httpx.AsyncClient, moratorium: str) -> dict[str, Any]:
    [found] = await on_the_status_page(http, "open_moratoria", moratorium)
    return found


async def test_the_arrears_are_held_and_the_instalments_after_the_start_are_ongoing_liabilities(http):
    moratorium, council_tax, started, reference = await a_held_council_tax_account()

    [scope] = started.scope
    assert scope.debt_id == council_tax and scope.protected_up_to == START
    assert scope.ongoing_liabilities_pence == 8 * 12_000 and scope.ongoing_from == date(2026, 6, 1)
    assert started.application_date == APPLIED_ON and started.application_date_notified

    await confirmed_by(moratorium, 1, [council_tax], "billing", "recovery")

    page = await eventually(
        lambda: open_moratorium(http, moratorium), lambda m: m["debts_held_per_service"]["recovery"] != []
    )
    assert page["debts_held_per_service"] == {
        "agents_gateway": [],
        "billing": [reference],
        "recovery": [reference],
    }
    assert page["unconfirmed"] == [{"debt": reference, "awaiting": ["agents_gateway"]}]
    assert page["ongoing_liabilities"] == [
        {
            "debt": reference,
            "debt_type": "council_tax",
            "ongoing_liabilities_pence": 96_000,
            "ongoing_from": "2026-06-01",
        }
    ]
    assert page["application_date"] == "2026-05-01" and page["application_date_notified"]
    assert date(2026, 5, 10) == BUSINESS_DATE
    assert page["deadlines"]["review_request"] == {"last_day": "2026-05-23", "days_left": 13, "passed": False}
    assert page["deadlines"]["court_application"] == {
        "last_day": "2026-06-22",
        "days_left": 43,
        "passed": False,
    }


async def test_an_officer_s_review_request_is_sent_in_the_outbound_format_and_tracked(http):
    moratorium, council_tax, _, _ = await a_held_council_tax_account()
    asked = {
        "grounds": ["debtor_has_sufficient_funds"],
        "evidence_references": ["EVID-2026-0042"],
        "explanation": "A lump sum was paid on another account last week.",
    }
    async with BusListener() as bus:
        answer = await http.post(f"/moratoria/{moratorium}/review-requests", json=asked)
        assert answer.status_code == 201, answer.text
        [announced] = await bus.wait_for(CreditorReviewRequested, moratorium)
    request = answer.json()
    assert request["request_reference"] == f"BSRR-{moratorium}-1"
    assert request["deadline"] == "2026-05-23" and request["debt_ids"] == [str(council_tax)]
    assert "breathing.space.officer" in request["requested_by"], "who acted comes from the token"
    assert announced.requested_by == request["requested_by"]

    written = OUTBOUND / f"{request['request_reference']}.json"

    async def written_out() -> str | None:
        return written.read_text() if written.exists() else None

    document = await eventually(written_out, bool)
    assert document == announced.document
    parsed = parse_notification(document).notification
    assert isinstance(parsed, ReviewDocument)
    assert [g.value for g in parsed.grounds] == ["debtor_has_sufficient_funds"]
    assert parsed.evidence_references == ["EVID-2026-0042"] and parsed.review_deadline == date(2026, 5, 23)

    page = await open_moratorium(http, moratorium)
    [tracked] = page["review_requests"]
    assert tracked["request_reference"] == request["request_reference"] and tracked["written_to"]


async def test_a_review_request_needs_a_ground_of_regulation_17_and_its_twenty_days(http, business_date):
    moratorium, *_ = await a_held_council_tax_account()
    no_such_ground = {"grounds": ["we_would_rather_not"], "evidence_references": ["E-1"]}
    assert (
        await http.post(f"/moratoria/{moratorium}/review-requests", json=no_such_ground)
    ).status_code == 422
    no_evidence = {"grounds": ["unfair_prejudice"], "evidence_references": []}
    assert (await http.post(f"/moratoria/{moratorium}/review-requests", json=no_evidence)).status_code == 422
    unknown = {"grounds": ["unfair_prejudice"], "evidence_references": ["E-1"]}
    assert (await http.post("/moratoria/BS-NEVER-NOTIFIED/review-requests", json=unknown)).status_code == 404

    from shared.clock import clock

    clock.pin(date(2026, 5, 24))  # the day after the 20 days beginning with 4 May
    late = await http.post(f"/moratoria/{moratorium}/review-requests", json=unknown)
    assert late.status_code == 422 and "2026-05-23" in late.json()["detail"]
    page = await open_moratorium(http, moratorium)
    assert page["deadlines"]["review_request"]["passed"] and page["review_requests"] == []
    assert page["deadlines"]["court_application"]["days_left"] == 29


async def test_only_a_breathing_space_officer_may_act_and_an_auditor_may_read(breathing_space, http):
    moratorium, *_ = await a_held_council_tax_account()
    asked = {"grounds": ["unfair_prejudice"], "evidence_references": ["E-1"]}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=breathing_space.runtime.http_app), base_url="http://breathing-space"
    ) as anyone:
        nobody = await anyone.get("/status")
        assert nobody.status_code == 401 and nobody.headers["www-authenticate"].startswith("Bearer")
        assert (await anyone.post(f"/moratoria/{moratorium}/review-requests", json=asked)).status_code == 401

        auditor = officer_headers("auditor")
        assert (await anyone.get("/status", headers=auditor)).status_code == 200
        assert (await anyone.get(f"/moratoria/{moratorium}", headers=auditor)).status_code == 200
        refused = await anyone.post(f"/moratoria/{moratorium}/review-requests", json=asked, headers=auditor)
        assert refused.status_code == 403
        decided = await anyone.post(
            f"/pending-matches/{moratorium}/reject", json={"reason": "x"}, headers=auditor
        )
        assert decided.status_code == 403

        revenues = officer_headers("revenues.officer")
        assert (await anyone.get("/status", headers=revenues)).status_code == 403
        assert (await anyone.get("/health")).status_code == 200
    assert json.loads((await http.get("/status")).text)["open_moratoria"]
