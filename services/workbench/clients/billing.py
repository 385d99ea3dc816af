"""Billing's HTTP API: customer search, the customer with their debts and money, match reviews, refunds, counter
payments and quarantined payment files."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.workbench.clients.calls import ServiceClient


class BillingApi:
    """What the workbench asks billing."""

    def __init__(self, client: ServiceClient) -> None:
        self.client = client

    async def search(self, query: str) -> list[dict[str, Any]]:
        """Residents and organisations matching a name, postcode, address, account or reference."""
        found = await self.client.get("/customers", query=query)
        return list(found["customers"])

    async def customer(self, customer_id: UUID) -> dict[str, Any]:
        """The customer with every debt, instalment, payment, allocation, hold and write-off."""
        found: dict[str, Any] = await self.client.get(f"/customers/{customer_id}")
        return found

    async def debt(self, debt_id: UUID) -> dict[str, Any]:
        """One debt: its references, the customers liable, balance and unpaid lines."""
        found: dict[str, Any] = await self.client.get(f"/debts/{debt_id}")
        return found

    async def match_reviews(self) -> list[dict[str, Any]]:
        """Flagged customer matches waiting for an officer, oldest first."""
        return list(await self.client.get("/match-reviews"))

    async def confirm_match(self, review_id: UUID, customer_id: UUID) -> None:
        """The provisional customer is this existing one: their debts move to them."""
        await self.client.post(f"/match-reviews/{review_id}/confirm", {"customer_id": str(customer_id)})

    async def reject_match(self, review_id: UUID) -> None:
        """They are different customers."""
        await self.client.post(f"/match-reviews/{review_id}/reject")

    async def refunds_due(self) -> list[dict[str, Any]]:
        """Refunds waiting for a senior officer to authorise them, oldest first."""
        found = await self.client.get("/refunds")
        return list(found["refunds"])

    async def authorise_refund(self, refund_id: UUID) -> None:
        """Authorise a refund due (billing takes the senior officer from the token)."""
        await self.client.post(f"/refunds/{refund_id}/authorise")

    async def record_counter_payment(
        self,
        customer_id: UUID,
        *,
        receipt_reference: str,
        method: str,
        amount_pence: int,
        directed_to: list[UUID],
    ) -> dict[str, Any]:
        """Record a payment taken at the counter; billing applies it (the payer's direction, else its order) and
        records the officer from the token. The same receipt again changes nothing (`already_recorded`)."""
        recorded: dict[str, Any] = await self.client.post(
            f"/customers/{customer_id}/counter-payments",
            {
                "receipt_reference": receipt_reference,
                "method": method,
                "amount_pence": amount_pence,
                "directed_to": [str(d) for d in directed_to],
            },
        )
        return recorded

    async def quarantined_payment_files(self) -> dict[str, Any]:
        """Payment files quarantined whole and not yet resubmitted, oldest first: count, the oldest's age in
        hours, and per file its name, where it was kept, its problems and when it was quarantined."""
        found: dict[str, Any] = await self.client.get("/payment-files/quarantined", limit=500)
        return found
