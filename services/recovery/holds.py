"""Putting a case on hold and lifting the hold; recalling referrals; closing a case.

A hold stops every step and every contact while it lasts (the step engine sees it); a hold over the whole
balance also recalls any referral still with an agent (at once for breathing space). Lifting a hold is a new
row, never an edit: the case record keeps both.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID, uuid4

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.recovery.case_state import (
    HoldRow,
    LoadedCase,
    StepRow,
    position_of,
    record,
    reschedule,
    state_of,
    store_positions,
)
from services.recovery.domain.holds import Hold
from services.recovery.service import policies, runtime
from shared.contracts.envelope import Envelope
from shared.contracts.recovery import CaseClosed, HoldApplied, HoldLifted, RecallRequested

_INSERT_HOLDS = text(
    """
    INSERT INTO recovery.hold (hold_id, case_id, kind, reason, authorised_by, starts_on, ends_on, review_on,
                               disputed_amount_pence, reference)
    SELECT * FROM unnest(CAST(:hold_ids AS uuid[]), CAST(:case_ids AS uuid[]), CAST(:kinds AS text[]),
                         CAST(:reasons AS text[]), CAST(:authorised_by AS text[]), CAST(:starts_on AS date[]),
                         CAST(:ends_on AS date[]), CAST(:review_on AS date[]), CAST(:disputed AS bigint[]),
                         CAST(:references AS text[]))
    ON CONFLICT DO NOTHING
    RETURNING hold_id
    """
)


async def apply_hold(
    session: AsyncSession, case: LoadedCase, hold: Hold, day: date, causation: Envelope | None = None
) -> UUID | None:
    """Record the hold on the case, publish HoldApplied, recall referrals it stops, and move the case's next
    step. Returns the hold id, or None when this hold (same moratorium reference) is already on the case."""
    return (await apply_holds(session, [(case, hold)], day, causation))[0]


async def apply_holds(
    session: AsyncSession,
    holds: Sequence[tuple[LoadedCase, Hold]],
    day: date,
    causation: Envelope | None = None,
) -> list[UUID | None]:
    """`apply_hold` for many cases at once (a breathing space holds every debt the person owes): the same
    effects, in a handful of statements whatever the number of cases. Returns each hold's id, or None where the
    case already had that hold."""
    if not holds:
        return []
    hold_ids = [uuid4() for _ in holds]
    inserted = {
        row.hold_id
        for row in await session.execute(
            _INSERT_HOLDS,
            {
                "hold_ids": hold_ids,
                "case_ids": [case.case_id for case, _ in holds],
                "kinds": [hold.kind.value for _, hold in holds],
                "reasons": [hold.reason for _, hold in holds],
                "authorised_by": [hold.authorised_by for _, hold in holds],
                "starts_on": [hold.start for _, hold in holds],
                "ends_on": [hold.end for _, hold in holds],
                "review_on": [hold.review_on for _, hold in holds],
                "disputed": [hold.disputed_amount for _, hold in holds],
                "references": [hold.reference for _, hold in holds],
            },
        )
    }
    applied = [
        (hold_id, case, hold)
        for hold_id, (case, hold) in zip(hold_ids, holds, strict=True)
        if hold_id in inserted
    ]
    if not applied:
        return [None] * len(holds)
    await record(session, [(case.case_id, day, "hold", _hold_entry(hold)) for _, case, hold in applied])
    await runtime.outbox.add_all(
        session,
        [
            HoldApplied(
                hold_id=hold_id,
                case_id=case.case_id,
                debt_id=case.debt_id,
                reason=hold.kind.value,
                authorised_by=hold.authorised_by,
                starts_on=hold.start,
                ends_on=hold.end,
                review_on=hold.review_on,
            )
            for hold_id, case, hold in applied
        ],
        causation=causation,
    )
    read_again: set[UUID] = set()
    for _, case, hold in applied:
        referrals = case.open_referrals()
        if (
            referrals
            and hold.holds_whole_balance(case.state.balance)
            and (hold.last_day() is None or hold.last_day() >= day)
        ):
            await recall_referrals(
                session,
                case,
                referrals,
                day,
                f"{hold.kind.value} hold: {hold.reason}",
                immediate=hold.is_breathing_space,
                causation=causation,
            )
            read_again.add(case.case_id)
    read_again |= {
        case_id for case_id, count in Counter(c.case_id for _, c, _ in applied).items() if count > 1
    }
    # A case as the caller loaded it, with the new hold, is the case as stored: its next step is worked out without
    # reading it back (a breathing space is applied in the middle of heavy traffic); one whose referrals were just
    # recalled, or that got two holds here, is read again.
    await store_positions(
        session,
        [
            (case.case_id, *position_of(_with_hold(case, hold_id, hold), day))
            for hold_id, case, hold in applied
            if case.case_id not in read_again
        ],
    )
    await reschedule(session, policies, read_again, day)
    return [hold_id if hold_id in inserted else None for hold_id in hold_ids]


def _with_hold(case: LoadedCase, hold_id: UUID, hold: Hold) -> LoadedCase:
    holds = sorted([*case.holds, HoldRow(hold_id, hold)], key=lambda h: h.hold.start)  # as load_cases orders
    return LoadedCase(
        row=case.row,
        steps=case.steps,
        holds=holds,
        policy=case.policy,
        state=state_of(case.row, case.steps, holds),
    )


def _hold_entry(hold: Hold) -> str:
    until = f"until {hold.end.isoformat()}" if hold.end else f"review on {hold.review_on}"
    part = f" over {hold.disputed_amount}p disputed" if hold.disputed_amount is not None else ""
    return (
        f"{hold.kind.value} hold{part} from {hold.start.isoformat()} ({until}), authorised by "
        f"{hold.authorised_by}: {hold.reason}"
    )


async def lift_hold(
    session: AsyncSession,
    case: LoadedCase,
    hold_id: UUID,
    lifted_on: date,
    lifted_by: str,
    reason: str,
    causation: Envelope | None = None,
) -> bool:
    """Lift a hold from `lifted_on` (recovery resumes where it paused). False if it was already lifted."""
    hold = next((h for h in case.holds if h.hold_id == hold_id), None)
    if hold is None:
        raise KeyError(f"no hold {hold_id} on case {case.case_id}")
    inserted = (
        await session.execute(
            text(
                "INSERT INTO recovery.hold_lift (hold_id, lifted_on, lifted_by, reason) "
                "VALUES (:hold_id, :lifted_on, :lifted_by, :reason) ON CONFLICT DO NOTHING RETURNING hold_id"
            ),
            {"hold_id": hold_id, "lifted_on": lifted_on, "lifted_by": lifted_by, "reason": reason},
        )
    ).first()
    if inserted is None:
        return False
    await record(
        session,
        [
            (
                case.case_id,
                lifted_on,
                "hold_lifted",
                f"{hold.hold.kind.value} hold lifted by {lifted_by}: {reason}",
            )
        ],
    )
    await runtime.outbox.add(
        session,
        HoldLifted(
            hold_id=hold_id,
            case_id=case.case_id,
            debt_id=case.debt_id,
            reason=hold.hold.kind.value,
            lifted_on=lifted_on,
        ),
        causation=causation,
    )
    await reschedule(session, policies, [case.case_id], lifted_on)
    return True


async def recall_referrals(
    session: AsyncSession,
    case: LoadedCase,
    referrals: list[StepRow],
    day: date,
    reason: str,
    *,
    immediate: bool,
    how: str = "recalled",
    publish: bool = True,
    causation: Envelope | None = None,
) -> None:
    """End these referrals (recalled, returned or rejected) and, for agent placements, ask the gateway to take
    the case back. `immediate` (breathing space) sends the recall at once, not with the next batch file."""
    for referral in referrals:
        if referral.referral_id is None:
            continue
        ended = (
            await session.execute(
                text(
                    "INSERT INTO recovery.referral_end (referral_id, ended_on, how, reason) "
                    "VALUES (:id, :day, :how, :reason) ON CONFLICT DO NOTHING RETURNING referral_id"
                ),
                {"id": referral.referral_id, "day": day, "how": how, "reason": reason},
            )
        ).first()
        if ended is None:
            continue
        await record(
            session, [(case.case_id, day, "referral_ended", f"{referral.taken.name} {how}: {reason}")]
        )
        if publish and referral.agency_kind != "legal":
            await runtime.outbox.add(
                session,
                RecallRequested(
                    referral_id=referral.referral_id,
                    case_id=case.case_id,
                    debt_id=case.debt_id,
                    reason=reason,
                    immediate=immediate,
                    requested_on=day,
                ),
                causation=causation,
            )


@dataclass(frozen=True)
class CaseClosure:
    """A case to close: why, on which day, and the message that caused it."""

    case: LoadedCase
    reason: str
    day: date
    causation: Envelope | None = None


async def close_case(
    session: AsyncSession, case: LoadedCase, reason: str, day: date, causation: Envelope | None = None
) -> None:
    """Recovery on the debt has ended: close the case, take back any referral, and say so."""
    await close_cases(session, [CaseClosure(case, reason, day, causation)])


_CLOSE = text(
    """
    UPDATE recovery.recovery_case c
       SET status = 'closed', closed_reason = u.reason, closed_on = u.day, next_step_name = NULL,
           next_step_eligible_from = NULL
      FROM unnest(CAST(:ids AS uuid[]), CAST(:reasons AS text[]), CAST(:days AS date[])) AS u(case_id, reason, day)
     WHERE c.case_id = u.case_id
    """
)


async def close_cases(session: AsyncSession, closures: Sequence[CaseClosure]) -> None:
    """Close many cases in a few statements (a signed write-off schedule approves thousands at once): each
    closed once, its referrals taken back, a line on its record and `CaseClosed` published."""
    closing: dict[UUID, CaseClosure] = {}
    for closure in closures:
        if closure.case.row["status"] != "closed":
            closing.setdefault(closure.case.case_id, closure)  # the same case twice in a batch: once
    if not closing:
        return
    await session.execute(
        _CLOSE,
        {
            "ids": list(closing),
            "reasons": [c.reason for c in closing.values()],
            "days": [c.day for c in closing.values()],
        },
    )
    for closure in closing.values():
        if referrals := closure.case.open_referrals():
            await recall_referrals(
                session,
                closure.case,
                referrals,
                closure.day,
                f"case closed: {closure.reason}",
                immediate=False,
                causation=closure.causation,
            )
    await record(
        session, [(c.case.case_id, c.day, "closed", f"case closed: {c.reason}") for c in closing.values()]
    )
    await runtime.outbox.add_caused(
        session,
        [
            (
                CaseClosed(case_id=c.case.case_id, debt_id=c.case.debt_id, reason=c.reason, closed_on=c.day),
                c.causation,
            )
            for c in closing.values()
        ],
    )


def day_after(day: date) -> date:
    """The day after `day` (a breathing space's last protected day ends the hold the day after)."""
    return day + timedelta(days=1)
