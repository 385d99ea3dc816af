"""Deciding a schedule: an approver's signature within their band, or a committee's decision recorded with its
meeting reference and date.

The domain decides whether the decision stands. If it does, in one transaction: the decision is recorded with
the hash of exactly the lines approved, each approved line becomes a write-off announced as
`writeoff.write_off.approved` (billing posts it against the debt's income code, recovery closes the case), and
each rejected line goes back to recovery as `writeoff.write_off.rejected` with the approver's reason. If it does
not, the refused attempt is recorded and nothing is published.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

from services.writeoff.approvers import Person
from services.writeoff.dependencies import WriteOff
from services.writeoff.domain import (
    DecisionOutcome,
    DeclarationOfInterest,
    Refusal,
    RefusalCode,
    ScheduleDecision,
    SplitDebt,
    blocking_refusals,
    record_committee_decision,
    schedule_awaits_decision,
    sign_schedule,
)
from services.writeoff.schedules import LoadedSchedule, load_schedule
from services.writeoff.stores import WriteOffStores
from services.writeoff.stores.decisions import RecordedDecision
from services.writeoff.stores.requests import RecordedRefusal
from services.writeoff.stores.standing import KnownDebt
from shared.contracts.writeoff import WriteOffApproved, WriteOffRejected
from shared.messaging.inbox_router import Handling

Handled = Handling[WriteOffStores, WriteOff]


@dataclass(frozen=True)
class DecisionResult:
    """What came of an attempt to decide a schedule: the decision, or why there is none."""

    decision: ScheduleDecision | None
    refusals: tuple[Refusal, ...]
    found: bool = True


async def _refusals_before_deciding(
    handling: Handled, loaded: LoadedSchedule, person: Person, rejections: Mapping[str, str]
) -> tuple[list[Refusal], dict[UUID, KnownDebt]]:
    """What the service knows that the domain does not: the schedule's state, the council, and lines whose debt
    has since gone on hold, into breathing space or to an agent (the approver must reject those)."""
    refusals = []
    if not schedule_awaits_decision(loaded.row.status):
        refusals.append(
            Refusal(
                RefusalCode.SCHEDULE_NOT_AWAITING_DECISION,
                f"schedule {loaded.row.schedule_id} is {loaded.row.status.replace('_', ' ')}, "
                "not awaiting a decision",
            )
        )
    if person.council != loaded.row.council:
        refusals.append(
            Refusal(
                RefusalCode.OTHER_COUNCIL,
                f"{person.recorded_as} acts for {person.council}, not {loaded.row.council}",
            )
        )
    if not loaded.schedule.lines:
        refusals.append(Refusal(RefusalCode.SCHEDULE_CHANGED, "the schedule has no lines left to decide"))
    standings = await handling.stores.standing.standings_of(loaded.debt_ids.values())
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


async def sign(
    handling: Handled,
    schedule_id: UUID,
    person: Person,
    presented_hash: str,
    confirms_no_interest: bool,
    rejections: Mapping[str, str],
) -> DecisionResult:
    """An approver signs the schedule as presented, approving every line but `rejections` (id -> reason)."""
    loaded = await load_schedule(handling, schedule_id, for_update=True)
    if loaded is None:
        return DecisionResult(None, (), found=False)
    refusals, standings = await _refusals_before_deciding(handling, loaded, person, rejections)
    declared = await handling.stores.declarations.of_person(person.person_id)
    outcome = sign_schedule(
        loaded.schedule,
        loaded.policy,
        person.as_approver(),
        presented_hash,
        handling.service.clock.now(),
        declared + _interests_in_joint_debts(declared, loaded, standings),
        confirms_no_interest,
        rejections,
        loaded.panel_findings,
    )
    return await _conclude(handling, loaded, person, outcome, refusals)


async def record_committee(
    handling: Handled,
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
    loaded = await load_schedule(handling, schedule_id, for_update=True)
    if loaded is None:
        return DecisionResult(None, (), found=False)
    refusals, _ = await _refusals_before_deciding(handling, loaded, person, rejections)
    outcome = record_committee_decision(
        loaded.schedule,
        loaded.policy,
        committee,
        meeting_reference,
        meeting_date,
        person.as_approver(),
        presented_hash,
        handling.service.clock.now(),
        rejections,
        interests_declared_at_meeting,
        loaded.panel_findings,
    )
    return await _conclude(handling, loaded, person, outcome, refusals)


async def _conclude(
    handling: Handled,
    loaded: LoadedSchedule,
    person: Person,
    outcome: DecisionOutcome,
    refusals: Sequence[Refusal],
) -> DecisionResult:
    every_refusal = (*refusals, *outcome.refusals)
    if every_refusal or outcome.decision is None:
        await handling.stores.decisions.record_refusal(
            loaded.row.schedule_id, person.person_id, every_refusal
        )
        return DecisionResult(None, every_refusal)
    await _apply(handling, loaded, outcome.decision, person)
    return DecisionResult(outcome.decision, ())


def split_debt_view(split: SplitDebt) -> dict[str, object]:
    """A split debt as a decision keeps it and the API shows it."""
    return {
        "customer_id": split.customer_id,
        "debt_type": split.debt_type,
        "income_code": split.income_code,
        "request_ids": list(split.request_ids),
        "on_schedule": list(split.on_schedule),
        "elsewhere": list(split.elsewhere),
        "combined_pence": split.combined_pence,
        "largest_part_band": split.largest_part_band,
        "combined_band": split.combined_band,
        "reason": split.reason,
    }


def recorded_decision(
    loaded: LoadedSchedule, decision: ScheduleDecision, today: date, decided_by_person: Person
) -> RecordedDecision:
    """The decision as kept: a signature names its signer (as the provider names them), roles and authority; a
    committee its meeting and the clerk who recorded it."""
    signature, committee = decision.signature, decision.committee_decision
    if signature is not None:
        kind, decided_by, roles, authority = (
            "signature",
            decided_by_person.recorded_as,
            tuple(sorted(signature.roles)),
            signature.authority_band,
        )
    else:
        assert committee is not None
        kind, decided_by, roles, authority = (
            "committee",
            decided_by_person.recorded_as,
            (),
            decision.required_band,
        )
    return RecordedDecision(
        schedule_id=loaded.row.schedule_id,
        kind=kind,
        decided_by=decided_by,
        roles=roles,
        authority_band=authority,
        required_band=decision.required_band,
        presented_hash=decision.schedule_hash,
        approved_lines_hash=decision.approved_lines_hash,
        statement_of_no_interest=signature.statement_of_no_interest if signature else None,
        committee=committee.committee if committee else None,
        meeting_reference=committee.meeting_reference if committee else None,
        meeting_date=committee.meeting_date if committee else None,
        interests_declared_at_meeting=committee.interests_declared_at_meeting if committee else None,
        approved_lines=len(decision.approved_lines),
        approved_total_pence=decision.approved_total_pence,
        rejected_lines=len(decision.rejected_lines),
        rejected_total_pence=decision.rejected_total_pence,
        decided_at=decision.decided_at,
        decided_on=today,
        split_debts=tuple(split_debt_view(split) for split in decision.split_debts),
    )


def approved_by(decision: ScheduleDecision, signer: Person) -> str:
    """Who a write-off says approved it: the signer as the provider names them ('Name (username)'), or the
    committee with its meeting reference and date."""
    if decision.signature is not None:
        return signer.recorded_as
    committee = decision.committee_decision
    assert committee is not None
    return f"{committee.committee} ({committee.meeting_reference}, {committee.meeting_date.isoformat()})"


async def _apply(
    handling: Handled, loaded: LoadedSchedule, decision: ScheduleDecision, person: Person
) -> None:
    """Record the decision, the write-offs and the rejections, and queue their messages, all in this transaction."""
    stores = handling.stores
    today = handling.service.clock.today()
    approver = approved_by(decision, person)
    schedule_id = loaded.row.schedule_id
    await stores.decisions.record(recorded_decision(loaded, decision, today, person))
    await stores.schedules.decided(schedule_id)
    write_off_ids = [uuid4() for _ in decision.approved_lines]
    approved_ids = [UUID(line.request_id) for line in decision.approved_lines]
    await stores.write_offs.add_approved(write_off_ids, approved_ids, decision.required_band, today, approver)
    await stores.requests.approve(approved_ids, today)
    await stores.requests.reject(
        [
            (UUID(r.request_id), RecordedRefusal(str(RefusalCode.REJECTED_BY_APPROVER), r.reason))
            for r in decision.rejected_lines
        ],
        today,
    )
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
            approved_by=approver,
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
    await handling.outbox.add_all(messages)
