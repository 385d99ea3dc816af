"""The facts recovery hands the letter rendering for a council tax or business rates step (see
`domain/regulated_letter_facts.py`): the instalments a notice asks for, its 7 days and what follows, the sums in a
breathing space and the ongoing liabilities; a summons's court session and costs claimed. Other steps: none."""

from __future__ import annotations

from datetime import date

from services.recovery.case_state import LoadedCase
from services.recovery.domain.court_sessions import SummonsHearing
from services.recovery.domain.ongoing_liabilities import (
    breathing_space_with_ongoing_liabilities,
    notices_issued,
)
from services.recovery.domain.policy import RecoveryStep
from services.recovery.domain.regulated_letter_facts import (
    NOTICE_KINDS,
    SummonsFacts,
    regulated_notice_facts,
)


def letter_facts_of(
    case: LoadedCase, step: RecoveryStep, day: date, hearing: SummonsHearing | None
) -> dict[str, object]:
    """What the letter for `step`, taken on `day`, is told beyond the amount and dates every letter has."""
    if hearing is not None:
        return SummonsFacts(hearing).letter_facts()
    policy = case.policy
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
