"""Deciding a schedule: an approver's signature within their band, or a committee's decision recorded with its
meeting reference and date.

The domain decides whether the decision stands. If it does, in one transaction: the decision is recorded with
the hash of exactly the lines approved, each approved line becomes a write-off announced as
`writeoff.write_off.approved` (billing posts it against the debt's income code, recovery closes the case), and
each rejected line goes back to recovery as `writeoff.write_off.rejected` with the approver's reason. If it does
not, the refused attempt is recorded and nothing is published.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.writeoff.approvers import Person
from services.writeoff.declarations import declarations_of
from services.writeoff.domain import (
    DecisionOutcome,
    DeclarationOfInterest,
    Refusal,
    RefusalCode,
    ScheduleDecision,
    record_committee_decision,
    sign_schedule,
)
from services.writeoff.schedules import (
    AWAITING_DECISION,
    DECIDED,
    LoadedSchedule,
    blocking_refusals,
    load_schedule,
)
from services.writeoff.service import runtime
from services.writeoff.standing import KnownDebt, standings_of
from shared.clock import clock
from shared.contracts.writeoff import WriteOffApproved, WriteOffRejected


@dataclass(frozen=True)
class DecisionResult:
    """What came of an attempt to decide a schedule: the decision, or why there is none."""

    decision: ScheduleDecision | None
    refusals: tuple[Refusal, ...]
    found: bool = True


async def _refusals_before_deciding(
    session: AsyncSession, loaded: LoadedSchedule, person: Person, rejections: Mapping[str, str]
) -> tuple[list[Refusal], dict[UUID, KnownDebt]]:
    """What the service knows that the domain does not: the schedule's state, the council, and lines whose debt
    has since gone on hold, into breathing space or to an agent (the approver must reject those)."""
    refusals = []
    if loaded.row.status != AWAITING_DECISION:
        refusals.append(
            Refusal(
                RefusalCode.SCHEDULE_NOT_AWAITING_DECISION,
                f"schedule {loaded.row.schedule_id} is {loaded.row.status.replace('_', ' ')}, not awaiting a decision",
            )
        )
    if person.council != loaded.row.council:
        refusals.append(
            Refusal(
                RefusalCode.OTHER_COUNCIL,
                f"{person.person_id} acts for {person.council}, not {loaded.row.council}",
            )
        )
    if not loaded.schedule.lines:
        refusals.append(Refusal(RefusalCode.SCHEDULE_CHANGED, "the schedule has no lines left to decide"))
    standings = await standings_of(session, loaded.debt_ids.values())
    for line in loaded.schedule.lines:
        known = standings.get(loaded.debt_ids[line.request_id])
        if line.request_id in rejections or known is None:
            continue
        for blocked in blocking_refusals(line.request_id, known.standing):
            refusals.append(
                Refusal(
                    RefusalCode.LINE_NOW_BLOCKED,
                    f"request {line.request_id}: {blocked.message} since it was scheduled; reject this line "
                    "(it returns to recovery) and sign again",
                    line.request_id,
                )
            )
    return refusals, standings


def _interests_in_joint_debts(
    declared: list[DeclarationOfInterest], loaded: LoadedSchedule, standings: dict[UUID, KnownDebt]
) -> list[DeclarationOfInterest]:
    """A line names one liable customer; an interest in any other party jointly liable for its debt is an
    interest in that debt too."""
    by_customer = [d for d in declared if d.customer_id]
    if not by_customer:
        return []
    extra = []
    for line in loaded.schedule.lines:
        known = standings.get(loaded.debt_ids[line.request_id])
        liable = set(known.customer_ids) if known else set()
        for declaration in by_customer:
            if declaration.customer_id in liable and declaration.customer_id != line.customer_id:
                extra.append(
                    DeclarationOfInterest(
                        declaration.person_id,
                        declaration.kind,
                        debt_id=line.debt_id,
                        note=f"jointly liable customer {declaration.customer_id}",
                    )
                )
    return extra


async def _record_refusal(session: AsyncSession, schedule_id: UUID, person_id: str | None, refusals) -> None:
    await session.execute(
        text(
            "INSERT INTO writeoff.refused_decision (schedule_id, person_id, refusals) "
            "VALUES (:schedule_id, :person_id, CAST(:refusals AS json))"
        ),
        {
            "schedule_id": schedule_id,
            "person_id": person_id,
            "refusals": json.dumps(
                [{"code": str(r.code), "message": r.message, "request_id": r.request_id} for r in refusals]
            ),
        },
    )


async def sign(
    session: AsyncSession,
    schedule_id: UUID,
    person: Person,
    presented_hash: str,
    confirms_no_interest: bool,
    rejections: Mapping[str, str],
) -> DecisionResult:
    """An approver signs the schedule as presented, approving every line but `rejections` (id -> reason)."""
    loaded = await load_schedule(session, schedule_id, for_update=True)
    if loaded is None:
        return DecisionResult(None, (), found=False)
    refusals, standings = await _refusals_before_deciding(session, loaded, person, rejections)
    declared = await declarations_of(session, person.person_id)
    outcome = sign_schedule(
        loaded.schedule,
        loaded.policy,
        person.as_approver(),
        presented_hash,
        clock.now(),
        declared + _interests_in_joint_debts(declared, loaded, standings),
        confirms_no_interest,
        rejections,
    )
    return await _conclude(session, loaded, person.person_id, outcome, refusals)


async def record_committee(
    session: AsyncSession,
    schedule_id: UUID,
    person: Person,
    committee: str,
    meeting_reference: str,
    meeting_date: date,
    presented_hash: str,
    rejections: Mapping[str, str],
    interests_declared_at_meeting: str,
) -> DecisionResult:
    """A clerk records the decision a committee (Cabinet, Executive, full Council) made at a meeting."""
    loaded = await load_schedule(session, schedule_id, for_update=True)
    if loaded is None:
        return DecisionResult(None, (), found=False)
    refusals, _ = await _refusals_before_deciding(session, loaded, person, rejections)
    outcome = record_committee_decision(
        loaded.schedule,
        loaded.policy,
        committee,
        meeting_reference,
        meeting_date,
        person.as_approver(),
        presented_hash,
        clock.now(),
        rejections,
        interests_declared_at_meeting,
    )
    return await _conclude(session, loaded, person.person_id, outcome, refusals)


async def _conclude(
    session: AsyncSession,
    loaded: LoadedSchedule,
    person_id: str,
    outcome: DecisionOutcome,
    refusals: list[Refusal],
) -> DecisionResult:
    every_refusal = (*refusals, *outcome.refusals)
    if every_refusal or outcome.decision is None:
        await _record_refusal(session, loaded.row.schedule_id, person_id, every_refusal)
        return DecisionResult(None, every_refusal)
    await _apply(session, loaded, outcome.decision)
    return DecisionResult(outcome.decision, ())


_INSERT_WRITE_OFFS = text(
    """
    INSERT INTO writeoff.write_off (write_off_id, request_id, schedule_id, debt_id, customer_id, council,
        income_code, debt_area, reason_code, band, amount_pence, written_off_on, approved_by)
    SELECT w.write_off_id, r.request_id, r.schedule_id, r.debt_id, r.customer_id, r.council, r.income_code,
           COALESCE(r.debt_area, r.debt_type), r.reason_code, :band, r.amount_pence, :on, :approved_by
    FROM unnest(CAST(:write_off_ids AS uuid[]), CAST(:request_ids AS uuid[])) AS w(write_off_id, request_id)
    JOIN writeoff.write_off_request r ON r.request_id = w.request_id
    """
)


async def _apply(session: AsyncSession, loaded: LoadedSchedule, decision: ScheduleDecision) -> None:
    """Record the decision, the write-offs and the rejections, and queue their messages, all in this transaction."""
    signature, committee = decision.signature, decision.committee_decision
    today = clock.today()
    if signature is not None:
        kind, decided_by, roles, authority = (
            "signature",
            signature.person_id,
            sorted(signature.roles),
            signature.authority_band,
        )
        approved_by = signature.person_id
    else:
        assert committee is not None
        kind, decided_by, roles, authority = "committee", committee.recorded_by, [], decision.required_band
        approved_by = (
            f"{committee.committee} ({committee.meeting_reference}, {committee.meeting_date.isoformat()})"
        )
    await session.execute(
        text(
            """
            INSERT INTO writeoff.schedule_decision (schedule_id, kind, decided_by, roles, authority_band,
                required_band, presented_hash, approved_lines_hash, statement_of_no_interest, committee,
                meeting_reference, meeting_date, interests_declared_at_meeting, approved_lines,
                approved_total_pence, rejected_lines, rejected_total_pence, decided_at, decided_on)
            VALUES (:schedule_id, :kind, :decided_by, CAST(:roles AS json), :authority, :required_band,
                :presented_hash, :approved_lines_hash, :statement, :committee, :meeting_reference, :meeting_date,
                :interests, :approved_lines, :approved_total, :rejected_lines, :rejected_total, :decided_at,
                :decided_on)
            """
        ),
        {
            "schedule_id": loaded.row.schedule_id,
            "kind": kind,
            "decided_by": decided_by,
            "roles": json.dumps(roles),
            "authority": authority,
            "required_band": decision.required_band,
            "presented_hash": decision.schedule_hash,
            "approved_lines_hash": decision.approved_lines_hash,
            "statement": signature.statement_of_no_interest if signature else None,
            "committee": committee.committee if committee else None,
            "meeting_reference": committee.meeting_reference if committee else None,
            "meeting_date": committee.meeting_date if committee else None,
            "interests": committee.interests_declared_at_meeting if committee else None,
            "approved_lines": len(decision.approved_lines),
            "approved_total": decision.approved_total_pence,
            "rejected_lines": len(decision.rejected_lines),
            "rejected_total": decision.rejected_total_pence,
            "decided_at": decision.decided_at,
            "decided_on": today,
        },
    )
    await session.execute(
        text("UPDATE writeoff.write_off_schedule SET status = :decided WHERE schedule_id = :schedule_id"),
        {"decided": DECIDED, "schedule_id": loaded.row.schedule_id},
    )
    write_off_ids = [uuid4() for _ in decision.approved_lines]
    approved_ids = [UUID(line.request_id) for line in decision.approved_lines]
    if approved_ids:
        await session.execute(
            _INSERT_WRITE_OFFS,
            {
                "write_off_ids": write_off_ids,
                "request_ids": approved_ids,
                "band": decision.required_band,
                "on": today,
                "approved_by": approved_by,
            },
        )
        await session.execute(
            text(
                "UPDATE writeoff.write_off_request SET status = 'approved', decided_on = :on "
                "WHERE request_id = ANY(CAST(:request_ids AS uuid[]))"
            ),
            {"on": today, "request_ids": approved_ids},
        )
    for rejection in decision.rejected_lines:
        await session.execute(
            text(
                "UPDATE writeoff.write_off_request SET status = 'rejected', decided_on = :on, "
                "refusals = CAST(:refusals AS json) WHERE request_id = :request_id"
            ),
            {
                "on": today,
                "request_id": UUID(rejection.request_id),
                "refusals": json.dumps(
                    [{"code": str(RefusalCode.REJECTED_BY_APPROVER), "message": rejection.reason}]
                ),
            },
        )
    schedule_id = loaded.row.schedule_id
    messages: list[WriteOffApproved | WriteOffRejected] = [
        WriteOffApproved(
            write_off_id=write_off_id,
            request_id=UUID(line.request_id),
            schedule_id=schedule_id,
            debt_id=UUID(line.debt_id),
            case_id=loaded.case_ids[line.request_id],
            amount_pence=line.amount_pence,
            income_code=line.income_code,
            reason_code=line.reason_code,
            approved_by=approved_by,
            approved_on=today,
            approval_band=decision.required_band,
        )
        for write_off_id, line in zip(write_off_ids, decision.approved_lines, strict=True)
    ]
    messages += [
        WriteOffRejected(
            request_id=UUID(rejection.request_id),
            debt_id=loaded.debt_ids[rejection.request_id],
            case_id=loaded.case_ids[rejection.request_id],
            reason=rejection.reason,
            refusal_codes=[str(RefusalCode.REJECTED_BY_APPROVER)],
            rejected_on=today,
        )
        for rejection in decision.rejected_lines
    ]
    await runtime.outbox.add_all(session, messages)
