"""The quarantined payment files store: each file quarantined whole, with its report, awaiting an officer."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

_RECORD = text(
    "INSERT INTO quarantined_payment_file (file_name, kept_at, payments, problems, quarantined_on) "
    "VALUES (:file_name, :kept_at, :payments, CAST(:problems AS jsonb), :on) RETURNING file_id"
)
_AWAITING = text(
    """
    SELECT file_id, file_name, kept_at, payments, problems::text AS problems, quarantined_on, quarantined_at,
           extract(epoch FROM now() - quarantined_at)::bigint AS age_seconds
    FROM quarantined_payment_file WHERE status = 'awaiting_officer'
    ORDER BY quarantined_at, file_id LIMIT :limit
    """
)
_COUNT = text("SELECT count(*) FROM quarantined_payment_file WHERE status = 'awaiting_officer'")

TRAY_SQL = (
    "SELECT count(*), coalesce(extract(epoch FROM now() - min(quarantined_at)), 0) "
    "FROM billing.quarantined_payment_file WHERE status = 'awaiting_officer'"
)
"""The tray on /metrics: how many files wait, and the oldest's age in seconds."""


@dataclass(frozen=True)
class QuarantinedFile:
    """A payment file waiting for an officer, and how long it has waited."""

    file_id: int
    file_name: str
    kept_at: str
    payments: int
    problems: list[str]
    quarantined_on: date
    quarantined_at: datetime
    age_seconds: int


class PaymentFileStore:
    """Quarantined payment files, in one transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record_quarantined(
        self, file_name: str, kept_at: str, payments: int, problems: list[str], on: date
    ) -> int:
        """Keep a quarantined file in the tray; returns its id."""
        file_id: int = (
            await self.session.execute(
                _RECORD,
                {
                    "file_name": file_name,
                    "kept_at": kept_at,
                    "payments": payments,
                    "problems": json.dumps(problems),
                    "on": on,
                },
            )
        ).scalar_one()
        return file_id

    async def awaiting_officer(self, limit: int) -> tuple[int, list[QuarantinedFile]]:
        """How many files wait, and the oldest `limit` of them."""
        count: int = (await self.session.execute(_COUNT)).scalar_one()
        rows = await self.session.execute(_AWAITING, {"limit": limit})
        return count, [
            QuarantinedFile(**{**row._mapping, "problems": json.loads(row.problems)}) for row in rows
        ]
