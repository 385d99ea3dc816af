"""Write-offs (`writeoff.write_off`): each approved line, as the reports total them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.writeoff.domain import WriteOffRecord


class WriteOffStore:
    """Approved write-offs."""

    # Set-based: a signature may approve 10,000 lines at once.
    _ADD_APPROVED = text(
        """
        INSERT INTO writeoff.write_off (write_off_id, request_id, schedule_id, debt_id, customer_id, council,
            income_code, debt_area, reason_code, band, amount_pence, written_off_on, approved_by)
        SELECT w.write_off_id, r.request_id, r.schedule_id, r.debt_id, r.customer_id, r.council, r.income_code,
               COALESCE(r.debt_area, r.debt_type), r.reason_code, :band, r.amount_pence, :on, :approved_by
        FROM unnest(CAST(:write_off_ids AS uuid[]), CAST(:request_ids AS uuid[])) AS w(write_off_id, request_id)
        JOIN writeoff.write_off_request r ON r.request_id = w.request_id
        """
    )
    _RECORDS = text(
        "SELECT debt_id, council, debt_area, reason_code, band, amount_pence, written_off_on, reinstated_pence "
        "FROM writeoff.write_off WHERE CAST(:council AS text) IS NULL OR council = :council"
    )

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_approved(
        self,
        write_off_ids: Sequence[UUID],
        request_ids: Sequence[UUID],
        band: str,
        on: date,
        approved_by: str,
    ) -> None:
        """Each approved request (paired with its new write-off id) becomes a write-off of the request's debt."""
        if request_ids:
            await self.session.execute(
                self._ADD_APPROVED,
                {
                    "write_off_ids": list(write_off_ids),
                    "request_ids": list(request_ids),
                    "band": band,
                    "on": on,
                    "approved_by": approved_by,
                },
            )

    async def records(self, council: str | None = None) -> list[WriteOffRecord]:
        """Every approved write-off (of one council, or all), with any amount later reinstated."""
        rows = await self.session.execute(self._RECORDS, {"council": council})
        return [
            WriteOffRecord(
                debt_id=str(row.debt_id),
                council=row.council,
                debt_area=row.debt_area,
                reason_code=row.reason_code,
                band=row.band,
                written_off_pence=row.amount_pence,
                written_off_on=row.written_off_on,
                reinstated_pence=row.reinstated_pence,
            )
            for row in rows
        ]
