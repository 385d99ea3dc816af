"""Write-off schedules (`writeoff.write_off_schedule`): numbered, one council and band table each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncSession

from services.writeoff.domain import ScheduleStatus


@dataclass(frozen=True, slots=True)
class StoredSchedule:
    """A schedule as kept; its lines are the requests on it."""

    schedule_id: UUID
    number: int
    council: str
    band_table: str
    status: ScheduleStatus
    built_by: str
    built_at: datetime
    changed_at: datetime


_COLUMNS = "schedule_id, number, council, band_table, status, built_by, built_at, changed_at"


def _stored(row: Row[tuple[object, ...]]) -> StoredSchedule:
    found = row._mapping
    return StoredSchedule(
        schedule_id=found["schedule_id"],
        number=found["number"],
        council=found["council"],
        band_table=found["band_table"],
        status=ScheduleStatus(found["status"]),
        built_by=found["built_by"],
        built_at=found["built_at"],
        changed_at=found["changed_at"],
    )


class ScheduleStore:
    """The council's schedules."""

    _ADD = text(
        "INSERT INTO writeoff.write_off_schedule (schedule_id, council, band_table, status, built_by, built_at, "
        "changed_at) VALUES (:schedule_id, :council, :band_table, :status, :built_by, :at, :at)"
    )
    _GET = text(f"SELECT {_COLUMNS} FROM writeoff.write_off_schedule WHERE schedule_id = :schedule_id")
    _GET_FOR_UPDATE = text(
        f"SELECT {_COLUMNS} FROM writeoff.write_off_schedule WHERE schedule_id = :schedule_id FOR UPDATE"
    )
    _OF_COUNCIL = text(
        f"SELECT {_COLUMNS} FROM writeoff.write_off_schedule WHERE council = :council "
        "AND (CAST(:status AS text) IS NULL OR status = :status) ORDER BY number"
    )
    _CHANGED = text(
        "UPDATE writeoff.write_off_schedule SET changed_at = :at WHERE schedule_id = :schedule_id"
    )
    _STATUS = text("UPDATE writeoff.write_off_schedule SET status = :status WHERE schedule_id = :schedule_id")

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(
        self, schedule_id: UUID, council: str, band_table: str, built_by: str, at: datetime
    ) -> None:
        """A new schedule awaiting its decision (numbered by the database)."""
        await self.session.execute(
            self._ADD,
            {
                "schedule_id": schedule_id,
                "council": council,
                "band_table": band_table,
                "status": str(ScheduleStatus.AWAITING_DECISION),
                "built_by": built_by,
                "at": at,
            },
        )

    async def get(self, schedule_id: UUID, *, for_update: bool = False) -> StoredSchedule | None:
        """The schedule (locked against a concurrent decision or amendment when `for_update`), or None."""
        statement = self._GET_FOR_UPDATE if for_update else self._GET
        row = (await self.session.execute(statement, {"schedule_id": schedule_id})).first()
        return _stored(row) if row is not None else None

    async def of_council(self, council: str, status: str | None) -> list[StoredSchedule]:
        """The council's schedules in this status (any, when None), in number order."""
        rows = await self.session.execute(self._OF_COUNCIL, {"council": council, "status": status})
        return [_stored(row) for row in rows]

    async def changed(self, schedule_id: UUID, at: datetime) -> None:
        """The schedule's lines changed at this time."""
        await self.session.execute(self._CHANGED, {"schedule_id": schedule_id, "at": at})

    async def decided(self, schedule_id: UUID) -> None:
        """The schedule has its decision."""
        await self.session.execute(
            self._STATUS, {"schedule_id": schedule_id, "status": str(ScheduleStatus.DECIDED)}
        )
