"""Who the debtors are: the gateway keeps billing's registered customers, to name them in placements (the
placement record's `debtor` is built from this identity in outbound_files.py).

A referral may arrive before its customer (queues are not ordered against each other); the placement then
waits for the debtor and goes in the first file after the customer is known.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.agents_gateway.gateway import runtime
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
