"""The case record of Sundry 8.7, as officers, complaints and the Ombudsman read it: the debt, the debtor's
circumstances, every step, notice, contact, arrangement, hold, referral and write-off request, in order.
Nothing here is ever changed, only added to (the tables refuse UPDATE and DELETE)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from uuid import UUID

from services.recovery.stores import RecoveryStores


def _all(lines: list[Any]) -> list[dict[str, Any]]:
    return [asdict(line) for line in lines]


async def case_view(stores: RecoveryStores, case_id: UUID) -> dict[str, Any] | None:
    """The case as it stands and its whole record."""
    found = await stores.cases.rows([case_id])
    if not found:
        return None
    record = stores.record
    return {
        "case": asdict(found[0]),
        "record": _all(await record.record_lines(case_id)),
        "steps": _all(await record.step_lines(case_id)),
        "notices": _all(await record.notice_lines(case_id)),
        "holds": _all(await record.hold_lines(case_id)),
        "referrals": _all(await record.referral_lines(case_id)),
        "arrangements": _all(await record.arrangement_lines(case_id)),
        "contacts": _all(await record.contact_lines(case_id)),
        "write_off_requests": _all(await record.write_off_lines(case_id)),
    }


async def customer_view(stores: RecoveryStores, customer_id: UUID) -> dict[str, Any]:
    """Every case of the customer with its record, and what is known of their circumstances."""
    case_ids = await stores.cases.case_ids_for_customer(customer_id)
    cases = [view for case_id in case_ids if (view := await case_view(stores, case_id)) is not None]
    return {
        "customer_id": customer_id,
        "circumstances": _all(await stores.record.circumstances_lines(customer_id)),
        "cases": cases,
    }
