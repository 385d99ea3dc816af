"""Two billing services in one process, each with its own council's billing rules: the same £20 invoice is
raised by the council with a £10 minimum and refused by the council with a £50 minimum."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from services.billing.bootstrap import bootstrap
from services.billing.charges import raise_or_refuse_charge
from shared.contracts.billing import ChargeRefused, DebtRaised
from shared.contracts.council_systems import ChargeRequested, LiableParty, PostalAddress
from shared.contracts.envelope import Envelope
from shared.messaging.event_writer import CollectedEvents
from shared.messaging.inbox_router import Handling
from tests.unit.billing.in_memory_stores import InMemoryChargeStores

AN_INVOICE = ChargeRequested(
    external_reference="INV-20",
    requesting_system="finance",
    originating_service="Parks",
    debt_type="sundry",
    amount_pence=20_00,
    liable_parties=[
        LiableParty(
            kind="person",
            first_names="Ada",
            surname="Lovelace",
            address=PostalAddress(lines=["1 The Strand", "Derby"], postcode="DE1 1AA"),
        )
    ],
    raised_on=date(2026, 5, 1),
    income_code="PK01",
    evidence_reference="hire of the bandstand",
)


async def _request_the_invoice(billing: Any) -> tuple[InMemoryChargeStores, CollectedEvents]:
    stores = InMemoryChargeStores()
    envelope = Envelope.wrap(AN_INVOICE, producer="finance")
    published = CollectedEvents(producer="billing", cause=envelope)
    await raise_or_refuse_charge(AN_INVOICE, Handling(stores, published, billing, envelope))
    return stores, published


async def test_each_instance_applies_its_own_councils_minimum_charge(tmp_path: Path):
    strict = tmp_path / "strict.yaml"
    strict.write_text('minimum_charge: "50.00"\n')
    default_council, strict_council = bootstrap(), bootstrap(billing_rules_file=strict)
    assert default_council.runtime is not strict_council.runtime

    raised, raised_events = await _request_the_invoice(default_council)
    refused, refused_events = await _request_the_invoice(strict_council)

    assert [d.amount_pence for d in raised_events.of_type(DebtRaised)] == [20_00]
    assert len(raised.raised) == 1 and raised.refused == []
    [refusal] = refused_events.of_type(ChargeRefused)
    assert any("minimum" in reason for reason in refusal.reasons)
    assert refused.raised == [] and len(refused.refused) == 1
