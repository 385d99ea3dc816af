"""The debtor rule is written once, in domain/debtors.py; the placement store builds the same answer in SQL (for a
50,000-case placement file). Both must say the same of the same identities: who is an organisation, who an
individual, and the name the agent is given."""

from __future__ import annotations

import json
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import text

from services.agents_gateway.domain.debtors import debtor_kind, debtor_name
from services.agents_gateway.stores import AgentsGatewayStores
from services.agents_gateway.stores.placements import NamedDebtor

IDENTITIES: list[dict[str, Any]] = [
    {"kind": "organisation", "organisation_name": "Derby Widgets Ltd", "surname": "Ignored"},
    {"kind": "organisation"},
    {"kind": "organisation", "organisation_name": None},
    {"kind": "person", "title": "Mrs", "first_names": "Jane Anne", "surname": "Example"},
    {"kind": "person", "first_names": "Jo", "surname": "Bloggs"},
    {"kind": "person", "title": None, "first_names": None, "surname": "Solo"},
    {"kind": "person", "first_names": "", "surname": "Empty"},
    {"kind": "person"},
    {"kind": "Organisation", "organisation_name": "Not quite", "surname": "Case"},
    {"kind": "company", "organisation_name": "Unknown kind", "first_names": "A", "surname": "Person"},
    {"organisation_name": "No kind at all", "surname": "Nobody"},
    {"kind": None, "surname": "Null kind"},
]

_DEBTOR = text("INSERT INTO debtor (customer_id, identity) VALUES (:customer_id, CAST(:identity AS jsonb))")


@pytest.mark.parametrize("identity", IDENTITIES, ids=[json.dumps(i) for i in IDENTITIES])
async def test_the_sql_names_the_debtor_as_the_domain_does(gateway, identity: dict[str, Any]) -> None:
    customer_id = uuid4()
    async with gateway.runtime.transaction(AgentsGatewayStores.on, gateway) as handling:
        await handling.session.execute(
            _DEBTOR, {"customer_id": customer_id, "identity": json.dumps(identity)}
        )
        named = await handling.stores.placements.named_debtors([customer_id])

    assert named[customer_id] == NamedDebtor(debtor_kind(identity), debtor_name(identity))
