"""Write-off schedules: pending requests grouped, per council and band table, for one decision each.

A schedule can be amended (a line taken off) until it is decided; that changes its hash, so a signature made
over what was presented before no longer matches and the approver must review it and sign again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.writeoff import intake
from services.writeoff.domain import (
    BandTable,
    CouncilWriteOffPolicy,
    Evidence,
    Refusal,
    RefusalCode,
    RequestChannel,
    WriteOffRequest,
    WriteOffSchedule,
    assemble_schedule,
)
from services.writeoff.service import policies
from services.writeoff.standing import standings_of
from services.writeoff.tables import WriteOffRequestRow, WriteOffScheduleRow
from shared.clock import clock

AWAITING_DECISION = "awaiting_decision"
DECIDED = "decided"


def band_table_key(table: BandTable) -> str:
    """How a schedule names the band table its lines fall under (the table's debt types)."""
    return ",".join(sorted(table.debt_types))


def blocking_refusals(request_id: str, standing: Any) -> list[Refusal]:
    """Why a debt cannot be written off now: on hold, in breathing space or placed with an agent."""
    refusals = []
    if standing.on_hold:
        refusals.append(
            Refusal(RefusalCode.DEBT_ON_HOLD, f"the debt is on hold ({standing.hold_reason})", request_id)
        )
    if standing.in_breathing_space:
        refusals.append(
            Refusal(
                RefusalCode.DEBT_IN_BREATHING_SPACE, "the debt is in a breathing space moratorium", request_id
            )
        )
    if standing.open_agent_placement:
        refusals.append(
            Refusal(
                RefusalCode.OPEN_AGENT_PLACEMENT, "the debt is placed with an enforcement agent", request_id
            )
        )
    return refusals


async def build_schedules(
    session: AsyncSession, council: str, built_by: str, request_ids: list[UUID] | None = None
) -> list[UUID]:
    """Put every pending request of the council (or only those chosen) on a new schedule, one per band table.

    Requests whose debt has since gone on hold, into breathing space or to an agent are refused now (recovery
    is told) rather than scheduled.
    """
    policy = policies[council]
    pending = (
        await session.execute(
            text(
                "SELECT request_id, debt_id, debt_type FROM writeoff.write_off_request "
                "WHERE council = :council AND status = 'pending' "
                "AND (CAST(:chosen AS uuid[]) IS NULL OR request_id = ANY(CAST(:chosen AS uuid[]))) "
                "ORDER BY created_at, request_id FOR UPDATE"
            ),
            {"council": council, "chosen": request_ids},
        )
    ).all()
    standings = await standings_of(session, {row.debt_id for row in pending})
    groups: dict[str, list[UUID]] = defaultdict(list)
    for row in pending:
        known = standings.get(row.debt_id)
        refusals = blocking_refusals(str(row.request_id), known.standing) if known else []
        if refusals:
            request = await session.get(WriteOffRequestRow, row.request_id)
            assert request is not None
            await intake.publish_rejection(session, request, refusals, None)
            continue
        groups[band_table_key(policy.table_for(row.debt_type))].append(row.request_id)
    now = clock.now()
    schedule_ids = []
    for table_key, request_ids in groups.items():
        schedule_id = uuid4()
        session.add(
            WriteOffScheduleRow(
                schedule_id=schedule_id,
                council=council,
                band_table=table_key,
                status=AWAITING_DECISION,
                built_by=built_by,
                built_at=now,
                changed_at=now,
            )
        )
        await session.flush()
        await session.execute(
            text(
                "UPDATE writeoff.write_off_request SET status = 'scheduled', schedule_id = :schedule_id "
                "WHERE request_id = ANY(CAST(:request_ids AS uuid[]))"
            ),
            {"schedule_id": schedule_id, "request_ids": request_ids},
        )
        schedule_ids.append(schedule_id)
    return schedule_ids


@dataclass(frozen=True)
class LoadedSchedule:
    """A stored schedule with its lines as the domain sees them, and what the messages need of each line."""

    row: WriteOffScheduleRow
    schedule: WriteOffSchedule
    policy: CouncilWriteOffPolicy
    case_ids: dict[str, UUID | None]
    debt_ids: dict[str, UUID]


_LINES = text(
    """
    SELECT request_id, council, debt_id, case_id, customer_id, debt_type, income_code, amount_pence,
           reason_code, evidence, requested_by, channel, written_report, debt_area
    FROM writeoff.write_off_request WHERE schedule_id = :schedule_id ORDER BY request_id
    """
)


async def load_schedule(
    session: AsyncSession, schedule_id: UUID, *, for_update: bool = False
) -> LoadedSchedule | None:
    """The schedule and its current lines (locked against a concurrent decision when `for_update`)."""
    lock = " FOR UPDATE" if for_update else ""
    found = (
        await session.execute(
            text(f"SELECT * FROM writeoff.write_off_schedule WHERE schedule_id = :schedule_id{lock}"),
            {"schedule_id": schedule_id},
        )
    ).first()
    if found is None:
        return None
    row = WriteOffScheduleRow(**found._mapping)
    lines: list[WriteOffRequest] = []
    case_ids: dict[str, UUID | None] = {}
    debt_ids: dict[str, UUID] = {}
    for line in await session.execute(_LINES, {"schedule_id": schedule_id}):
        request_id = str(line.request_id)
        case_ids[request_id] = line.case_id
        debt_ids[request_id] = line.debt_id
        lines.append(
            WriteOffRequest(
                request_id=request_id,
                council=line.council,
                debt_id=str(line.debt_id),
                customer_id=line.customer_id,
                debt_type=line.debt_type,
                income_code=line.income_code,
                amount_pence=line.amount_pence,
                reason_code=line.reason_code,
                evidence=tuple(
                    Evidence(e.get("kind", ""), e.get("reference", ""), e.get("description", ""))
                    for e in line.evidence
                ),
                requested_by=line.requested_by,
                channel=RequestChannel(line.channel),
                written_report=line.written_report,
                debt_area=line.debt_area,
            )
        )
    policy = policies[row.council]
    if lines:
        schedule = assemble_schedule(str(row.schedule_id), row.council, lines, policy)
    else:  # every line taken off: an empty schedule nobody can sign
        schedule = WriteOffSchedule(str(row.schedule_id), row.council, ())
    return LoadedSchedule(row, schedule, policy, case_ids, debt_ids)


class ScheduleNotAmendable(Exception):
    """The schedule cannot be changed (decided, or the line is not on it)."""


async def take_line_off(session: AsyncSession, schedule_id: UUID, request_id: UUID) -> None:
    """Take a request off an undecided schedule; it returns to the pending requests for a later schedule."""
    schedule = await session.get(WriteOffScheduleRow, schedule_id, with_for_update=True)
    if schedule is None or schedule.status != AWAITING_DECISION:
        raise ScheduleNotAmendable("only a schedule awaiting its decision can be amended")
    result = await session.execute(
        text(
            "UPDATE writeoff.write_off_request SET status = 'pending', schedule_id = NULL "
            "WHERE request_id = :request_id AND schedule_id = :schedule_id AND status = 'scheduled'"
        ),
        {"request_id": request_id, "schedule_id": schedule_id},
    )
    if result.rowcount != 1:
        raise ScheduleNotAmendable(f"request {request_id} is not on schedule {schedule_id}")
    schedule.changed_at = clock.now()


async def schedules_of_council(
    session: AsyncSession, council: str, status: str | None = AWAITING_DECISION
) -> list[LoadedSchedule]:
    """The council's schedules (by default those awaiting a decision), oldest first."""
    ids = await session.scalars(
        text(
            "SELECT schedule_id FROM writeoff.write_off_schedule WHERE council = :council "
            "AND (CAST(:status AS text) IS NULL OR status = :status) ORDER BY number"
        ),
        {"council": council, "status": status},
    )
    loaded = [await load_schedule(session, schedule_id) for schedule_id in ids.all()]
    return [schedule for schedule in loaded if schedule is not None]
