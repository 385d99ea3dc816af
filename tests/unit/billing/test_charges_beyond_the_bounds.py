"""A charge request beyond the bounds any message may carry is refused to its council system with the reason,
its reference echoed back cut short, and nothing of it kept (in memory: no broker, no database)."""

from __future__ import annotations

from uuid import uuid4

from services.billing.charges import refuse_charge_beyond_bounds
from shared.contracts.billing import ChargeRefused
from shared.contracts.council_systems import ChargeRequested
from shared.contracts.envelope import Envelope
from tests.unit.billing.in_memory_stores import InMemoryChargeStores, handling_for


def a_request_that_would_not_open(**data: object) -> Envelope:
    return Envelope(
        type=ChargeRequested.message_type,
        version=ChargeRequested.message_version,
        correlation_id=uuid4(),
        producer="finance",
        data=data,
    )


async def test_the_council_system_is_told_why_and_nothing_is_kept() -> None:
    stores = InMemoryChargeStores()
    handling, published = handling_for(stores)
    envelope = a_request_that_would_not_open(
        external_reference="INV-1", requesting_system="finance", amount_pence=10**30
    )

    await refuse_charge_beyond_bounds(envelope, "amount_pence: 10^30 pence is beyond the limit", handling)

    [refused] = published.of_type(ChargeRefused)
    assert (refused.external_reference, refused.requesting_system) == ("INV-1", "finance")
    assert refused.reasons == ["amount_pence: 10^30 pence is beyond the limit"]
    assert (stores.raised, stores.refused, stores.registered) == ([], [], [])


async def test_what_is_echoed_back_is_cut_to_200_printable_characters() -> None:
    handling, published = handling_for(InMemoryChargeStores())
    envelope = a_request_that_would_not_open(
        external_reference="\x00" + "R" * 5_000, requesting_system=["not", "text"]
    )

    await refuse_charge_beyond_bounds(envelope, "x" * 50_000, handling)

    [refused] = published.of_type(ChargeRefused)
    assert refused.external_reference == "R" * 199
    assert refused.requesting_system == ""
    assert len(refused.reasons[0]) == 2_000
