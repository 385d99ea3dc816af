"""The step engine: given a case and a business date, which step of its policy is due next, and from when.

Pure functions. `next_step` answers for one case on one date; `schedule_next_step` gives the date-independent
part (the next step and its "eligible from" date) that the wiring stores on the case row.

How the daily run should be wired set-based (500,000 open cases in minutes, a rerun doing nothing):

1. Load each policy's timetable into a table with `timetable_rows(policy)`: one row per step with
   (council, debt_type, group, step_index, step_name, kind, anchor, days, basis, min_defaults, max_defaults,
   min_balance, individuals_only, enforcement, is_agent_referral, costs).
2. Keep on every case row `next_step_name` and `next_step_eligible_from`, computed by `schedule_next_step`
   whenever the case changes (a step taken, a payment, a default, a hold lifted, an arrangement made or
   defaulted, a vulnerability flag or review). These are event-driven, a handful per case, never a scan.
   The same date can be computed in SQL from the timetable rows, because it is only
   `anchor_date + days` (calendar) or the working day whose ordinal in a `working_day(day, ordinal)` calendar
   table is ordinal(anchor_date) + days (working), then `greatest(...)` with
   last_step_on + greatest(minimum_days_between_steps, 1) and with the day after the last hold ended,
   plus the gentler route's extra days for flagged cases: see `eligible_from` for the exact formula.
3. The daily run for business date D is then one statement per batch over an index on
   (next_step_eligible_from) WHERE status = 'open':
       SELECT case_id, next_step_name FROM recovery_case c
        WHERE c.status = 'open' AND c.next_step_eligible_from <= :D
          AND c.arrangement_status IS DISTINCT FROM 'live'
          AND NOT EXISTS (SELECT 1 FROM hold h WHERE h.case_id = c.case_id AND h.start_on <= :D
                          AND coalesce(h.last_day, 'infinity') >= :D AND h.whole_balance)
          AND NOT (c.next_step_is_agent_referral AND c.flagged AND c.reviewed_on IS NULL)
        FOR UPDATE SKIP LOCKED LIMIT :batch
   inserting the step rows with `ON CONFLICT (case_id, step_name) WHERE NOT void DO NOTHING` (a rerun for
   the same date finds nothing eligible, or conflicts and does nothing), the notices and the outbox events in
   the same transaction, then recomputing the two columns for the cases just advanced.
   Conditions (min/max defaults, min balance, individuals only) are plain predicates on case columns, so
   skipping a step whose conditions fail is `SELECT DISTINCT ON (case_id) ... WHERE step_index > last_index
   AND <conditions> ORDER BY case_id, step_index`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from services.recovery.domain.case import ArrangementStatus, RecoveryCaseState, StepTaken
from services.recovery.domain.hb_order_of_recovery import (
    BenefitsSystemDecision,
    BenefitsSystemStanding,
    benefits_system_decision,
)
from services.recovery.domain.holds import Hold, holds_stopping_recovery, undisputed_balance
from services.recovery.domain.policy import Anchor, RecoveryPolicy, RecoveryStep
from services.recovery.domain.proof_of_debt import ProofOfDebtDecision, proof_of_debt_decision
from shared.money import Pence


class StepStatus(StrEnum):
    """The engine's answer for a case on a business date."""

    DUE = "due"  # take `step` today
    NOT_YET = "not_yet"  # `step` is next, from `eligible_from`
    HELD = "held"  # a hold stops recovery; no step and no contact
    UNDER_ARRANGEMENT = "under_arrangement"  # a live arrangement is being kept
    BARRED = "barred"  # an agent referral is next, barred until the circumstances are reviewed
    SETTLED = "settled"  # nothing left to collect
    EXHAUSTED = "exhausted"  # every step taken: a write-off request is due if the policy says so
    NO_RECOVERY = "no_recovery"  # the policy takes no recovery action (e.g. wayleaves, RBWM 7f)
    # The regulated path (council tax, business rates: domain/regulated_case.py):
    NOTHING_DUE = "nothing_due"  # every instalment due is paid, or what became payable was paid: no step
    AWAITING_COURT = (
        "awaiting_court"  # a summons is out: nothing follows until the court's outcome is recorded
    )
    # Proof of debt (domain/proof_of_debt.py, NELC 5.10):
    AWAITING_PROOF_OF_DEBT = "awaiting_proof_of_debt"  # asked of the originating service, reply-by not passed
    NO_PROOF_OF_DEBT = "no_proof_of_debt"  # not provided, or no answer by the reply-by date: write-off due
    # Housing benefit overpayments (domain/hb_order_of_recovery.py, NELC 7.2):
    WITH_THE_BENEFITS_SYSTEM = (
        "with_the_benefits_system"  # asked, or recovering by deductions: no invoice step
    )


@dataclass(frozen=True)
class ScheduledStep:
    """The next step of a case's timetable and the first date it may be taken."""

    step: RecoveryStep
    eligible_from: date
    passed_over: tuple[str, ...] = ()  # steps skipped because their conditions failed


@dataclass(frozen=True)
class NextStep:
    """What the engine decided, with why, and the sum the next notice pursues."""

    status: StepStatus
    step: RecoveryStep | None = None
    eligible_from: date | None = None
    amount_pursued: Pence = 0
    holds: tuple[Hold, ...] = ()
    advice_referral: bool = False
    reason: str = ""

    @property
    def is_due(self) -> bool:
        """True when a step is to be taken on the business date."""
        return self.status is StepStatus.DUE


def pending_step(
    policy: RecoveryPolicy, case: RecoveryCaseState
) -> tuple[int, RecoveryStep, tuple[str, ...]] | None:
    """The next step in timetable order after the last one taken whose conditions the case meets.

    Returns (index, step, names of the steps passed over), or None when the timetable is exhausted.
    """
    taken_indices = [
        policy.index_of(step.name)
        for step in case.effective_steps
        if any(s.name == step.name for s in policy.steps)
    ]
    start = max(taken_indices) + 1 if taken_indices else 0
    passed_over: list[str] = []
    for index in range(start, len(policy.steps)):
        step = policy.steps[index]
        if step.conditions.hold_for(case.defaults_count, case.balance, case.debtor_is_individual):
            return index, step, tuple(passed_over)
        passed_over.append(step.name)
    return None


def eligible_from(policy: RecoveryPolicy, step: RecoveryStep, case: RecoveryCaseState) -> date:
    """The first date `step` may be taken for `case`: the set-based formula, stated once.

    greatest(
        trigger(anchor_date, days, basis)        -- anchor: due date, or the last step's date (or its quarter end)
        + gentler.extra_days_to_pay               -- vulnerable / can't pay only
        + gentler.postpone_enforcement_days       -- vulnerable / can't pay, enforcement steps only,
        last_step_on + greatest(minimum_days_between_steps, 1),
        last_step_on + its letter's pay_within_days  -- the pay-by date the last letter promised,
        day after the latest hold that has ended since the case's last step (or its due date)
    )
    """
    last = case.last_step
    due = case.due_date
    if policy.benefits_system_first:
        # NELC 7.2: the invoice timetable runs from the day the benefits system stopped its last method.
        started = benefits_system_decision(policy.benefits_system_first, case.benefit_requests).timetable_from
        due = max(due, started) if started is not None else due
    anchor_date = due if step.trigger.anchor is Anchor.DUE_DATE or last is None else last.taken_on
    when = step.trigger.eligible_from(anchor_date)
    if case.needs_gentler_route:
        when += timedelta(days=policy.gentler_route.extra_days_to_pay)
        if step.enforcement:
            when += timedelta(days=policy.gentler_route.postpone_enforcement_days)
    if last is not None:
        # Never two steps on one day: this is also what makes a rerun of the same business date do nothing.
        gap = max(policy.minimum_days_between_steps, 1)
        when = max(when, last.taken_on + timedelta(days=gap))
        # The last letter gave the debtor until its pay-by date, and said nothing would happen before then: keep
        # that promise even when the case is catching up (after a hold, or a broken arrangement).
        previous = next((s for s in policy.steps if s.name == last.name), None)
        if previous is not None and previous.contact:
            when = max(when, last.taken_on + timedelta(days=previous.pay_within_days))
    since = last.taken_on if last is not None else case.due_date
    for hold in case.holds:
        hold_last = hold.last_day()
        if hold_last is not None and hold_last >= since:
            when = max(when, hold_last + timedelta(days=1))
    return when


def _with_the_benefits_system(
    policy: RecoveryPolicy, case: RecoveryCaseState
) -> BenefitsSystemDecision | None:
    """While the benefits system is asked or deducting (NELC 7.2), why no invoice step is scheduled."""
    if not policy.benefits_system_first:
        return None
    decision = benefits_system_decision(policy.benefits_system_first, case.benefit_requests)
    return None if decision.standing is BenefitsSystemStanding.INVOICE else decision


def schedule_next_step(policy: RecoveryPolicy, case: RecoveryCaseState) -> ScheduledStep | None:
    """The next step and its eligible-from date, independent of the business date (store it on the case row).
    None while a housing benefit overpayment is with the benefits system: no step follows until it stops."""
    if _with_the_benefits_system(policy, case) is not None:
        return None
    found = pending_step(policy, case)
    if found is None:
        return None
    _, step, passed_over = found
    return ScheduledStep(step=step, eligible_from=eligible_from(policy, step, case), passed_over=passed_over)


def _agent_referral_barred(policy: RecoveryPolicy, case: RecoveryCaseState, day: date) -> bool:
    if not (case.needs_gentler_route and policy.gentler_route.bar_agent_referral_until_reviewed):
        return False
    return case.circumstances_reviewed_on is None or case.circumstances_reviewed_on > day


def _proof_of_debt(case: RecoveryCaseState, day: date) -> ProofOfDebtDecision | None:
    """Where the case's proof of debt request stands, if one was made at a step that still counts."""
    request = case.proof_of_debt
    if request is None or not case.has_taken(request.step_name):
        return None
    return proof_of_debt_decision(request, day)


def next_step(policy: RecoveryPolicy, case: RecoveryCaseState, business_date: date) -> NextStep:
    """Decide the next step of `case` as of `business_date`: due now, due later, or why none is taken."""
    advice = case.needs_gentler_route and policy.gentler_route.advice_referral
    if not policy.steps:
        return NextStep(StepStatus.NO_RECOVERY, reason="the policy takes no recovery action for this debt")
    stopping = holds_stopping_recovery(case.holds, business_date, case.balance)
    if stopping and case.balance > 0:
        return NextStep(StepStatus.HELD, holds=stopping, reason=", ".join(h.kind.value for h in stopping))
    pursued = undisputed_balance(case.holds, business_date, case.balance)
    if pursued <= 0:
        return NextStep(StepStatus.SETTLED, reason="nothing left to collect")
    if case.arrangement is ArrangementStatus.LIVE:
        return NextStep(
            StepStatus.UNDER_ARRANGEMENT, amount_pursued=pursued, reason="an arrangement is being kept"
        )
    with_benefits = _with_the_benefits_system(policy, case)
    if with_benefits is not None:
        return NextStep(
            StepStatus.WITH_THE_BENEFITS_SYSTEM, amount_pursued=pursued, reason=with_benefits.reason
        )
    proof = _proof_of_debt(case, business_date)
    if proof is not None and not proof.continues:
        if proof.goes_to_write_off:
            return NextStep(StepStatus.NO_PROOF_OF_DEBT, amount_pursued=pursued, reason=proof.reason)
        return NextStep(
            StepStatus.AWAITING_PROOF_OF_DEBT,
            eligible_from=proof.look_again_on,
            amount_pursued=pursued,
            reason=proof.reason,
        )
    scheduled = schedule_next_step(policy, case)
    if scheduled is None:
        return NextStep(StepStatus.EXHAUSTED, amount_pursued=pursued, reason="every step has been taken")
    step = scheduled.step
    if step.is_agent_referral and _agent_referral_barred(policy, case, business_date):
        return NextStep(
            StepStatus.BARRED,
            step=step,
            eligible_from=scheduled.eligible_from,
            amount_pursued=pursued,
            advice_referral=advice,
            reason="vulnerable or can't-pay debtor: no agent referral until their circumstances are reviewed",
        )
    status = StepStatus.DUE if scheduled.eligible_from <= business_date else StepStatus.NOT_YET
    return NextStep(
        status,
        step=step,
        eligible_from=scheduled.eligible_from,
        amount_pursued=pursued,
        advice_referral=advice,
    )


def take_step(case: RecoveryCaseState, step: RecoveryStep, business_date: date) -> RecoveryCaseState:
    """The case after `step` is taken on `business_date`: recorded, with the step's costs added to the balance."""
    taken = StepTaken(name=step.name, kind=step.kind, taken_on=business_date, costs=step.costs)
    return replace(case, steps_taken=(*case.steps_taken, taken), balance=case.balance + step.costs)


def advance(
    policy: RecoveryPolicy, case: RecoveryCaseState, business_date: date
) -> tuple[RecoveryCaseState, NextStep]:
    """One case's share of the daily run: take the step if one is due, and say what was decided.

    Running it again for the same date changes nothing, because a step taken today makes the next one
    eligible tomorrow at the earliest.
    """
    decision = next_step(policy, case, business_date)
    if decision.is_due and decision.step is not None:
        return take_step(case, decision.step, business_date), decision
    return case, decision


def timetable_rows(policy: RecoveryPolicy) -> list[dict[str, Any]]:
    """The policy's steps as flat rows, for a timetable table the daily run joins against (see module doc)."""
    return [
        {
            "council": policy.council,
            "debt_type": policy.debt_type.value,
            "group": policy.group,
            "step_index": index,
            "step_name": step.name,
            "kind": step.kind.value,
            "anchor": step.trigger.anchor.value,
            "days": step.trigger.days,
            "basis": step.trigger.basis.value,
            "min_defaults": step.conditions.min_defaults,
            "max_defaults": step.conditions.max_defaults,
            "min_balance": step.conditions.min_balance,
            "individuals_only": step.conditions.individuals_only,
            "enforcement": step.enforcement,
            "contact": step.contact,
            "is_agent_referral": step.is_agent_referral,
            "costs": step.costs,
            "minimum_days_between_steps": policy.minimum_days_between_steps,
        }
        for index, step in enumerate(policy.steps)
    ]


def stored_position(
    policy: RecoveryPolicy, case: RecoveryCaseState, business_date: date
) -> tuple[str | None, date | None]:
    """The (next step name, eligible-from date) to keep on the case row after any change, as of `business_date`.

    The daily run selects the cases whose date has come. No date means the passing of time alone changes
    nothing (a hold with no known end, a live arrangement, an agent referral barred until a review, nothing to
    collect, no recovery for this debt): the event that changes that recomputes the position. An exhausted
    timetable is due from the day after its last step, so the daily run asks for the write-off.
    """
    decision = next_step(policy, case, business_date)
    if decision.status in (StepStatus.DUE, StepStatus.NOT_YET) and decision.step is not None:
        return decision.step.name, decision.eligible_from
    if decision.status is StepStatus.HELD:
        last_days = [hold.last_day() for hold in decision.holds]
        if any(day is None for day in last_days):
            return None, None
        resume = max(day for day in last_days if day is not None) + timedelta(days=1)
        scheduled = schedule_next_step(policy, case)
        if scheduled is None:
            return None, resume
        return scheduled.step.name, max(scheduled.eligible_from, resume)
    if decision.status is StepStatus.BARRED and decision.step is not None:
        reviewed = case.circumstances_reviewed_on
        if reviewed is not None and reviewed > business_date and decision.eligible_from is not None:
            return decision.step.name, max(decision.eligible_from, reviewed)
        return decision.step.name, None
    if decision.status is StepStatus.AWAITING_PROOF_OF_DEBT:
        return None, decision.eligible_from  # the daily run after the reply-by date looks again
    if decision.status is StepStatus.NO_PROOF_OF_DEBT:
        return None, business_date  # the write-off is due: the daily run asks for it
    if decision.status is StepStatus.EXHAUSTED:
        # Due from the day after the last step (never later than the run that should ask for the write-off).
        last = case.last_step
        return None, last.taken_on + timedelta(days=1) if last is not None else business_date
    return None, None
