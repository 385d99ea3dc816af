"""The write-offs store: each approved write-off posted once, and what of it was reinstated."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from shared.contracts.writeoff import WriteOffApproved
from shared.money import Pence

_ALREADY_POSTED = text("SELECT write_off_id FROM write_off WHERE write_off_id = ANY(CAST(:ids AS uuid[]))")
_RECORD = text(
    "INSERT INTO write_off (write_off_id, debt_id, approved_pence, posted_pence, income_code, "
    "reason_code, approved_by, written_off_on) "
    "SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:debts AS uuid[]), "
    "CAST(:approved AS bigint[]), CAST(:posted AS bigint[]), CAST(:income_codes AS text[]), "
    "CAST(:reasons AS text[]), CAST(:approved_by AS text[]), CAST(:dates AS date[])) "
    "ON CONFLICT (write_off_id) DO NOTHING"
)
_REINSTATED = text(
    "UPDATE write_off SET reinstated_pence = reinstated_pence + :amount WHERE write_off_id = :id"
)


@dataclass(frozen=True)
class PostedWriteOff:
    """An approval and what was posted for it (less than approved if money arrived since; nil if none owed)."""

    approved: WriteOffApproved
    posted_pence: Pence


class WriteOffStore:
    """Write-off records, in one transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def already_posted(self, write_off_ids: list[UUID]) -> set[UUID]:
        """Which of these write-offs were posted before."""
        rows = await self.session.execute(_ALREADY_POSTED, {"ids": write_off_ids})
        return set(rows.scalars())

    async def record(self, posted: list[PostedWriteOff]) -> None:
        """Keep each approval with what was posted, once."""
        if not posted:
            return
        await self.session.execute(
            _RECORD,
            {
                "ids": [p.approved.write_off_id for p in posted],
                "debts": [p.approved.debt_id for p in posted],
                "approved": [p.approved.amount_pence for p in posted],
                "posted": [p.posted_pence for p in posted],
                "income_codes": [p.approved.income_code for p in posted],
                "reasons": [p.approved.reason_code for p in posted],
                "approved_by": [p.approved.approved_by for p in posted],
                "dates": [p.approved.approved_on for p in posted],
            },
        )

    async def add_reinstated(self, write_off_id: UUID, amount_pence: Pence) -> None:
        """Part (or all) of the write-off has been reinstated."""
        await self.session.execute(_REINSTATED, {"amount": amount_pence, "id": write_off_id})
