"""The case record of Sundry 8.7, as officers, complaints and the Ombudsman read it: the debt, the debtor's
circumstances, every step, notice, contact, arrangement, hold, referral, proof of debt request and write-off
request, in order.
Nothing here is ever changed, only added to (the tables refuse UPDATE and DELETE)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from uuid import UUID

from services.recovery.stores import RecoveryStores


async def case_view(stores: RecoveryStores, case_id: UUID) -> dict[str, Any] | None:
    """The case as it stands and its whole record."""
    found = await stores.cases.rows([case_id])
    if not found:
        return None
    proofs = (await stores.proofs_of_debt.for_cases([case_id])).get(case_id, [])
    return {
        "case": asdict(found[0]),
        **asdict(await stores.record.case_record(case_id)),
        # Proof of debt asked of the originating service, each with the answer that stands (NELC 5.10).
        "proofs_of_debt": [
            {**asdict(p.request), "answer": asdict(p.first_answer) if p.first_answer else None}
            for p in proofs
        ],
    }


async def customer_view(stores: RecoveryStores, customer_id: UUID) -> dict[str, Any]:
    """Every case of the customer with its record, and what is known of their circumstances."""
    case_ids = await stores.cases.case_ids_for_customer(customer_id)
    cases = [view for case_id in case_ids if (view := await case_view(stores, case_id)) is not None]
    return {
        "customer_id": customer_id,
        "circumstances": [asdict(line) for line in await stores.record.circumstances_lines(customer_id)],
        "cases": cases,
    }
