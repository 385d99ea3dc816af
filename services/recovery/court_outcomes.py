"""Recording the magistrates' court's outcome for a case's summons: one path for an officer's entry over HTTP
and for every row of a court results file.

- granted: the liability order is recorded, dated the hearing, with the court's reference and the costs awarded;
  the council's timetable after the order may go on.
- adjourned: nothing follows until the outcome at the later hearing.
- withdrawn: the summons costs are reversed in billing (`recovery.costs.reversed`); nothing follows.
- paid: paid before the hearing. The summons costs as the council's policy says
  (`costs_if_paid_before_hearing`): `waived` reverses them and the case ends; `payable` keeps them (CT reg 34(5):
  the sum and the costs end the application), and the case ends once nothing is owed, or else stays with the
  court for the costs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import uuid4

from services.recovery.case_state import LoadedCase, load_case, reschedule
from services.recovery.domain.court_sessions import DAYS_TO_ELAPSE_AFTER_SERVICE
from services.recovery.domain.policy import StepKind
from services.recovery.domain.regulated_path import (
    CourtOutcome,
    CourtResult,
    PaidBeforeHearingCosts,
    court_result_problems,
)
from services.recovery.holds import close_case
from services.recovery.recovery import RecoveryHandling
from services.recovery.step_taking import StepsTaken
from services.recovery.stores.case_record import CaseEntry
from services.recovery.stores.cases import StoredStep
from services.recovery.stores.court_results import CourtResultRecord
from shared.contracts.recovery import CostsReversed
from shared.money import format_pounds


@dataclass(frozen=True)
class OutcomeRecorded:
    """What recording an outcome did: its id, and whether the case ended."""

    court_result_id: object
    outcome: CourtOutcome
    case_closed: bool = False


def summons_of(case: LoadedCase) -> StoredStep | None:
    """The case's summons on record (not void), or None."""
    return next((s for s in case.steps if s.taken.kind is StepKind.SUMMONS and not s.taken.void), None)


def outcome_problems(case: LoadedCase, result: CourtResult, today: date) -> list[str]:
    """Why this outcome cannot be recorded on the case (empty when it can). The same rules for an officer's entry
    and for a court results file's row."""
    if case.policy is None or case.policy.regulated_terms is None:
        return ["the case is not recovered through the magistrates' court"]
    if case.row.status != "open":
        return [f"the case is {case.row.status}"]
    summons = summons_of(case)
    if summons is None:
        return ["the case has no summons on record"]
    if any(s.taken.kind is StepKind.LIABILITY_ORDER and not s.taken.void for s in case.steps):
        return ["the case already has its liability order on record"]
    problems = court_result_problems(result, summons.taken.taken_on, summons.taken.costs)
    court = case.policy.court
    if (
        court is not None
        and not problems
        and result.heard_on < court.earliest_hearing_day(summons.taken.taken_on)
    ):
        problems.append(
            f"a liability order needs {DAYS_TO_ELAPSE_AFTER_SERVICE} days to elapse after the summons is served "
            f"(served {court.served_on(summons.taken.taken_on)}, reg 35(2A))"
        )
    if result.heard_on > today:
        problems.append("the court's outcome is recorded after the hearing, not before it")
    return problems


async def record_outcome(
    handling: RecoveryHandling,
    case: LoadedCase,
    result: CourtResult,
    recorded_by: str,
    today: date,
    from_file: str | None = None,
) -> OutcomeRecorded:
    """Record an outcome already checked with `outcome_problems`, and do what it means for the case."""
    summons = summons_of(case)
    assert summons is not None and case.policy is not None and case.policy.regulated_terms is not None
    record = CourtResultRecord(
        court_result_id=uuid4(),
        case_id=case.case_id,
        summons_step_id=summons.step_id,
        outcome=result.outcome.value,
        heard_on=result.heard_on,
        court_reference=result.court_reference,
        costs_awarded_pence=result.costs_awarded,
        adjourned_to=result.adjourned_to,
        recorded_by=recorded_by,
        court_results_file=from_file,
    )
    stores = handling.stores
    await stores.court_results.add(record)
    await stores.record.append(
        [CaseEntry(case.case_id, today, "court_outcome", _summary(result, recorded_by))]
    )
    waived = case.policy.regulated_terms.costs_if_paid_before_hearing is PaidBeforeHearingCosts.WAIVED
    reverse = result.outcome is CourtOutcome.WITHDRAWN or (result.outcome is CourtOutcome.PAID and waived)
    costs = summons.taken.costs
    if reverse and costs:
        await handling.outbox.add(
            CostsReversed(
                case_id=case.case_id,
                debt_id=case.debt_id,
                amount_pence=costs,
                reason="summons withdrawn"
                if result.outcome is CourtOutcome.WITHDRAWN
                else "paid before the hearing",
                reversed_on=today,
                void_steps=[summons.taken.name],
            )
        )
        await stores.cases.reduce_balance(case.case_id, costs)
    if result.outcome is CourtOutcome.PAID:
        owed = case.row.balance_pence - (costs if reverse else 0)
        if waived or owed <= 0:
            why = "paid before the hearing" + ("; the summons costs waived" if waived and costs else "")
            await close_case(handling, case, why, today)
            return OutcomeRecorded(record.court_result_id, result.outcome, case_closed=True)
        await stores.record.append(
            [
                CaseEntry(
                    case.case_id,
                    today,
                    "court_outcome",
                    f"the sum summonsed was paid; {format_pounds(owed)} (the summons costs) is still owed, "
                    "so the case stays with the court for it",
                )
            ]
        )
    granted_step = next((s for s in case.policy.steps if s.kind is StepKind.LIABILITY_ORDER), None)
    if result.outcome is CourtOutcome.GRANTED and granted_step is not None:
        with_order = await load_case(stores.cases, handling.service.policies, case.case_id)
        assert with_order is not None
        # The order dates from the hearing that made it; what follows it is timed from then.
        work = StepsTaken(result.heard_on)
        debtor = await stores.customers.debtor(with_order.customer_ids)
        work.take(
            with_order,
            granted_step.name,
            with_order.state.balance,
            debtor,
            False,
            f"Liability order {result.court_reference} granted on {result.heard_on}.",
            costs=result.costs_awarded,
        )
        await work.write(stores, handling.outbox)
    else:
        await reschedule(stores, handling.service.policies, [case.case_id], today)
    return OutcomeRecorded(record.court_result_id, result.outcome)


def _summary(result: CourtResult, recorded_by: str) -> str:
    by = f" (recorded by {recorded_by})"
    if result.outcome is CourtOutcome.GRANTED:
        return (
            f"liability order {result.court_reference} granted on {result.heard_on}, costs awarded "
            f"{format_pounds(result.costs_awarded)}{by}"
        )
    if result.outcome is CourtOutcome.ADJOURNED:
        return f"hearing of {result.heard_on} adjourned to {result.adjourned_to}{by}"
    if result.outcome is CourtOutcome.WITHDRAWN:
        return f"summons withdrawn at the hearing of {result.heard_on}; its costs reversed{by}"
    return f"paid before the hearing of {result.heard_on}: no order asked for{by}"
