"""Who the debtors are: the gateway keeps billing's registered customers, to name them in placements (the
placement record's `debtor` is built from this identity by the rule of domain/debtors.py).

A referral may arrive before its customer (queues are not ordered against each other); the placement then
waits for the debtor and goes in the first file after the customer is known.
"""

from __future__ import annotations

from services.agents_gateway.gateway_service import GatewayHandling, gateway_router
from shared.contracts.billing import CustomerAmended, CustomerRegistered

router = gateway_router()


@router.handles(CustomerRegistered)
async def remember_debtor(customer: CustomerRegistered, handling: GatewayHandling) -> None:
    """Keep the customer's name, address and contact details for placements."""
    await handling.stores.debtors.remember(customer.customer_id, customer.identity)


@router.handles(CustomerAmended)
async def update_debtor(customer: CustomerAmended, handling: GatewayHandling) -> None:
    """A changed name or address replaces the one kept (placements not yet sent will carry the new one)."""
    await handling.stores.debtors.remember(customer.customer_id, customer.identity)
