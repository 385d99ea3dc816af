"""What happened to a schedule's lines before its decision (`writeoff.schedule_line_taken_off`): only ever
added to."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.writeoff.domain import LineTakenOff


class ScheduleHistoryStore:
    """Lines taken off schedules, with who, when and why."""

    _ADD = text(
        "INSERT INTO writeoff.schedule_line_taken_off (removal_id, schedule_id, request_id, amount_pence, "
        "reason, taken_off_by, taken_off_at) VALUES (:removal_id, :schedule_id, :request_id, :amount_pence, "
        ":reason, :taken_off_by, :taken_off_at)"
    )
    _OF_SCHEDULE = text(
        "SELECT schedule_id, request_id, amount_pence, reason, taken_off_by, taken_off_at "
        "FROM writeoff.schedule_line_taken_off WHERE schedule_id = :schedule_id "
        "ORDER BY taken_off_at, recorded_at"
    )
    _OF_REQUEST = text(
        "SELECT schedule_id, request_id, amount_pence, reason, taken_off_by, taken_off_at "
        "FROM writeoff.schedule_line_taken_off WHERE request_id = :request_id "
        "ORDER BY taken_off_at, recorded_at"
    )

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def line_taken_off(self, removal: LineTakenOff) -> None:
        """Keep the record of a line taken off a schedule."""
        await self.session.execute(
            self._ADD,
            {
                "removal_id": uuid4(),
                "schedule_id": UUID(removal.schedule_id),
                "request_id": UUID(removal.request_id),
                "amount_pence": removal.amount_pence,
                "reason": removal.reason,
                "taken_off_by": removal.taken_off_by,
                "taken_off_at": removal.taken_off_at,
            },
        )

    async def taken_off_schedule(self, schedule_id: UUID) -> list[LineTakenOff]:
        """Every line taken off this schedule, oldest first."""
        rows = await self.session.execute(self._OF_SCHEDULE, {"schedule_id": schedule_id})
        return [_removal(row.schedule_id, row.request_id, row) for row in rows]

    async def taken_off_for_request(self, request_id: UUID) -> list[LineTakenOff]:
        """Every time this request was taken off a schedule, oldest first."""
        rows = await self.session.execute(self._OF_REQUEST, {"request_id": request_id})
        return [_removal(row.schedule_id, row.request_id, row) for row in rows]


def _removal(schedule_id: UUID, request_id: UUID, row: object) -> LineTakenOff:
    at: datetime = row.taken_off_at  # type: ignore[attr-defined]
    return LineTakenOff(
        schedule_id=str(schedule_id),
        request_id=str(request_id),
        amount_pence=row.amount_pence,  # type: ignore[attr-defined]
        reason=row.reason,  # type: ignore[attr-defined]
        taken_off_by=row.taken_off_by,  # type: ignore[attr-defined]
        taken_off_at=at,
    )
