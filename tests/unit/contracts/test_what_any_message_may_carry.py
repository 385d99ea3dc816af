"""Out-of-range input is refused with its reason when a message is opened, never by the database."""

from __future__ import annotations

from uuid import uuid4

import pytest

from shared.contracts.bounds import MAX_PENCE
from shared.contracts.council_systems import ChargeRequested, LiableParty, PostalAddress
from shared.contracts.envelope import Envelope, MalformedMessage, open_envelope


def _party(**changes) -> LiableParty:
    values = dict(
        kind="person",
        first_names="Ada",
        surname="Hollis",
        address=PostalAddress(lines=["1 High Street", "Derby"], postcode="DE1 1AA"),
    )
    values.update(changes)
    return LiableParty(**values)


def _charge(**changes) -> dict:
    values = dict(
        external_reference="CT-1",
        requesting_system="council_tax",
        originating_service="Revenues",
        debt_type="council_tax",
        amount_pence=1_450_00,
        liable_parties=[_party().model_dump(mode="json")],
        raised_on="2026-04-01",
        income_code="CT01",
        evidence_reference="annual bill",
    )
    values.update(changes)
    return values


def _opened(data: dict, message_type: str = "council_systems.charge.requested"):
    envelope = Envelope(
        type=message_type, version=1, correlation_id=uuid4(), producer="council_tax", data=data
    )
    return open_envelope(envelope.to_bytes())


def test_a_charge_within_the_bounds_opens() -> None:
    _, charge = _opened(_charge())
    assert isinstance(charge, ChargeRequested)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (_charge(amount_pence=10**30), "beyond the limit"),
        (_charge(amount_pence=2**63 - 1), "beyond the limit"),
        (_charge(liable_parties=[_party().model_dump(mode="json")] * 5_000), "5000 items"),
        (_charge(liable_parties=[_party(surname="H" * 10_000_000).model_dump(mode="json")]), "characters"),
        (_charge(liable_parties=[_party(surname="Hol\x00lis").model_dump(mode="json")]), "printable"),
        (_charge(raised_on="0001-01-01"), "year 1"),
        (_charge(external_reference="x" * 5_000), "characters"),
    ],
    ids=[
        "10^30 pence",
        "2^63-1 pence",
        "5,000 liable parties",
        "a 10 MB surname",
        "a NUL in a name",
        "the year 1",
        "a 5,000-character reference",
    ],
)
def test_a_charge_beyond_the_bounds_is_refused_with_the_reason(data, reason) -> None:
    with pytest.raises(MalformedMessage, match=reason):
        _opened(data)


def test_a_card_payment_of_more_than_a_billion_pounds_is_refused() -> None:
    data = dict(channel="card", channel_reference="c-1", amount_pence=MAX_PENCE + 1, received_on="2026-04-01")
    with pytest.raises(MalformedMessage, match="beyond the limit"):
        _opened(data, "council_systems.payment.received")
