"""NELC 5.10 and 5.12 through the real broker and database: when an invoice reaches the proof of debt step, recovery
asks the service that raised it (`recovery.proof_of_debt.requested`) and waits until the reply-by date. Proof
provided (`council_systems.proof_of_debt.provided`): the case goes on to the collection agents. Not provided
(`council_systems.proof_of_debt.not_provided`): the write-off is requested for no proof of debt. No answer by the
reply-by date: the next daily run requests it. Only a council system may answer.

These tests run recovery configured for North East Lincolnshire (whose policy has the step) in place of the
session's default council (`nelc_recovery.py`), on dates in 2018 so that their daily runs meet no other test's
cases."""

from __future__ import annotations

import os
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import aiormq.exceptions
import pytest

from services.recovery.domain.proof_of_debt import reply_by
from shared.contracts.billing import DebtSettled
from shared.contracts.proof_of_debt import ProofOfDebtNotProvided, ProofOfDebtProvided
from tests.council_bus import eventually, publish
from tests.integration.recovery.nelc_recovery import nelc_recovery, officer_desk, record_of  # noqa: F401
from tests.integration.recovery.recovery_bus import (
    Heard,
    a_debt,
    case_row,
    heard_eventually,
    raise_debt,
    run_daily,
    steps_of,
)

DUE = date(2018, 1, 8)
FIRST_REMINDER, FINAL_NOTICE, PROOF_ASKED = date(2018, 1, 22), date(2018, 2, 5), date(2018, 2, 19)
REPLY_BY = reply_by(PROOF_ASKED, 10)  # NELC's sundry policy: ten working days

pytestmark = pytest.mark.usefixtures("nelc_recovery")


async def an_invoice_asked_for_proof(heard: Heard) -> tuple[UUID, UUID, dict[str, Any]]:
    """An NELC invoice unpaid through its reminder and final notice, at the proof of debt step: (debt id, case
    id, the request as published)."""
    debt = a_debt(
        "sundry",
        due=DUE,
        financial_year="2017/18",
        raised_on=date(2017, 12, 20),
        originating_service="Leisure Services",
        income_code="LEI01",
    )
    case_id = await raise_debt(debt)
    for day in (FIRST_REMINDER, FINAL_NOTICE, PROOF_ASKED):
        await run_daily(day)
    (asked,) = await heard_eventually(heard, "recovery.proof_of_debt.requested", case_id=case_id)
    return debt.debt_id, case_id, asked


async def test_at_the_proof_of_debt_step_the_service_that_raised_the_debt_is_asked_and_given_until_the_reply_by_date(
    heard,
):
    debt_id, case_id, asked = await an_invoice_asked_for_proof(heard)
    assert (asked["originating_service"], asked["income_code"], asked["council"]) == (
        "Leisure Services",
        "LEI01",
        "nelc",
    )
    assert (asked["requested_on"], asked["reply_by"]) == (PROOF_ASKED.isoformat(), REPLY_BY.isoformat())
    assert asked["debt_id"] == str(debt_id) and asked["amount_pence"] == 250_00
    assert [name for name, _, _ in await steps_of(case_id)] == [
        "first_reminder",
        "final_notice",
        "proof_of_debt",
    ]
    row = await case_row(case_id)
    assert (row["next_step_name"], row["next_step_eligible_from"]) == (None, date(2018, 3, 6))
    assert any(entry == "proof_of_debt_requested" for entry, _ in await record_of(case_id))
    await publish(DebtSettled(debt_id=debt_id, settled_on=REPLY_BY))  # leaves no open case behind


async def test_proof_provided_the_case_goes_on_to_the_collection_agents(heard):
    debt_id, case_id, asked = await an_invoice_asked_for_proof(heard)
    await publish(
        ProofOfDebtProvided(
            request_id=UUID(asked["request_id"]),
            case_id=case_id,
            debt_id=debt_id,
            provided_on=date(2018, 2, 23),
            evidence=["signed booking form BK-1 held by Leisure Services"],
            confirmed_by="Leisure Services manager",
        )
    )
    await eventually(lambda: case_row(case_id), lambda row: row["next_step_name"] == "collection_agents")
    entries = await record_of(case_id)
    assert any(entry == "proof_of_debt_answered" and "5.12" in summary for entry, summary in entries)
    async with officer_desk() as desk:  # the request and its answer on the case as an officer reads it
        (proof,) = (await desk.get(f"/cases/{case_id}")).json()["proofs_of_debt"]
    assert (proof["originating_service"], proof["reply_by"]) == ("Leisure Services", REPLY_BY.isoformat())
    assert proof["answer"]["outcome"] == "provided"

    await run_daily(REPLY_BY)  # the collection agents' day: fourteen days after the request
    await heard_eventually(heard, "recovery.case.referred", case_id=case_id, agency_kind="collection_agency")
    assert [name for name, _, _ in await steps_of(case_id)][-1] == "collection_agents"
    assert heard.about("recovery.write_off.requested", case_id=case_id) == []
    await publish(DebtSettled(debt_id=debt_id, settled_on=REPLY_BY))


async def test_proof_not_provided_the_write_off_is_requested_for_no_proof_of_debt(heard):
    debt_id, case_id, asked = await an_invoice_asked_for_proof(heard)
    await publish(
        ProofOfDebtNotProvided(
            request_id=UUID(asked["request_id"]),
            case_id=case_id,
            debt_id=debt_id,
            answered_on=date(2018, 2, 21),
            reason="no booking form on file",
            confirmed_by="Leisure Services manager",
        )
    )
    (request,) = await heard_eventually(heard, "recovery.write_off.requested", case_id=case_id)
    assert (request["reason_code"], request["amount_pence"]) == ("no_proof_of_debt", 250_00)
    assert any("no booking form on file" in line for line in request["evidence"])
    assert (await case_row(case_id))["status"] == "write_off_requested"
    assert [entry for entry, _ in await record_of(case_id)][-3:] == [
        "proof_of_debt_answered",
        "no_proof_of_debt",
        "write_off_request",
    ]


async def test_no_answer_by_the_reply_by_date_the_next_daily_run_requests_the_write_off(heard):
    _, case_id, _ = await an_invoice_asked_for_proof(heard)
    await run_daily(REPLY_BY)  # the last day to answer: nothing yet
    assert heard.about("recovery.write_off.requested", case_id=case_id) == []
    assert [name for name, _, _ in await steps_of(case_id)][-1] == "proof_of_debt"

    await run_daily(date(2018, 3, 6))
    (request,) = await heard_eventually(heard, "recovery.write_off.requested", case_id=case_id)
    assert request["reason_code"] == "no_proof_of_debt"
    assert any(REPLY_BY.isoformat() in line for line in request["evidence"])
    assert (await case_row(case_id))["status"] == "write_off_requested"


@pytest.mark.skipif(not os.environ.get("BROKER_PASSWORDS_FILE"), reason="needs the platform's broker users")
async def test_only_a_council_system_may_answer_for_the_originating_service():
    forged = ProofOfDebtProvided(
        request_id=uuid4(),
        case_id=uuid4(),
        debt_id=uuid4(),
        provided_on=date(2018, 2, 23),
        evidence=["forged"],
        confirmed_by="not a council system",
    )
    with pytest.raises(aiormq.exceptions.ChannelAccessRefused):
        await publish(forged, as_user="billing")
