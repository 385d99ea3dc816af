"""Write-off schedules: requests grouped for one decision, their aggregate, the band it needs and their hash.

"A single signature may be applied to a schedule of debts of individual amounts which in aggregate do not
exceed the thresholds" (Derby App.1 §11): the band is decided by the schedule's aggregate, never by its
largest line.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from shared.money import Pence

from .bands import ApprovalBand, BandTable, CouncilWriteOffPolicy
from .requests import WriteOffRequest
from .split_debts import SplitDebt, find_split_debts

# Bumped if the serialisation below ever changes, so an old signature can never match a new layout by chance.
CANONICAL_FORMAT_VERSION = 1


class ScheduleAssemblyError(ValueError):
    """The requests cannot form one schedule (none given, repeated, another council's, or different bands)."""


@dataclass(frozen=True, slots=True)
class WriteOffSchedule:
    """A numbered schedule of write-off requests (its lines) for one council and one band table."""

    schedule_id: str
    council: str
    lines: tuple[WriteOffRequest, ...]
    # Other requests of the council not rejected (on other schedules, or approved): what a split debt is
    # looked for among. They are not lines, take no part in the hash, and are never written off by this schedule.
    related_requests: tuple[WriteOffRequest, ...] = ()

    @property
    def aggregate_pence(self) -> Pence:
        """The total of every line: this decides the approval band."""
        return sum(line.amount_pence for line in self.lines)

    @property
    def debt_type(self) -> str:
        """The debt type of the first line; every line shares its band table."""
        return self.lines[0].debt_type

    @property
    def request_ids(self) -> frozenset[str]:
        """The ids of the requests on the schedule."""
        return frozenset(line.request_id for line in self.lines)

    def line(self, request_id: str) -> WriteOffRequest | None:
        """The line for this request, or None."""
        for line in self.lines:
            if line.request_id == request_id:
                return line
        return None


def assemble_schedule(
    schedule_id: str,
    council: str,
    requests: Iterable[WriteOffRequest],
    policy: CouncilWriteOffPolicy,
    related_requests: Iterable[WriteOffRequest] = (),
) -> WriteOffSchedule:
    """Group validated requests into a schedule; all must be the council's and share one band table.

    ``related_requests`` are the council's other live or approved requests, among which a debt split across
    schedules is looked for (see `split_debts`)."""
    lines = tuple(requests)
    if not lines:
        raise ScheduleAssemblyError("a write-off schedule needs at least one line")
    seen: set[str] = set()
    tables: list[BandTable] = []
    for line in lines:
        if line.request_id in seen:
            raise ScheduleAssemblyError(f"request {line.request_id} appears twice on the schedule")
        seen.add(line.request_id)
        if line.council != council or policy.council != council:
            raise ScheduleAssemblyError(f"request {line.request_id} belongs to {line.council}, not {council}")
        table = policy.table_for(line.debt_type)
        if not any(table is known for known in tables):
            tables.append(table)
    if len(tables) > 1:
        # Different tables would give one aggregate two different approvers.
        raise ScheduleAssemblyError("every line of a schedule must fall under the same approval band table")
    related = tuple(r for r in related_requests if r.request_id not in seen and r.council == council)
    return WriteOffSchedule(schedule_id, council, lines, related)


def _canonical_line(line: WriteOffRequest) -> dict[str, object]:
    # A formal insolvency line also carries the order's date and what was owed on it (signed over with the
    # rest); other lines serialise exactly as before, so their hashes do not change.
    insolvency: dict[str, object] = (
        {
            "insolvency_order_date": line.insolvency_order_date.isoformat()
            if line.insolvency_order_date
            else None,
            "owed_at_order_date_pence": line.owed_at_order_date_pence,
        }
        if line.insolvency_order_date is not None or line.owed_at_order_date_pence is not None
        else {}
    )
    return {
        **insolvency,
        "request_id": line.request_id,
        "debt_id": line.debt_id,
        "customer_id": line.customer_id,
        "debt_type": line.debt_type,
        "debt_area": line.debt_area,
        "income_code": line.income_code,
        "amount_pence": line.amount_pence,
        "reason_code": line.reason_code,
        "written_report": line.written_report,
        "requested_by": line.requested_by,
        "channel": str(line.channel),
        "evidence": sorted([e.kind, e.reference, e.description] for e in line.evidence),
    }


def canonical_serialisation(schedule_id: str, council: str, lines: Sequence[WriteOffRequest]) -> bytes:
    """The lines as canonical JSON: sorted keys, lines in request-id order, no whitespace, UTF-8."""
    document = {
        "format": CANONICAL_FORMAT_VERSION,
        "schedule_id": schedule_id,
        "council": council,
        "lines": [_canonical_line(line) for line in sorted(lines, key=lambda line: line.request_id)],
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def lines_hash(schedule_id: str, council: str, lines: Sequence[WriteOffRequest]) -> str:
    """sha256 (hex) of the canonical serialisation of these lines."""
    return hashlib.sha256(canonical_serialisation(schedule_id, council, lines)).hexdigest()


def schedule_hash(schedule: WriteOffSchedule) -> str:
    """What an approver signs: the hash of every line exactly as presented. Any change gives a new hash."""
    return lines_hash(schedule.schedule_id, schedule.council, schedule.lines)


def split_debts(schedule: WriteOffSchedule, policy: CouncilWriteOffPolicy) -> tuple[SplitDebt, ...]:
    """The debts on the schedule that look split to stay under a band (see `split_debts.find_split_debts`)."""
    if not schedule.lines:
        return ()
    return find_split_debts(
        schedule.lines,
        schedule.related_requests,
        policy.table_for(schedule.debt_type),
        policy.split_debt_window_days,
    )


def banded_amount(
    schedule: WriteOffSchedule,
    policy: CouncilWriteOffPolicy,
    splits: Sequence[SplitDebt] | None = None,
) -> Pence:
    """The sum the band is decided on: the schedule's aggregate, or a split debt's combined sum if larger.

    ``splits`` are the schedule's split debts when already found (`split_debts`); otherwise they are found
    here.
    """
    found = split_debts(schedule, policy) if splits is None else splits
    return max([schedule.aggregate_pence, *(s.combined_pence for s in found)])


def required_band(
    schedule: WriteOffSchedule,
    policy: CouncilWriteOffPolicy,
    splits: Sequence[SplitDebt] | None = None,
) -> ApprovalBand:
    """The minimum approval the schedule needs: from its aggregate, or from the combined sum of a debt split
    across requests raised close together when that is larger (Derby App.1 §10-11), and an "other" reason on
    any line.

    ``splits`` are the schedule's split debts when already found (`split_debts`); otherwise they are found
    here.
    """
    return policy.required_band(
        banded_amount(schedule, policy, splits),
        schedule.debt_type,
        (line.reason_code for line in schedule.lines),
    )
