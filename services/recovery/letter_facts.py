"""The facts recovery hands the letter rendering for a council tax or business rates step (see
`domain/regulated_letter_facts.py`): the instalments a notice asks for, its 7 days and what follows, the sums in a
breathing space and the ongoing liabilities; a summons's court session, the costs it claims and the further
costs the council's timetable asks for if the court makes the liability order. Other steps: none."""

from __future__ import annotations

from datetime import date

from services.recovery.case_state import LoadedCase
from services.recovery.domain.court_sessions import SummonsHearing
from services.recovery.domain.ongoing_liabilities import (
    breathing_space_with_ongoing_liabilities,
    notices_issued,
)
from services.recovery.domain.policy import RecoveryPolicy, RecoveryStep, StepKind
from services.recovery.domain.regulated_letter_facts import (
    NOTICE_KINDS,
    SummonsFacts,
    regulated_notice_facts,
)


def liability_order_costs(policy: RecoveryPolicy, summons: RecoveryStep) -> int:
    """The further costs (pence) the council's timetable asks for with a liability order after this summons; 0
    when it asks for none. They arise only if the court makes the order at the hearing: CT reg 34(7)-(8), the
    order is for the sum outstanding plus the costs reasonably incurred in obtaining it."""
    following = policy.steps[policy.index_of(summons.name) + 1 :]
    order = next((s for s in following if s.kind is StepKind.LIABILITY_ORDER), None)
    return order.costs if order is not None else 0


def letter_facts_of(
    case: LoadedCase, step: RecoveryStep, day: date, hearing: SummonsHearing | None
) -> dict[str, object]:
    """What the letter for `step`, taken on `day`, is told beyond the amount and dates every letter has."""
    policy = case.policy
    if hearing is not None:
        summons = SummonsFacts(hearing).letter_facts()
        further = liability_order_costs(policy, step) if policy is not None else 0
        if further:
            summons["further_costs_pence"] = further
        return summons
    if (
        policy is None
        or policy.regulated_terms is None
        or step.kind not in NOTICE_KINDS
        or case.ledger is None
        or not case.on_regulated_path
    ):
        return {}
    issued = notices_issued(case.state.effective_steps, case.state.holds)
    space = breathing_space_with_ongoing_liabilities(case.state.holds, day)
    facts = regulated_notice_facts(
        policy.regulated_terms,
        case.ledger,
        issued,
        step.kind,
        day,
        (space.reference or "breathing space", space.ongoing_after)
        if space is not None and space.ongoing_after is not None
        else None,
    )
    return facts.letter_facts() if facts is not None else {}
