"""Write-off schedules: pending requests grouped, per council and band table, for one decision each.

A schedule can be amended (a line taken off) until it is decided; that changes its hash, so a signature made
over what was presented before no longer matches and the approver must review it and sign again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from uuid import UUID, uuid4

from services.writeoff import intake
from services.writeoff.dependencies import WriteOff
from services.writeoff.domain import (
    BandTable,
    CouncilWriteOffPolicy,
    LineTakenOff,
    PanelFinding,
    Refusal,
    ScheduleStatus,
    WriteOffRequest,
    WriteOffSchedule,
    assemble_schedule,
    blocking_refusals,
    line_taken_off,
    not_a_line_of,
    schedule_awaits_decision,
)
from services.writeoff.stores import WriteOffStores
from services.writeoff.stores.requests import SplitDebtSearch
from services.writeoff.stores.schedules import StoredSchedule
from shared.messaging.inbox_router import Handling

Handled = Handling[WriteOffStores, WriteOff]


def band_table_key(table: BandTable) -> str:
    """How a schedule names the band table its lines fall under (the table's debt types)."""
    return ",".join(sorted(table.debt_types))


async def build_schedules(
    handling: Handled, council: str, built_by: str, request_ids: Sequence[UUID] | None = None
) -> list[UUID]:
    """Put every pending request of the council (or only those chosen) on a new schedule, one per band table.

    Requests whose debt has since gone on hold, into breathing space or to an agent are refused now (recovery
    is told) rather than scheduled.
    """
    stores, service = handling.stores, handling.service
    policy = service.policy(council)
    pending = await stores.requests.pending_of_council(council, request_ids)
    standings = await stores.standing.standings_of({p.debt_id for p in pending})
    groups: dict[str, list[UUID]] = defaultdict(list)
    for candidate in pending:
        known = standings.get(candidate.debt_id)
        refusals = blocking_refusals(str(candidate.request_id), known.standing) if known else []
        if refusals:
            request = await stores.requests.get(candidate.request_id)
            assert request is not None
            request = intake.rejected(request, refusals, handling)
            await stores.requests.save([request])
            await handling.outbox.add(intake.rejection_message(request, refusals))
            continue
        groups[band_table_key(policy.table_for(candidate.debt_type))].append(candidate.request_id)
    now = service.clock.now()
    schedule_ids = []
    for table_key, grouped in groups.items():
        schedule_id = uuid4()
        await stores.schedules.add(schedule_id, council, table_key, built_by, now)
        await stores.requests.put_on_schedule(schedule_id, grouped)
        schedule_ids.append(schedule_id)
    return schedule_ids


@dataclass(frozen=True)
class LoadedSchedule:
    """A stored schedule with its lines as the domain sees them, and what the messages need of each line."""

    row: StoredSchedule
    schedule: WriteOffSchedule
    policy: CouncilWriteOffPolicy
    case_ids: dict[str, UUID | None]
    debt_ids: dict[str, UUID]
    panel_findings: dict[str, PanelFinding] = field(default_factory=dict)
    """The independent panel's finding on each line that has one (Derby App.1 §8), by request id."""


async def load_schedule(
    handling: Handled, schedule_id: UUID, *, for_update: bool = False
) -> LoadedSchedule | None:
    """The schedule and its current lines (locked against a concurrent decision when `for_update`)."""
    row = await handling.stores.schedules.get(schedule_id, for_update=for_update)
    if row is None:
        return None
    (loaded,) = await _with_lines(handling, [row])
    return loaded


async def _with_lines(handling: Handled, rows: Sequence[StoredSchedule]) -> list[LoadedSchedule]:
    """These schedules with their lines, the requests a split debt on each would be among, and the panel's
    findings on their lines: one query for each of the three, whatever the number of schedules."""
    if not rows:
        return []
    stores = handling.stores
    stored_lines = await stores.requests.lines_of(row.schedule_id for row in rows)
    policies = {row.schedule_id: handling.service.policy(row.council) for row in rows}
    lines = {
        row.schedule_id: [stored.as_domain() for stored in stored_lines.get(row.schedule_id, [])]
        for row in rows
    }
    related = await stores.requests.related_to(
        [
            search
            for row in rows
            if (search := _split_debt_search(row, lines[row.schedule_id], policies[row.schedule_id]))
        ]
    )
    findings = await stores.panel_findings.of_requests(
        stored.request_id for of_schedule in stored_lines.values() for stored in of_schedule
    )
    loaded = []
    for row in rows:
        of_schedule = stored_lines.get(row.schedule_id, [])
        policy = policies[row.schedule_id]
        if of_schedule:
            schedule = assemble_schedule(
                str(row.schedule_id),
                row.council,
                lines[row.schedule_id],
                policy,
                [stored.as_domain() for stored in related.get(row.schedule_id, [])],
            )
        else:  # every line taken off: an empty schedule nobody can sign
            schedule = WriteOffSchedule(str(row.schedule_id), row.council, ())
        loaded.append(
            LoadedSchedule(
                row,
                schedule,
                policy,
                case_ids={str(stored.request_id): stored.case_id for stored in of_schedule},
                debt_ids={str(stored.request_id): stored.debt_id for stored in of_schedule},
                panel_findings={
                    str(stored.request_id): findings[str(stored.request_id)]
                    for stored in of_schedule
                    if str(stored.request_id) in findings
                },
            )
        )
    return loaded


def _split_debt_search(
    row: StoredSchedule, lines: Sequence[WriteOffRequest], policy: CouncilWriteOffPolicy
) -> SplitDebtSearch | None:
    """Where the council's other requests a split debt on this schedule would be among are: same debtor, debt
    type and income code, not rejected, raised within the council's window of a line (domain.split_debts);
    None when no line is dated."""
    dates = [line.requested_on for line in lines if line.requested_on is not None]
    if not dates:
        return None
    window = timedelta(days=policy.split_debt_window_days)
    return SplitDebtSearch(
        row.schedule_id,
        row.council,
        frozenset((line.customer_id, line.debt_type, line.income_code) for line in lines),
        min(dates) - window,
        max(dates) + window,
    )


class NoSuchSchedule(Exception):
    """No schedule of the council has this id."""


class ScheduleNotAmendable(Exception):
    """The schedule cannot be changed (decided, or the line is not on it)."""


class RemovalRefused(Exception):
    """The line cannot be taken off as asked (no reason given); the message says why."""


async def take_line_off(
    handling: Handled, council: str, schedule_id: UUID, request_id: UUID, reason: str, taken_off_by: str
) -> LineTakenOff:
    """Take a request off an undecided schedule of the council, recording who (`taken_off_by`: the signed-in
    officer as the identity provider names them), when and why; it returns to the pending requests for a later
    schedule.

    Whether it is a line of the schedule is asked once, of the statement that takes it off. Refused
    (`RemovalRefused`) after that statement, the caller's transaction is rolled back and the line stays.
    """
    stores = handling.stores
    row = await stores.schedules.get(schedule_id, for_update=True)
    if row is None or row.council != council:
        raise NoSuchSchedule(f"no write-off schedule {schedule_id} for {council}")
    if not schedule_awaits_decision(row.status):
        raise ScheduleNotAmendable("only a schedule awaiting its decision can be amended")
    amount_pence = await stores.requests.take_off_schedule(schedule_id, request_id)
    if amount_pence is None:
        raise ScheduleNotAmendable(not_a_line_of(str(schedule_id), str(request_id)).message)
    now = handling.service.clock.now()
    removal = line_taken_off(str(schedule_id), str(request_id), amount_pence, reason, taken_off_by, now)
    if isinstance(removal, Refusal):
        raise RemovalRefused(removal.message)
    await stores.schedule_history.line_taken_off(removal)
    await stores.schedules.changed(schedule_id, now)
    return removal


async def schedules_of_council(
    handling: Handled, council: str, status: str | None = ScheduleStatus.AWAITING_DECISION
) -> list[LoadedSchedule]:
    """The council's schedules (by default those awaiting a decision; any, when None), oldest first: four
    queries whatever their number (the schedules, then `_with_lines`)."""
    rows = await handling.stores.schedules.of_council(council, str(status) if status else None)
    return await _with_lines(handling, rows)
