"""Breathing space: recovery stops for every covered debt from the moratorium's start date, even when the news
arrives late (Debt Respite Scheme Regulations 2020; Derby 8; NELC 4.7-4.9).

Steps taken on or after the start are recorded as void (kept on record, never deleted) with their costs
reversed, and every referral still with an agent is recalled at once. A hold for a debt recovery has not yet
opened a case for is kept, and applied when the case opens. Recovery confirms every hold version it applied;
when the moratorium ends, recovery resumes where it paused.

A housing benefit overpayment's deduction from benefit is a step to collect the debt (reg 7): a breathing space
that starts on a debt whose deduction is running (or asked) asks the benefits system to suspend it, and its end
asks the method again, or asks the benefits system for the first time a debt held since it opened
(`benefit_deductions.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from uuid import UUID

from services.recovery.benefit_deductions import ask_those_never_asked, suspend_for_breathing_space
from services.recovery.case_state import LoadedCase, load_case, load_cases, reschedule
from services.recovery.domain.breathing_space import breathing_space_effect
from services.recovery.domain.holds import Hold, HoldKind
from services.recovery.holds import apply_holds, lift_hold, recall_referrals
from services.recovery.recovery import Recovery, RecoveryHandling
from services.recovery.stores import RecoveryStores
from services.recovery.stores.case_record import CaseEntry
from shared.contracts.breathing_space import (
    BreathingSpaceDebtsAdded,
    BreathingSpaceHoldEnded,
    BreathingSpaceHoldStarted,
    HeldDebtScope,
)
from shared.contracts.recovery import CostsReversed, RecoveryConfirmedHold
from shared.messaging.inbox_router import InboxRouter
from shared.money import format_pounds

router = InboxRouter[RecoveryStores, Recovery]()

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


async def hold_case(handling: RecoveryHandling, case: LoadedCase, hold: Hold) -> None:
    """Apply a breathing space to a case, voiding what was done on or after its start and recalling referrals."""
    await hold_cases(handling, [(case, hold)])


async def hold_cases(handling: RecoveryHandling, holding: Sequence[tuple[LoadedCase, Hold]]) -> None:
    """`hold_case` for every case a moratorium covers (each with its debt's scope), the holds applied at once."""
    day = handling.service.clock.today()
    changed: list[UUID] = []
    for case, hold in holding:
        if await _undo_what_the_moratorium_forbids(handling, case, hold, day):
            changed.append(case.case_id)
    # Only a case whose steps, balance or referrals just changed needs reading again before the hold.
    reloaded = await load_cases(handling.stores.cases, handling.service.policies, changed)
    await apply_holds(handling, [(reloaded.get(case.case_id, case), hold) for case, hold in holding], day)
    for case, hold in holding:  # reg 7: a deduction from benefit running on a moratorium debt is suspended
        await suspend_for_breathing_space(handling, reloaded.get(case.case_id, case), hold, day)
    await handling.stores.record.append(
        [
            CaseEntry(case.case_id, day, "breathing_space_scope", text)
            for case, hold in holding
            if (text := scope_text(hold))
        ]
    )


def with_scope(hold: Hold, scope: HeldDebtScope | None) -> Hold:
    """The moratorium's hold as it applies to one debt: ongoing liabilities after `protected_up_to` are not
    frozen (where the debt has any); on a joint debt, who else is liable and the council's policy for them."""
    if scope is None:
        return hold  # a message from before scope existed: the whole debt is held
    return replace(
        hold,
        ongoing_after=scope.protected_up_to if scope.ongoing_liabilities_pence > 0 else None,
        other_liable_customer_ids=tuple(scope.other_liable_customer_ids),
        other_parties_policy=scope.other_parties_policy,
        other_parties_why=scope.other_parties_why,
    )


def scope_text(hold: Hold) -> str:
    """What the case record says of the hold's scope (empty for a hold of the whole debt, sole debtor)."""
    parts = []
    if hold.ongoing_after is not None:
        parts.append(
            f"sums due by {hold.ongoing_after.isoformat()} are in breathing space {hold.reference}; instalments "
            "due after it are ongoing liabilities (not frozen: reminders about them go on)"
        )
    if hold.other_liable_customer_ids:
        others = ", ".join(str(c) for c in hold.other_liable_customer_ids)
        parts.append(
            f"joint debt: {others} not in the breathing space; council policy: "
            f"{hold.other_parties_policy or 'not stated'}"
            + (f" ({hold.other_parties_why})" if hold.other_parties_why else "")
        )
    return "; ".join(parts)


async def _undo_what_the_moratorium_forbids(
    handling: RecoveryHandling, case: LoadedCase, hold: Hold, day: date
) -> bool:
    """Void the steps taken inside the moratorium, reverse their costs and recall every referral still out.
    True when anything on the case changed."""
    stores = handling.stores
    effect = breathing_space_effect(case.state.steps_taken, hold)
    void_rows = [s for s in case.steps if s.taken in effect.void_steps and not s.taken.void]
    if void_rows:
        await stores.steps.void(
            [s.step_id for s in void_rows],
            day,
            f"taken inside breathing space {hold.reference} (from {hold.start.isoformat()})",
        )
        await stores.record.append(
            [
                CaseEntry(
                    case.case_id,
                    day,
                    "step_void",
                    f"{s.taken.name} of {s.taken.taken_on.isoformat()} is void: "
                    f"taken inside breathing space {hold.reference}",
                )
                for s in void_rows
            ]
        )
    if effect.costs_reversed:
        await stores.cases.reduce_balance(case.case_id, effect.costs_reversed)
        await handling.outbox.add(
            CostsReversed(
                case_id=case.case_id,
                debt_id=case.debt_id,
                amount_pence=effect.costs_reversed,
                reason=f"costs of steps voided by breathing space {hold.reference}",
                reversed_on=day,
                void_steps=[s.taken.name for s in void_rows],
            )
        )
        await stores.record.append(
            [
                CaseEntry(
                    case.case_id,
                    day,
                    "costs_reversed",
                    f"{format_pounds(effect.costs_reversed)} of costs reversed",
                )
            ]
        )
    # Recall every referral still out, whenever it was made: enforcement stops at once.
    referrals = case.open_referrals()
    await recall_referrals(
        handling,
        case,
        referrals,
        day,
        f"breathing space {hold.reference} from {hold.start.isoformat()}",
        immediate=True,
    )
    return bool(void_rows or effect.costs_reversed or referrals)


async def _hold_debts(
    handling: RecoveryHandling,
    reference: str,
    debt_ids: list[UUID],
    kind: str,
    starts_on: date,
    expected_end_on: date | None,
    scope: Sequence[HeldDebtScope] = (),
) -> None:
    hold = breathing_space_hold_for(kind, reference, starts_on, expected_end_on)
    scoped = {s.debt_id: s for s in scope}
    case_ids = list((await handling.stores.cases.case_ids_for_debts(debt_ids)).values())
    cases = await load_cases(handling.stores.cases, handling.service.policies, case_ids)
    # A case this moratorium already holds is left as it is.
    unheld = [case for case in cases.values() if not any(h.hold.reference == reference for h in case.holds)]
    await hold_cases(handling, [(case, with_scope(hold, scoped.get(case.debt_id))) for case in unheld])


@router.handles(BreathingSpaceHoldStarted)
async def breathing_space_started(started: BreathingSpaceHoldStarted, handling: RecoveryHandling) -> None:
    """Hold every covered debt from the moratorium's start, and confirm."""
    await handling.stores.moratoria.remember(
        started.moratorium_reference,
        started.debt_ids,
        started.kind,
        started.starts_on,
        started.expected_end_on,
        started.hold_version,
    )
    await _hold_debts(
        handling,
        started.moratorium_reference,
        started.debt_ids,
        started.kind,
        started.starts_on,
        started.expected_end_on,
        started.scope,
    )
    await _confirm(handling, started.moratorium_reference, started.hold_version, started.debt_ids)


@router.handles(BreathingSpaceDebtsAdded)
async def breathing_space_debts_added(added: BreathingSpaceDebtsAdded, handling: RecoveryHandling) -> None:
    """More debts under the same moratorium: held from its start too."""
    known = await handling.stores.moratoria.terms(added.moratorium_reference)
    kind = known.kind if known else "standard"
    expected_end_on = known.expected_end_on if known else None
    await handling.stores.moratoria.remember(
        added.moratorium_reference,
        added.debt_ids,
        kind,
        added.starts_on,
        expected_end_on,
        added.hold_version,
    )
    await _hold_debts(
        handling,
        added.moratorium_reference,
        added.debt_ids,
        kind,
        added.starts_on,
        expected_end_on,
        added.scope,
    )
    await _confirm(handling, added.moratorium_reference, added.hold_version, added.debt_ids)


@router.handles(BreathingSpaceHoldEnded)
async def breathing_space_ended(ended: BreathingSpaceHoldEnded, handling: RecoveryHandling) -> None:
    """The moratorium ended: protection covered up to its last protected day; recovery resumes after it, where
    it paused."""
    stores = handling.stores
    await stores.moratoria.ended(ended.moratorium_reference, ended.last_protected_day, ended.hold_version)
    case_ids = await stores.cases.case_ids_held_by(ended.moratorium_reference)
    for case in (await load_cases(stores.cases, handling.service.policies, case_ids)).values():
        await _resume_after(
            handling,
            case,
            ended.moratorium_reference,
            ended.last_protected_day,
            f"breathing space {ended.how}" + (f": {ended.reason}" if ended.reason else ""),
        )
    # The hold is lifted: a housing benefit overpayment never asked, or suspended, is asked of the benefits
    # system now (unless another hold still stops recovery; then when that ends).
    today = handling.service.clock.today()
    resumed = await load_cases(stores.cases, handling.service.policies, case_ids)
    asked = await ask_those_never_asked(handling, resumed.values(), today)
    if asked:
        await reschedule(stores, handling.service.policies, asked, today)
    await _confirm(handling, ended.moratorium_reference, ended.hold_version, ended.debt_ids)


async def apply_breathing_space_notices(handling: RecoveryHandling, case_id: UUID, debt_id: UUID) -> None:
    """A case just opened: apply any breathing space that arrived before its debt (and its end, if known)."""
    stores, policies = handling.stores, handling.service.policies
    for notice in await stores.moratoria.for_debt(debt_id):
        case = await load_case(stores.cases, policies, case_id)
        assert case is not None
        hold = breathing_space_hold_for(
            notice.kind, notice.moratorium_reference, notice.starts_on, notice.expected_end_on
        )
        await hold_case(handling, case, hold)
        if notice.last_protected_day is not None:
            case = await load_case(stores.cases, policies, case_id)
            assert case is not None
            await _resume_after(
                handling,
                case,
                notice.moratorium_reference,
                notice.last_protected_day,
                "breathing space ended before the debt reached recovery",
            )


async def _resume_after(
    handling: RecoveryHandling, case: LoadedCase, reference: str, last_protected_day: date, reason: str
) -> None:
    """Lift the moratorium's hold on the case from the day after its last protected day: recovery resumes."""
    for held in case.holds:
        if held.hold.reference == reference and held.hold.lifted_on is None:
            await lift_hold(
                handling,
                case,
                held.hold_id,
                last_protected_day + timedelta(days=1),
                INSOLVENCY_SERVICE,
                reason,
            )


async def _confirm(handling: RecoveryHandling, reference: str, version: int, debt_ids: list[UUID]) -> None:
    await handling.outbox.add(
        RecoveryConfirmedHold(
            moratorium_reference=reference, hold_version=version, confirmed_debt_ids=debt_ids
        )
    )
