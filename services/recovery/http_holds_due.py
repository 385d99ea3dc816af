"""Holds due for review across every case, over HTTP: the officers' tray of holds still in force whose review
date has come (a dispute past its 30 days, an appeal, vulnerability or manual hold at its review date). A hold
stays until an officer lifts it, so each of these needs someone to look.

The holds are those of `HoldStore.due_for_review` (the rule `HOLD_NEEDS_REVIEW_ON_DAY`, the twin of
`Hold.needs_review_on`), the same as the `holds-for-review` command; each is given with its case's debt reference
and the debtor's name where recovery holds one (billing's customer, as recovery heard of it)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from services.recovery.http import Reader, Service
from services.recovery.stores import RecoveryStores

router = APIRouter()


@router.get("/holds/due-for-review")
async def holds_due_for_review(
    service: Service,
    _: Reader,
    on: Annotated[date | None, Query(description="YYYY-MM-DD (default: the business date)")] = None,
) -> dict[str, Any]:
    """Holds in force on `on` whose review date is on or before it, on cases not closed, oldest review first:
    case, debt reference, debtor's name (None when recovery has none), kind, reason and authority, review date and
    how many days it is overdue."""
    day = on or service.clock.today()
    async with service.runtime.transaction(RecoveryStores.on, service) as handling:
        holds = await handling.stores.holds.due_for_review(day)
        case_ids = sorted({h.case_id for h in holds})
        cases = {row.case_id: row for row in await handling.stores.cases.rows(case_ids)}
        debtors = await handling.stores.customers.debtors_of_cases(case_ids)
    items = []
    for hold in holds:
        case = cases.get(hold.case_id)
        debtor = debtors.get(hold.case_id)
        items.append(
            {
                "case_id": str(hold.case_id),
                "hold_id": str(hold.hold_id),
                "debt_id": str(case.debt_id) if case else None,
                "debt_type": case.debt_type if case else None,
                "debt_reference": case.external_reference if case else None,
                "customer_ids": [str(c) for c in case.customer_ids] if case else [],
                "debtor_name": debtor.name if debtor else None,
                "kind": hold.kind,
                "reason": hold.reason,
                "authorised_by": hold.authorised_by,
                "review_on": hold.review_on.isoformat(),
                "days_overdue": (day - hold.review_on).days,
            }
        )
    return {"on": day.isoformat(), "count": len(items), "holds": items}
