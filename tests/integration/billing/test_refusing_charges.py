"""A bad charge request is refused whole: the reasons go back to the requesting system, the request is kept
for audit, and nothing of it is applied (no debt, no customer)."""

from __future__ import annotations

from uuid import uuid4

import pytest

from shared.contracts.council_systems import ChargeRequested
from shared.contracts.envelope import Envelope
from tests.council_bus import fetch_value, publish
from tests.demo_people import unique_surname
from tests.integration.billing.council_systems import a_person, a_sundry_invoice


async def refused(heard, request):
    await publish(request)
    [answer] = await heard.wait_for(
        "billing.charge.refused", lambda d: d["external_reference"] == request.external_reference
    )
    return answer.data["reasons"]


@pytest.mark.parametrize(
    ("overrides", "reason_contains"),
    [
        ({"amount_pence": -500}, "more than nil"),
        ({"debt_type": "dog_licence"}, "unknown debt type 'dog_licence'"),
        ({"liable_parties": []}, "no liable person or organisation"),
        ({"amount_pence": 9_99}, "under the council's minimum charge of £10.00"),
    ],
)
async def test_a_bad_request_is_refused_with_its_reason_kept_for_audit_and_nothing_applied(
    heard, overrides, reason_contains
):
    surname = unique_surname("Refused")
    request = a_sundry_invoice(a_person(surname=surname), **overrides)
    reasons = await refused(heard, request)
    assert any(reason_contains in r for r in reasons), reasons
    assert (
        await fetch_value(
            "SELECT reasons FROM billing.refused_request WHERE external_reference = $1",
            request.external_reference,
        )
        == reasons
    )
    assert (
        await fetch_value(
            "SELECT count(*) FROM billing.debt WHERE external_reference = $1", request.external_reference
        )
        == 0
    )
    assert (
        await fetch_value("SELECT count(*) FROM billing.customer WHERE surname_key = upper($1)", surname) == 0
    )


async def test_a_charge_under_the_minimum_is_raised_when_the_law_requires_it(heard):
    request = a_sundry_invoice(amount_pence=4_50, legally_required=True)
    await publish(request)
    await heard.wait_for(
        "billing.debt.raised", lambda d: d["external_reference"] == request.external_reference
    )


async def test_every_reason_is_given_at_once(heard):
    request = a_sundry_invoice(amount_pence=-1, debt_type="unicorn", liable_parties=[])
    reasons = await refused(heard, request)
    assert len(reasons) == 3


async def test_a_repeated_external_reference_is_refused_as_a_duplicate_and_the_first_debt_stands(heard):
    request = a_sundry_invoice()
    await publish(request)
    await heard.wait_for(
        "billing.debt.raised", lambda d: d["external_reference"] == request.external_reference
    )
    resent = request.model_copy(update={"amount_pence": 999_00})
    reasons = await refused(heard, resent)
    assert any("already been raised" in r for r in reasons)
    assert await fetch_value(
        "SELECT array_agg(amount_pence) FROM billing.debt WHERE external_reference = $1",
        request.external_reference,
    ) == [250_00]


def beyond_the_bounds(**changes) -> Envelope:
    """A charge request as a council system might send it, with fields no message may carry."""
    data = a_sundry_invoice().model_dump(mode="json")
    data.update(changes)
    return Envelope(
        type=ChargeRequested.message_type,
        version=ChargeRequested.message_version,
        correlation_id=uuid4(),
        producer="finance",
        data=data,
    )


@pytest.mark.parametrize(
    ("changes", "reason_contains"),
    [
        ({"amount_pence": 10**30}, "pence is beyond the limit"),
        ({"liable_parties": [a_person().model_dump(mode="json")] * 5_000}, "5000 items, more than the limit"),
    ],
    ids=["10^30 pence", "5,000 liable parties"],
)
async def test_a_request_beyond_the_bounds_is_refused_with_its_reason_and_nothing_is_written(
    billing, heard, changes, reason_contains
):
    envelope = beyond_the_bounds(**changes)
    reference = envelope.data["external_reference"]
    await publish(envelope)

    [answer] = await heard.wait_for("billing.charge.refused", lambda d: d["external_reference"] == reference)

    assert answer.causation_id == envelope.event_id
    assert answer.data["requesting_system"] == "finance"
    [reason] = answer.data["reasons"]
    assert reason_contains in reason, reason
    assert (
        await fetch_value("SELECT count(*) FROM billing.debt WHERE external_reference = $1", reference) == 0
    )
    assert (
        await fetch_value(
            "SELECT count(*) FROM billing.refused_request WHERE external_reference = $1", reference
        )
        == 0
    )
    assert (
        await fetch_value(
            "SELECT count(*) FROM billing.dead_letter WHERE event_id = $1", str(envelope.event_id)
        )
        == 0
    )


async def test_a_reference_megabytes_long_is_echoed_back_cut_to_200_characters(billing, heard):
    envelope = beyond_the_bounds(external_reference="R" * 3_000_000, amount_pence=-1)
    await publish(envelope)

    [answer] = await heard.wait_for("billing.charge.refused", lambda d: d["external_reference"] == "R" * 200)
    assert "characters, more than the limit" in answer.data["reasons"][0]
