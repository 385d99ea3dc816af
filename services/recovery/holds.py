"""Putting a case on hold and lifting the hold; recalling referrals; closing a case.

A hold stops every step and every contact while it lasts (the step engine sees it); a hold over the whole
balance also recalls any referral still with an agent (at once for breathing space). Lifting a hold is a new
row, never an edit: the case record keeps both.

A housing benefit overpayment's deduction from benefit is a step to collect it: a hold that stops recovery
(an appeal or dispute of the overpayment decision, an officer's hold...) asks the benefits system to suspend a
deduction running or asked, and the lift of the last such hold asks it again (`benefit_deductions.py`). A
breathing space's suspension is asked by `breathing_space.py`, once it has voided what the moratorium forbids.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID, uuid4

from services.recovery.benefit_deductions import ask_again_once_unheld, suspend_while_held
from services.recovery.case_state import LoadedCase, position_of, reschedule
from services.recovery.domain.holds import Hold
from services.recovery.recovery import RecoveryHandling
from services.recovery.stores.case_record import CaseEntry
from services.recovery.stores.cases import CaseClosing, Position, StoredHold, StoredStep
from services.recovery.stores.holds import NewHold
from shared.contracts.envelope import Envelope
from shared.contracts.recovery import CaseClosed, HoldApplied, HoldLifted, RecallRequested


async def apply_hold(handling: RecoveryHandling, case: LoadedCase, hold: Hold, day: date) -> UUID | None:
    """Record the hold on the case, publish HoldApplied, recall referrals it stops, and move the case's next
    step. Returns the hold id, or None when this hold (same moratorium reference) is already on the case."""
    return (await apply_holds(handling, [(case, hold)], day))[0]


async def apply_holds(
    handling: RecoveryHandling, holds: Sequence[tuple[LoadedCase, Hold]], day: date
) -> list[UUID | None]:
    """`apply_hold` for many cases at once (a breathing space holds every debt the person owes): the same
    effects, in a handful of statements whatever the number of cases. Returns each hold's id, or None where the
    case already had that hold."""
    if not holds:
        return []
    stores = handling.stores
    hold_ids = [uuid4() for _ in holds]
    inserted = await stores.holds.put(
        [NewHold(hold_id, case.case_id, hold) for hold_id, (case, hold) in zip(hold_ids, holds, strict=True)]
    )
    applied = [
        (hold_id, case, hold)
        for hold_id, (case, hold) in zip(hold_ids, holds, strict=True)
        if hold_id in inserted
    ]
    if not applied:
        return [None] * len(holds)
    await stores.record.append(
        [CaseEntry(case.case_id, day, "hold", _hold_entry(hold)) for _, case, hold in applied]
    )
    await handling.outbox.add_all(
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
        ]
    )
    read_again: set[UUID] = set()
    for _, case, hold in applied:
        referrals = case.open_referrals()
        last_day = hold.last_day()
        if (
            referrals
            and hold.holds_whole_balance(case.state.balance)
            and (last_day is None or last_day >= day)
        ):
            await recall_referrals(
                handling,
                case,
                referrals,
                day,
                f"{hold.kind.value} hold: {hold.reason}",
                immediate=hold.is_breathing_space,
            )
            read_again.add(case.case_id)
    read_again |= {
        case_id for case_id, count in Counter(c.case_id for _, c, _ in applied).items() if count > 1
    }
    # A case as the caller loaded it, with the new hold, is the case as stored: its next step is worked out without
    # reading it back (a breathing space is applied in the middle of heavy traffic); one whose referrals were just
    # recalled, or that got two holds here, is read again.
    await stores.cases.store_positions(
        [
            Position(case.case_id, *position_of(_with_hold(case, hold_id, hold), day))
            for hold_id, case, hold in applied
            if case.case_id not in read_again
        ]
    )
    await reschedule(stores, handling.service.policies, read_again, day)
    for hold_id, case, hold in applied:  # held, the suspended case has no next-step date: nothing to store
        if not hold.is_breathing_space:
            await suspend_while_held(handling, case, [(hold_id, hold)], day)
    return [hold_id if hold_id in inserted else None for hold_id in hold_ids]


def _with_hold(case: LoadedCase, hold_id: UUID, hold: Hold) -> LoadedCase:
    holds = sorted([*case.holds, StoredHold(case.case_id, hold_id, hold)], key=lambda h: h.hold.start)
    # Everything else known of the case carries over (instalments, the court's outcomes, proof of debt, the
    # benefits system's answers): without them a council tax case would be placed as if
    # it had none (and wait for an event instead of its next regulated date).
    return replace(case, holds=holds, state=replace(case.state, holds=tuple(h.hold for h in holds)))


def _hold_entry(hold: Hold) -> str:
    until = f"until {hold.end.isoformat()}" if hold.end else f"review on {hold.review_on}"
    part = f" over {hold.disputed_amount}p disputed" if hold.disputed_amount is not None else ""
    return (
        f"{hold.kind.value} hold{part} from {hold.start.isoformat()} ({until}), authorised by "
        f"{hold.authorised_by}: {hold.reason}"
    )


async def lift_hold(
    handling: RecoveryHandling,
    case: LoadedCase,
    hold_id: UUID,
    lifted_on: date,
    lifted_by: str,
    reason: str,
) -> bool:
    """Lift a hold from `lifted_on` (recovery resumes where it paused; a deduction from benefit suspended for
    it is asked again once no hold stops recovery). False if it was already lifted."""
    hold = next((h for h in case.holds if h.hold_id == hold_id), None)
    if hold is None:
        raise KeyError(f"no hold {hold_id} on case {case.case_id}")
    stores = handling.stores
    if not await stores.holds.lift(hold_id, lifted_on, lifted_by, reason):
        return False
    await stores.record.append(
        [
            CaseEntry(
                case.case_id,
                lifted_on,
                "hold_lifted",
                f"{hold.hold.kind.value} hold lifted by {lifted_by}: {reason}",
            )
        ]
    )
    await handling.outbox.add(
        HoldLifted(
            hold_id=hold_id,
            case_id=case.case_id,
            debt_id=case.debt_id,
            reason=hold.hold.kind.value,
            lifted_on=lifted_on,
        )
    )
    await ask_again_once_unheld(handling, case.case_id, handling.service.clock.today())
    await reschedule(stores, handling.service.policies, [case.case_id], lifted_on)
    return True


async def recall_referrals(
    handling: RecoveryHandling,
    case: LoadedCase,
    referrals: list[StoredStep],
    day: date,
    reason: str,
    *,
    immediate: bool,
    how: str = "recalled",
    publish: bool = True,
) -> None:
    """End these referrals (recalled, returned or rejected) and, for agent placements, ask the gateway to take
    the case back. `immediate` (breathing space) sends the recall at once, not with the next batch file."""
    for referral in referrals:
        if referral.referral_id is None:
            continue
        if not await handling.stores.steps.end_referral(referral.referral_id, day, how, reason):
            continue
        await handling.stores.record.append(
            [CaseEntry(case.case_id, day, "referral_ended", f"{referral.taken.name} {how}: {reason}")]
        )
        if publish and referral.agency_kind != "legal":
            await handling.outbox.add(
                RecallRequested(
                    referral_id=referral.referral_id,
                    case_id=case.case_id,
                    debt_id=case.debt_id,
                    reason=reason,
                    immediate=immediate,
                    requested_on=day,
                )
            )


@dataclass(frozen=True)
class CaseClosure:
    """A case to close: why, on which day, and the message that caused it."""

    case: LoadedCase
    reason: str
    day: date
    causation: Envelope | None = None


async def close_case(handling: RecoveryHandling, case: LoadedCase, reason: str, day: date) -> None:
    """Recovery on the debt has ended: close the case, take back any referral, and say so."""
    await close_cases(handling, [CaseClosure(case, reason, day, handling.envelope)])


async def close_cases(handling: RecoveryHandling, closures: Sequence[CaseClosure]) -> None:
    """Close many cases in a few statements (a signed write-off schedule approves thousands at once): each
    closed once, its referrals taken back, a line on its record and `CaseClosed` published."""
    closing: dict[UUID, CaseClosure] = {}
    for closure in closures:
        if closure.case.row.status != "closed":
            closing.setdefault(closure.case.case_id, closure)  # the same case twice in a batch: once
    if not closing:
        return
    stores = handling.stores
    await stores.cases.close([CaseClosing(case_id, c.reason, c.day) for case_id, c in closing.items()])
    for closure in closing.values():
        if referrals := closure.case.open_referrals():
            await recall_referrals(
                handling.caused_by(closure.causation) if closure.causation else handling,
                closure.case,
                referrals,
                closure.day,
                f"case closed: {closure.reason}",
                immediate=False,
            )
    await stores.record.append(
        [CaseEntry(c.case.case_id, c.day, "closed", f"case closed: {c.reason}") for c in closing.values()]
    )
    await handling.outbox.add_caused(
        [
            (
                CaseClosed(case_id=c.case.case_id, debt_id=c.case.debt_id, reason=c.reason, closed_on=c.day),
                c.causation,
            )
            for c in closing.values()
        ]
    )
