"""The officers' workbench tray of payment files quarantined whole (one unreadable line stops the whole file, see
payment_files): how many wait, and per file its name, where it was kept, how long it has waited and every problem
its report lists, so an officer fixes and resubmits it. Read by revenues and senior officers and auditors."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from services.billing.billing import Billing
from services.billing.enquiries import billing_service
from services.billing.stores import BillingStores
from shared.auth import Principal, Role, requires

router = APIRouter(tags=["payment files"])

TrayReader = Annotated[Principal, Depends(requires(Role.REVENUES_OFFICER, Role.SENIOR_OFFICER, Role.AUDITOR))]
"""Officers who fix and resubmit payment files, and auditors (read-only)."""


class QuarantinedFileOut(BaseModel):
    """A payment file quarantined whole, waiting for an officer."""

    file_id: int
    file_name: str
    kept_at: str = Field(description="Where the file and its `.report.json` were kept")
    payments: int = Field(description="The payment lines read before the file was refused")
    problems_count: int
    problems: list[str] = Field(description="Every problem the report lists, by line (at most 100 here)")
    quarantined_on: date = Field(description="The business date it was quarantined")
    quarantined_at: datetime
    age_hours: float = Field(description="How long it has waited, in hours")


class QuarantinedFilesTray(BaseModel):
    """The tray: how many files wait, the oldest's age, and the files oldest first."""

    count: int
    oldest_age_hours: float
    files: list[QuarantinedFileOut]


@router.get("/payment-files/quarantined", response_model=QuarantinedFilesTray)
async def quarantined_payment_files(
    _reader: TrayReader,
    billing: Annotated[Billing, Depends(billing_service)],
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> QuarantinedFilesTray:
    """Payment files quarantined whole and not yet resubmitted, oldest first (at most `limit`)."""
    async with billing.runtime.transaction(BillingStores.on, billing) as handling:
        count, waiting = await handling.stores.payment_files.awaiting_officer(limit)
    files = [
        QuarantinedFileOut(
            file_id=f.file_id,
            file_name=f.file_name,
            kept_at=f.kept_at,
            payments=f.payments,
            problems_count=len(f.problems),
            problems=f.problems[:100],
            quarantined_on=f.quarantined_on,
            quarantined_at=f.quarantined_at,
            age_hours=round(f.age_seconds / 3600, 2),
        )
        for f in waiting
    ]
    return QuarantinedFilesTray(
        count=count, oldest_age_hours=files[0].age_hours if files else 0.0, files=files
    )
