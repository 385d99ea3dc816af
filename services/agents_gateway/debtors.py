"""Who the debtors are: the gateway keeps billing's registered customers, to name them in placements.

A referral may arrive before its customer (queues are not ordered against each other); the placement then
waits for the debtor and goes in the first file after the customer is known.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.agents_gateway.service import runtime
from shared.contracts.billing import CustomerAmended, CustomerRegistered
from shared.contracts.envelope import Envelope

_UPSERT = text(
    "INSERT INTO debtor (customer_id, identity) VALUES (:customer_id, CAST(:identity AS jsonb)) "
    "ON CONFLICT (customer_id) DO UPDATE SET identity = EXCLUDED.identity, updated_at = now()"
)


@runtime.inbox.handles(CustomerRegistered)
async def remember_debtor(session: AsyncSession, customer: CustomerRegistered, envelope: Envelope) -> None:
    """Keep the customer's name, address and contact details for placements."""
    await session.execute(
        _UPSERT, {"customer_id": customer.customer_id, "identity": customer.identity.model_dump_json()}
    )


@runtime.inbox.handles(CustomerAmended)
async def update_debtor(session: AsyncSession, customer: CustomerAmended, envelope: Envelope) -> None:
    """A changed name or address replaces the one kept (placements not yet sent will carry the new one)."""
    await session.execute(
        _UPSERT, {"customer_id": customer.customer_id, "identity": customer.identity.model_dump_json()}
    )


def debtor_for_placement(identity: dict[str, Any]) -> dict[str, Any]:
    """The `debtor` part of a placement record from a liable party as billing registered it."""
    if identity.get("kind") == "organisation":
        name = identity.get("organisation_name") or ""
    else:
        name = " ".join(
            part
            for part in (identity.get("title"), identity.get("first_names"), identity.get("surname"))
            if part
        )
    address = identity.get("address") or {}
    debtor: dict[str, Any] = {
        "kind": "organisation" if identity.get("kind") == "organisation" else "person",
        "name": name,
        "address": {"lines": address.get("lines") or [], "postcode": address.get("postcode") or ""},
    }
    if identity.get("date_of_birth"):
        debtor["date_of_birth"] = identity["date_of_birth"]
    if identity.get("phone"):
        debtor["telephone"] = identity["phone"]
    if identity.get("email"):
        debtor["email"] = identity["email"]
    return debtor
