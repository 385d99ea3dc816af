"""Breathing space: recovery stops for every covered debt from the moratorium's start date, even when the news
arrives late (Debt Respite Scheme Regulations 2020; Derby 8; NELC 4.7-4.9).

Steps taken on or after the start are recorded as void (kept on record, never deleted) with their costs
reversed, and every referral still with an agent is recalled at once. A hold for a debt recovery has not yet
opened a case for is kept, and applied when the case opens. Recovery confirms every hold version it applied;
when the moratorium ends, recovery resumes where it paused.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.recovery.case_state import LoadedCase, load_cases, record
from services.recovery.domain.breathing_space import breathing_space_effect
from services.recovery.domain.holds import Hold, HoldKind
from services.recovery.holds import apply_holds, lift_hold, recall_referrals
from services.recovery.service import policies, runtime
from shared.clock import clock
from shared.contracts.breathing_space import (
    BreathingSpaceDebtsAdded,
    BreathingSpaceHoldEnded,
    BreathingSpaceHoldStarted,
)
from shared.contracts.envelope import Envelope
from shared.contracts.recovery import CostsReversed, RecoveryConfirmedHold
from shared.money import format_pounds

INSOLVENCY_SERVICE = "Insolvency Service (breathing space register)"
STANDARD_DAYS = 60


def breathing_space_hold_for(
    kind: str, reference: str, starts_on: date, expected_end_on: date | None
) -> Hold:
    """The hold a moratorium puts on a case: in force from its start until the breathing space service says it
    has ended (a standard space is reviewed at its expected end; a crisis space has none until treatment ends)."""
    crisis = kind == "mental_health_crisis"
    return Hold(
        kind=HoldKind.MENTAL_HEALTH_CRISIS_BREATHING_SPACE if crisis else HoldKind.BREATHING_SPACE,
        reason=(
            "Mental health crisis breathing space moratorium"
            if crisis
            else "Standard breathing space moratorium"
        ),
        authorised_by=INSOLVENCY_SERVICE,
        start=starts_on,
        review_on=expected_end_on or starts_on + timedelta(days=STANDARD_DAYS),
        reference=reference,
    )


async def _remember(
    session: AsyncSession,
    reference: str,
    debt_ids: list[UUID],
    kind: str,
    starts_on: date,
    expected_end_on: date | None,
    version: int,
) -> None:
    await session.execute(
        text(
            """
            INSERT INTO recovery.breathing_space_notice
                (moratorium_reference, debt_id, kind, starts_on, expected_end_on, hold_version)
            SELECT :reference, unnest(CAST(:debt_ids AS uuid[])), :kind, :starts_on, :expected_end_on, :version
            ON CONFLICT (moratorium_reference, debt_id) DO UPDATE
               SET starts_on = excluded.starts_on, expected_end_on = excluded.expected_end_on,
                   hold_version = greatest(recovery.breathing_space_notice.hold_version, excluded.hold_version)
            """
        ),
        {
            "reference": reference,
            "debt_ids": debt_ids,
            "kind": kind,
            "starts_on": starts_on,
            "expected_end_on": expected_end_on,
            "version": version,
        },
    )


async def hold_case(session: AsyncSession, case: LoadedCase, hold: Hold, envelope: Envelope | None) -> None:
    """Apply a breathing space to a case, voiding what was done on or after its start and recalling referrals."""
    await hold_cases(session, [case], hold, envelope)


async def hold_cases(
    session: AsyncSession, cases: Sequence[LoadedCase], hold: Hold, envelope: Envelope | None
) -> None:
    """`hold_case` for every case a moratorium covers, the hold itself applied to them all at once."""
    day = clock.today()
    changed: list[UUID] = []
    for case in cases:
        if await _undo_what_the_moratorium_forbids(session, case, hold, day, envelope):
            changed.append(case.case_id)
    # Only a case whose steps, balance or referrals just changed needs reading again before the hold.
    reloaded = await load_cases(session, policies, changed)
    await apply_holds(session, [(reloaded.get(case.case_id, case), hold) for case in cases], day, envelope)


async def _undo_what_the_moratorium_forbids(
    session: AsyncSession, case: LoadedCase, hold: Hold, day: date, envelope: Envelope | None
) -> bool:
    """Void the steps taken inside the moratorium, reverse their costs and recall every referral still out.
    True when anything on the case changed."""
    effect = breathing_space_effect(case.state.steps_taken, hold)
    void_rows = [s for s in case.steps if s.taken in effect.void_steps and not s.taken.void]
    if void_rows:
        await session.execute(
            text(
                "INSERT INTO recovery.step_void (step_id, voided_on, reason) "
                "SELECT unnest(CAST(:ids AS uuid[])), :day, :reason ON CONFLICT DO NOTHING"
            ),
            {
                "ids": [s.step_id for s in void_rows],
                "day": day,
                "reason": f"taken inside breathing space {hold.reference} (from {hold.start.isoformat()})",
            },
        )
        await record(
            session,
            [
                (
                    case.case_id,
                    day,
                    "step_void",
                    f"{s.taken.name} of {s.taken.taken_on.isoformat()} is void: "
                    f"taken inside breathing space {hold.reference}",
                )
                for s in void_rows
            ],
        )
    if effect.costs_reversed:
        await session.execute(
            text(
                "UPDATE recovery.recovery_case SET balance_pence = balance_pence - :costs WHERE case_id = :case_id"
            ),
            {"costs": effect.costs_reversed, "case_id": case.case_id},
        )
        await runtime.outbox.add(
            session,
            CostsReversed(
                case_id=case.case_id,
                debt_id=case.debt_id,
                amount_pence=effect.costs_reversed,
                reason=f"costs of steps voided by breathing space {hold.reference}",
                reversed_on=day,
                void_steps=[s.taken.name for s in void_rows],
            ),
            causation=envelope,
        )
        await record(
            session,
            [
                (
                    case.case_id,
                    day,
                    "costs_reversed",
                    f"{format_pounds(effect.costs_reversed)} of costs reversed",
                )
            ],
        )
    # Recall every referral still out, whenever it was made: enforcement stops at once.
    referrals = case.open_referrals()
    await recall_referrals(
        session,
        case,
        referrals,
        day,
        f"breathing space {hold.reference} from {hold.start.isoformat()}",
        immediate=True,
        causation=envelope,
    )
    return bool(void_rows or effect.costs_reversed or referrals)


async def _hold_debts(
    session: AsyncSession,
    reference: str,
    debt_ids: list[UUID],
    kind: str,
    starts_on: date,
    expected_end_on: date | None,
    envelope: Envelope,
) -> None:
    hold = breathing_space_hold_for(kind, reference, starts_on, expected_end_on)
    case_ids = [
        r.case_id
        for r in await session.execute(
            text("SELECT case_id FROM recovery.recovery_case WHERE debt_id = ANY(:ids)"), {"ids": debt_ids}
        )
    ]
    cases = await load_cases(session, policies, case_ids)
    # A case this moratorium already holds is left as it is.
    unheld = [case for case in cases.values() if not any(h.hold.reference == reference for h in case.holds)]
    await hold_cases(session, unheld, hold, envelope)


@runtime.inbox.handles(BreathingSpaceHoldStarted)
async def breathing_space_started(
    session: AsyncSession, started: BreathingSpaceHoldStarted, envelope: Envelope
) -> None:
    """Hold every covered debt from the moratorium's start, and confirm."""
    await _remember(
        session,
        started.moratorium_reference,
        started.debt_ids,
        started.kind,
        started.starts_on,
        started.expected_end_on,
        started.hold_version,
    )
    await _hold_debts(
        session,
        started.moratorium_reference,
        started.debt_ids,
        started.kind,
        started.starts_on,
        started.expected_end_on,
        envelope,
    )
    await _confirm(session, started.moratorium_reference, started.hold_version, started.debt_ids, envelope)


@runtime.inbox.handles(BreathingSpaceDebtsAdded)
async def breathing_space_debts_added(
    session: AsyncSession, added: BreathingSpaceDebtsAdded, envelope: Envelope
) -> None:
    """More debts under the same moratorium: held from its start too."""
    known = (
        await session.execute(
            text(
                "SELECT kind, expected_end_on FROM recovery.breathing_space_notice "
                "WHERE moratorium_reference = :reference LIMIT 1"
            ),
            {"reference": added.moratorium_reference},
        )
    ).first()
    kind = known.kind if known else "standard"
    expected_end_on = known.expected_end_on if known else None
    await _remember(
        session,
        added.moratorium_reference,
        added.debt_ids,
        kind,
        added.starts_on,
        expected_end_on,
        added.hold_version,
    )
    await _hold_debts(
        session, added.moratorium_reference, added.debt_ids, kind, added.starts_on, expected_end_on, envelope
    )
    await _confirm(session, added.moratorium_reference, added.hold_version, added.debt_ids, envelope)


@runtime.inbox.handles(BreathingSpaceHoldEnded)
async def breathing_space_ended(
    session: AsyncSession, ended: BreathingSpaceHoldEnded, envelope: Envelope
) -> None:
    """The moratorium ended: protection covered up to its last protected day; recovery resumes after it, where
    it paused."""
    await session.execute(
        text(
            "UPDATE recovery.breathing_space_notice SET last_protected_day = :last, "
            "hold_version = greatest(hold_version, :version) WHERE moratorium_reference = :reference"
        ),
        {
            "last": ended.last_protected_day,
            "version": ended.hold_version,
            "reference": ended.moratorium_reference,
        },
    )
    case_ids = [
        r.case_id
        for r in await session.execute(
            text(
                "SELECT DISTINCT h.case_id FROM recovery.hold h JOIN recovery.recovery_case c "
                "ON c.case_id = h.case_id WHERE h.reference = :reference"
            ),
            {"reference": ended.moratorium_reference},
        )
    ]
    for case in (await load_cases(session, policies, case_ids)).values():
        for held in case.holds:
            if held.hold.reference == ended.moratorium_reference and held.hold.lifted_on is None:
                await lift_hold(
                    session,
                    case,
                    held.hold_id,
                    ended.last_protected_day + timedelta(days=1),
                    INSOLVENCY_SERVICE,
                    f"breathing space {ended.how}" + (f": {ended.reason}" if ended.reason else ""),
                    envelope,
                )
    await _confirm(session, ended.moratorium_reference, ended.hold_version, ended.debt_ids, envelope)


async def apply_breathing_space_notices(
    session: AsyncSession, case_id: UUID, debt_id: UUID, envelope: Envelope
) -> None:
    """A case just opened: apply any breathing space that arrived before its debt (and its end, if known)."""
    notices = (
        await session.execute(
            text("SELECT * FROM recovery.breathing_space_notice WHERE debt_id = :debt_id ORDER BY starts_on"),
            {"debt_id": debt_id},
        )
    ).all()
    for notice in notices:
        case = (await load_cases(session, policies, [case_id]))[case_id]
        hold = breathing_space_hold_for(
            notice.kind, notice.moratorium_reference, notice.starts_on, notice.expected_end_on
        )
        await hold_case(session, case, hold, envelope)
        if notice.last_protected_day is not None:
            case = (await load_cases(session, policies, [case_id]))[case_id]
            for held in case.holds:
                if held.hold.reference == notice.moratorium_reference:
                    await lift_hold(
                        session,
                        case,
                        held.hold_id,
                        notice.last_protected_day + timedelta(days=1),
                        INSOLVENCY_SERVICE,
                        "breathing space ended before the debt reached recovery",
                        envelope,
                    )


async def _confirm(
    session: AsyncSession, reference: str, version: int, debt_ids: list[UUID], envelope: Envelope
) -> None:
    await runtime.outbox.add(
        session,
        RecoveryConfirmedHold(
            moratorium_reference=reference, hold_version=version, confirmed_debt_ids=debt_ids
        ),
        causation=envelope,
    )
