"""Housing benefit overpayments recovered through the benefits system first (NELC 7.2; `shared/contracts/benefits.py`).

Where the policy names the methods (`benefits_system_first:`), a new overpayment's case asks the benefits system
by the first (`recovery.benefit_deduction.requested`) and takes no invoice step meanwhile.
`council_systems.benefit_deduction.confirmed`: deductions in place, on the case record; the case waits (billing's
balance and settlement follow the money). `council_systems.benefit_deduction.stopped`: the next method is asked;
when none is left, the invoice timetable runs from that day (`domain/hb_order_of_recovery.py`). Only a council
system may answer (the inbox refuses `council_systems.*` from anyone else); an answer to a request recovery never
made is refused to the dead-letter queue with the reason.

Holds: a deduction from benefit is a step to collect the debt, so every hold that stops recovery of it (a
breathing space, Debt Respite Scheme Regulations 2020, reg 7; an appeal or reconsideration of the overpayment
decision, or a dispute of it, until it is decided, DWP HB/CTB overpayments guide and the Child Support, Pensions
and Social Security Act 2000, Sch 7; a vulnerability review, a hardship deferral, an officer's hold) stops it too
(`deduction_suspension`). A debt a hold stops is never asked of the benefits system while it does (the case record
says so, with the rule); when such a hold is applied to a debt whose deduction is running or asked, or a
deduction is confirmed while one holds, recovery asks the benefits system to suspend it
(`recovery.benefit_deduction.suspension_requested`, with the hold's kind, id or register reference and the rule;
recorded as a `suspended` answer and on the case record). When a hold is lifted and no other stops recovery, the
suspended method is asked again (a new `recovery.benefit_deduction.requested`). A dispute over part of the balance
stops nothing. Only debts in a moratorium's scope carry its hold (`breathing_space.py` holds each covered debt,
and asks its suspension itself; `holds.py` asks the rest's).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from uuid import UUID, uuid4

from services.recovery.case_state import LoadedCase, load_case, reschedule
from services.recovery.domain.hb_order_of_recovery import (
    SUSPENSION_RULES,
    BenefitAnswer,
    BenefitsSystemStanding,
    benefits_system_decision,
    deduction_suspension,
)
from services.recovery.domain.holds import Hold, holds_stopping_recovery
from services.recovery.recovery import Recovery, RecoveryHandling
from services.recovery.stores import RecoveryStores
from services.recovery.stores.benefit_deductions import (
    BenefitDeductionAnswerRecord,
    BenefitDeductionRequestRecord,
)
from services.recovery.stores.case_record import CaseEntry
from shared.contracts.benefits import (
    BenefitDeductionConfirmed,
    BenefitDeductionRequested,
    BenefitDeductionStopped,
    BenefitDeductionSuspensionRequested,
)
from shared.contracts.envelope import MalformedMessage
from shared.messaging.inbox_router import InboxRouter
from shared.money import format_pounds

router = InboxRouter[RecoveryStores, Recovery]()


async def ask_the_benefits_system(handling: RecoveryHandling, case: LoadedCase, day: date) -> None:
    """If the order of recovery has a method for the benefits system to try next, ask it (NELC 7.2); when every
    one has stopped, say on the case record that the invoice timetable now runs."""
    policy = case.policy
    if policy is None or not policy.benefits_system_first or case.row.status != "open":
        return
    decision = benefits_system_decision(policy.benefits_system_first, case.state.benefit_requests)
    stores = handling.stores
    if decision.standing is BenefitsSystemStanding.INVOICE:
        await stores.record.append([CaseEntry(case.case_id, day, "order_of_recovery", decision.reason)])
        return
    if decision.standing is not BenefitsSystemStanding.ASK or decision.method is None:
        return
    if case.state.balance <= 0:
        return
    stopping = holds_stopping_recovery(case.state.holds, day, case.state.balance)
    if stopping:
        held_by = "; ".join(
            f"{h.kind.value} {h.reference or h.start.isoformat()}: {SUSPENSION_RULES[h.kind]}"
            for h in stopping
        )
        await stores.record.append(
            [
                CaseEntry(
                    case.case_id,
                    day,
                    "benefit_deduction_deferred",
                    f"{decision.method.value} not asked of the benefits system while a hold stops recovery "
                    f"({held_by}); asked once no hold stops it",
                )
            ]
        )
        return
    request_id = uuid4()
    method = decision.method.value
    await stores.benefit_deductions.add_request(
        BenefitDeductionRequestRecord(request_id, case.case_id, method, case.state.balance, day)
    )
    await stores.record.append(
        [
            CaseEntry(
                case.case_id,
                day,
                "benefit_deduction_requested",
                f"{format_pounds(case.state.balance)} asked of the benefits system by {method}: "
                f"{decision.reason}",
            )
        ]
    )
    await handling.outbox.add(
        BenefitDeductionRequested(
            request_id=request_id,
            case_id=case.case_id,
            debt_id=case.debt_id,
            customer_ids=case.customer_ids,
            claim_reference=case.row.external_reference,
            method=method,
            amount_pence=case.state.balance,
            requested_on=day,
        )
    )


async def ask_those_never_asked(
    handling: RecoveryHandling, cases: Iterable[LoadedCase], day: date
) -> list[UUID]:
    """The daily run's share (and a breathing space's end): an open case whose policy asks the benefits system
    first but which has nothing before it, not even a request (opened before its council's file named the
    methods, as RBWM's overpayments before `ongoing_benefit`; or held by a breathing space when it opened), or
    whose method was suspended for a breathing space, is asked now instead of waiting for an answer to a question
    never put (NELC 7.2, RBWM 9; reg 7). A case asked, deducting or on its invoice timetable is left alone, and so
    is one a hold stops today (asked when the hold ends). Returns the cases asked (their positions are stored
    again by the caller: asked, they wait for the answer)."""
    asked: list[UUID] = []
    for case in cases:
        policy = case.policy
        if policy is None or not policy.benefits_system_first:
            continue
        if holds_stopping_recovery(case.state.holds, day, case.state.balance):
            continue
        decision = benefits_system_decision(policy.benefits_system_first, case.state.benefit_requests)
        if (
            decision.standing is BenefitsSystemStanding.ASK
            and case.row.status == "open"
            and case.state.balance > 0
        ):
            await ask_the_benefits_system(handling, case, day)
            asked.append(case.case_id)
    return asked


async def suspend_those_now_held(
    handling: RecoveryHandling, cases: Iterable[LoadedCase], day: date
) -> list[UUID]:
    """The daily run's share for a hold entered ahead of its start (an appeal hold from a later day): on the day
    it comes into force, a deduction running or asked is suspended (`suspend_while_held`, as when a hold is
    applied). Returns the cases suspended (their positions are stored again by the caller)."""
    suspended: list[UUID] = []
    for case in cases:
        if await suspend_while_held(handling, case, [(h.hold_id, h.hold) for h in case.holds], day):
            suspended.append(case.case_id)
    return suspended


async def suspend_for_breathing_space(
    handling: RecoveryHandling, case: LoadedCase, hold: Hold, day: date
) -> bool:
    """A breathing space holds a debt whose recovery from benefit is running (confirmed) or asked: ask the
    benefits system to suspend it (Debt Respite Scheme Regulations 2020, reg 7: no step to collect a moratorium
    debt). `breathing_space.py` calls it once it has voided what the moratorium forbids and applied the hold
    (`apply_holds` leaves breathing spaces to it). True when asked."""
    if not hold.is_breathing_space:
        return False
    return await suspend_while_held(handling, case, [(None, hold)], day)


async def suspend_while_held(
    handling: RecoveryHandling, case: LoadedCase, held: Sequence[tuple[UUID | None, Hold]], day: date
) -> bool:
    """If one of `held` (each with recovery's hold id, when known) stops recovery of the debt on `day` while its
    recovery from benefit is running or asked, ask the benefits system to suspend it
    (`recovery.benefit_deduction.suspension_requested`, saying which hold and the rule), recorded as a
    `suspended` answer and on the case record; the method is asked again once no hold stops recovery
    (`ask_again_once_unheld`). A hold that does not stop recovery (a dispute over part of the balance, one not
    yet in force) leaves the deduction alone (`deduction_suspension`). True when asked."""
    policy = case.policy
    if policy is None or not policy.benefits_system_first:
        return False
    suspension = deduction_suspension(
        benefits_system_decision(policy.benefits_system_first, case.state.benefit_requests),
        [(_reference(hold_id, hold), hold) for hold_id, hold in held],
        day,
        case.state.balance,
    )
    if suspension is None:
        return False
    stores = handling.stores
    request = await stores.benefit_deductions.latest_request(case.case_id)
    if request is None:
        return False
    hold = suspension.hold
    hold_id = next(hold_id for hold_id, one in held if one is hold)
    suspension_id = uuid4()
    await stores.benefit_deductions.add_answer(
        BenefitDeductionAnswerRecord(
            suspension_id, request.request_id, BenefitAnswer.SUSPENDED.value, day, suspension.reason
        )
    )
    await stores.record.append(
        [
            CaseEntry(
                case.case_id,
                day,
                "benefit_deduction_suspension_requested",
                f"the benefits system asked to suspend recovery by {request.method}: {suspension.reason}",
            )
        ]
    )
    await handling.outbox.add(
        BenefitDeductionSuspensionRequested(
            suspension_id=suspension_id,
            request_id=request.request_id,
            case_id=case.case_id,
            debt_id=case.debt_id,
            customer_ids=case.customer_ids,
            claim_reference=case.row.external_reference,
            method=request.method,
            moratorium_reference=hold.reference if hold.is_breathing_space else "",
            suspend_from=hold.start,
            requested_on=day,
            reason=suspension.reason,
            hold_kind=hold.kind.value,
            hold_id=hold_id,
        )
    )
    return True


def _reference(hold_id: UUID | None, hold: Hold) -> str:
    """How the council knows the hold: a breathing space by its register reference, any other by its id."""
    if hold.is_breathing_space and hold.reference:
        return hold.reference
    return str(hold_id) if hold_id is not None else hold.reference or hold.kind.value


async def ask_again_once_unheld(handling: RecoveryHandling, case_id: UUID, day: date) -> bool:
    """A hold on the case was lifted or ended: if no hold stops recovery any longer, the method suspended for
    it (or, never asked while held, the first) is asked of the benefits system again (NELC 7.2). True when asked
    (the caller stores the case's position again: asked, it waits for the answer)."""
    stores, policies = handling.stores, handling.service.policies
    case = await load_case(stores.cases, policies, case_id)
    if case is None or case.policy is None or not case.policy.benefits_system_first:
        return False
    return bool(await ask_those_never_asked(handling, [case], day))


@router.handles(BenefitDeductionConfirmed)
async def benefit_deduction_confirmed(answer: BenefitDeductionConfirmed, handling: RecoveryHandling) -> None:
    """The benefits system recovers the overpayment by the method asked: on the case record; no invoice step
    while it does (NELC 7.2)."""
    if answer.amount_pence_per_week is not None:
        how = f"{format_pounds(answer.amount_pence_per_week)} a week from {answer.starts_on}"
    else:
        how = f"{format_pounds(answer.recovered_pence)} recovered at once on {answer.starts_on}"
    await _answered(
        handling, answer.request_id, answer.case_id, BenefitAnswer.CONFIRMED, answer.starts_on, how
    )


@router.handles(BenefitDeductionStopped)
async def benefit_deduction_stopped(answer: BenefitDeductionStopped, handling: RecoveryHandling) -> None:
    """The benefits system cannot, or can no longer, recover by this method: the next method of the order is
    asked, or, none left, the invoice timetable runs (NELC 7.2)."""
    await _answered(
        handling, answer.request_id, answer.case_id, BenefitAnswer.STOPPED, answer.stopped_on, answer.reason
    )


async def _answered(
    handling: RecoveryHandling,
    request_id: UUID,
    case_id: UUID,
    outcome: BenefitAnswer,
    answered_on: date,
    detail: str,
) -> None:
    stores, service = handling.stores, handling.service
    request = await stores.benefit_deductions.request(request_id)
    if request is None or request.case_id != case_id:
        raise MalformedMessage(f"recovery made no benefit deduction request {request_id} on case {case_id}")
    answer_id = handling.envelope.event_id if handling.envelope is not None else uuid4()
    await stores.benefit_deductions.add_answer(
        BenefitDeductionAnswerRecord(answer_id, request_id, outcome.value, answered_on, detail)
    )
    said = "in place" if outcome is BenefitAnswer.CONFIRMED else "stopped"
    await stores.record.append(
        [
            CaseEntry(
                case_id,
                answered_on,
                f"benefit_deduction_{outcome.value}",
                f"recovery by {request.method} {said}: {detail}",
            )
        ]
    )
    case = await load_case(stores.cases, service.policies, case_id)
    if case is None:
        return
    today = service.clock.today()
    if outcome is BenefitAnswer.STOPPED:
        await ask_the_benefits_system(handling, case, today)
    else:
        # Confirmed while a hold stops recovery (asked before it began): suspended at once.
        await suspend_while_held(handling, case, [(h.hold_id, h.hold) for h in case.holds], today)
    await reschedule(stores, service.policies, [case_id], today)
