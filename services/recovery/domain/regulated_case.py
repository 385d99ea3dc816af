"""A council tax or business rates case on the regulated path: the step engine's general answers (holds,
arrangements, nothing to collect) first, then the regulated path decides the notices and the summons from the
year's instalments (`regulated_path.next_regulated_step`); after the summons nothing follows until the court's
outcome is recorded, and the council's timetable after the liability order runs only on a granted order.

Pure. `case_step` and `case_position` are what the wiring calls for every case: other debt types follow the step
engine unchanged; a council tax or rates case opened before recovery kept instalments follows it up to the
summons, and then, like every council tax and rates case, waits for the court.
"""

from __future__ import annotations

from datetime import date, timedelta

from services.recovery.domain.case import RecoveryCaseState
from services.recovery.domain.holds import Hold
from services.recovery.domain.instalments import InstalmentLedger
from services.recovery.domain.ongoing_liabilities import (
    breathing_space_with_ongoing_liabilities,
    notices_issued,
    ongoing_liabilities_decision,
)
from services.recovery.domain.policy import RecoveryPolicy, RecoveryStep, StepKind
from services.recovery.domain.regulated_path import (
    CourtResult,
    RegulatedStatus,
    enforcement_allowed,
    granted_order,
    next_regulated_step,
)
from services.recovery.domain.step_engine import NextStep, StepStatus, next_step, stored_position

_GENERAL_ANSWERS = (StepStatus.HELD, StepStatus.UNDER_ARRANGEMENT, StepStatus.NO_RECOVERY, StepStatus.SETTLED)


def follows_regulated_path(policy: RecoveryPolicy, ledger: InstalmentLedger | None) -> bool:
    """True for a council tax or rates case whose instalments recovery knows."""
    return policy.regulated_terms is not None and ledger is not None and bool(ledger.instalments)


def _step_of_kind(policy: RecoveryPolicy, kind: StepKind) -> RecoveryStep | None:
    found = next((s for s in policy.steps if s.kind is kind), None)
    if found is None and kind is StepKind.SECOND_REMINDER:
        # A council with one reminder letter (NELC, RBWM) sends it again for the second default in the year.
        return _step_of_kind(policy, StepKind.REMINDER)
    return found


def case_step(
    policy: RecoveryPolicy,
    case: RecoveryCaseState,
    ledger: InstalmentLedger | None,
    court_results: tuple[CourtResult, ...],
    day: date,
) -> NextStep:
    """What the case does on `day`: the step engine's answer, or on the regulated path the law's."""
    general = next_step(policy, case, day)
    terms = policy.regulated_terms
    if terms is not None and general.status is StepStatus.HELD and follows_regulated_path(policy, ledger):
        assert ledger is not None
        space = breathing_space_with_ongoing_liabilities(case.holds, day)
        if space is not None:
            return _ongoing_liabilities_step(policy, case, ledger, space, day, general)
    if terms is None or general.status in _GENERAL_ANSWERS:
        return general
    issued = notices_issued(case.effective_steps, case.holds)
    if any(n.kind is StepKind.SUMMONS for n in issued):
        # With or without known instalments: the court, not the timetable, makes the liability order.
        return _after_summons(general, court_results)
    if ledger is None or not follows_regulated_path(policy, ledger):
        # Opened before recovery kept instalments: the count of defaults, up to the summons.
        return _with_a_hearing(policy, general, day)
    decision = next_regulated_step(terms, ledger, issued, day)
    if decision.status is RegulatedStatus.NOTHING_PAYABLE:
        return NextStep(StepStatus.NOTHING_DUE, reason=decision.reason)
    when = decision.eligible_from
    if when is not None and case.needs_gentler_route:
        when += timedelta(days=policy.gentler_route.extra_days_to_pay)
    step = _step_of_kind(policy, decision.kind) if decision.kind is not None else None
    if decision.kind is not None and step is None:
        return NextStep(StepStatus.NO_RECOVERY, reason=f"the policy has no {decision.kind.value} step")
    due = decision.is_due and when is not None and when <= day
    return _with_a_hearing(
        policy,
        NextStep(
            StepStatus.DUE if due else StepStatus.NOT_YET,
            step=step,
            eligible_from=when,
            amount_pursued=decision.amount_asked,
            advice_referral=general.advice_referral,
            reason=decision.reason,
        ),
        day,
    )


def _ongoing_liabilities_step(
    policy: RecoveryPolicy,
    case: RecoveryCaseState,
    ledger: InstalmentLedger,
    space: Hold,
    day: date,
    held: NextStep,
) -> NextStep:
    """In a breathing space: reminders about the ongoing liabilities only (`domain/ongoing_liabilities.py`)."""
    assert policy.regulated_terms is not None
    issued = notices_issued(case.effective_steps, case.holds)
    decision = ongoing_liabilities_decision(policy.regulated_terms, ledger, issued, space, day)
    if decision is None:
        return held
    why = f"ongoing liabilities after {space.ongoing_after} (breathing space {space.reference}): {decision.reason}"
    if decision.kind is None:
        return NextStep(StepStatus.NOT_YET, eligible_from=decision.eligible_from, reason=why)
    step = _step_of_kind(policy, decision.kind)
    if step is None:
        return held
    due = decision.is_due and decision.eligible_from is not None and decision.eligible_from <= day
    return NextStep(
        StepStatus.DUE if due else StepStatus.NOT_YET,
        step=step,
        eligible_from=decision.eligible_from,
        amount_pursued=decision.amount_asked,
        reason=why,
    )


def _with_a_hearing(policy: RecoveryPolicy, decided: NextStep, day: date) -> NextStep:
    """Never a summons without a hearing: a summons due today with no liability order hearing configured far
    enough ahead waits, and the case is looked at again tomorrow."""
    if not decided.is_due or decided.step is None or decided.step.kind is not StepKind.SUMMONS:
        return decided
    if policy.court is not None and policy.court.hearing_for(day) is not None:
        return decided
    return NextStep(
        StepStatus.NOT_YET,
        eligible_from=day + timedelta(days=1),
        amount_pursued=decided.amount_pursued,
        reason=f"no liability order hearing configured far enough after {day} for a summons",
    )


def _after_summons(general: NextStep, court_results: tuple[CourtResult, ...]) -> NextStep:
    """After the summons the court decides: no liability order, notice of it, attachment or agent referral
    without a granted order on record (the order itself is recorded when the officer records the grant)."""
    if granted_order(court_results) is None:
        return NextStep(StepStatus.AWAITING_COURT, reason="summons issued: waiting for the court's outcome")
    step = general.step
    if step is not None and step.kind is StepKind.LIABILITY_ORDER:
        # Only the court grants the order: the step is recorded with the grant, never taken by the timetable.
        return NextStep(
            StepStatus.AWAITING_COURT, reason="the liability order is recorded from the court's grant"
        )
    if step is not None and not enforcement_allowed(step.kind, court_results):
        return NextStep(StepStatus.AWAITING_COURT, reason="no granted liability order on record")
    return general


def case_position(
    policy: RecoveryPolicy,
    case: RecoveryCaseState,
    ledger: InstalmentLedger | None,
    court_results: tuple[CourtResult, ...],
    day: date,
) -> tuple[str | None, date | None]:
    """The (next step name, eligible-from date) to store on the case row (see `stored_position`).

    On the regulated path a date with no name is a day to look again (a notice's 7 days ending, the next
    instalment falling due); no date means only an event changes anything (the court's outcome, a new
    instalment)."""
    if policy.regulated_terms is None:
        return stored_position(policy, case, day)
    decision = case_step(policy, case, ledger, court_results, day)
    if decision.status in (StepStatus.DUE, StepStatus.NOT_YET):
        return (decision.step.name if decision.step is not None else None), decision.eligible_from
    if decision.status in (StepStatus.AWAITING_COURT, StepStatus.NOTHING_DUE):
        return None, None
    return stored_position(policy, case, day)
