"""The hearing a summons is issued for, as the step, its record entry and its event carry it."""

from __future__ import annotations

from datetime import date

from services.recovery.domain.court_sessions import SummonsHearing, summons_hearing
from services.recovery.domain.notices import letter_date
from services.recovery.domain.policy import RecoveryPolicy, RecoveryStep, StepKind
from shared.contracts.recovery import SummonsHearing as SummonsHearingContract
from shared.money import format_pounds


def summons_hearing_of(policy: RecoveryPolicy, step: RecoveryStep, issued_on: date) -> SummonsHearing | None:
    """For a summons, the first liability order hearing the law allows and the costs it claims; else None.
    (A summons is only ever due with a hearing configured: `regulated_case._with_a_hearing`.)"""
    if step.kind is not StepKind.SUMMONS or policy.court is None:
        return None
    return summons_hearing(policy.court, issued_on, step.costs)


def hearing_text(hearing: SummonsHearing | None) -> str:
    """The hearing as the case record says it (empty for any other step)."""
    if hearing is None:
        return ""
    return (
        f"; hearing at {hearing.court_name} on {letter_date(hearing.hearing.on)} at "
        f"{hearing.hearing.at:%H:%M}, costs claimed {format_pounds(hearing.costs_claimed)}"
    )


def hearing_contract(hearing: SummonsHearing | None) -> SummonsHearingContract | None:
    """The hearing as `recovery.stage.advanced` carries it."""
    if hearing is None:
        return None
    return SummonsHearingContract(
        court_name=hearing.court_name,
        court_address=hearing.court_address,
        hearing_on=hearing.hearing.on,
        hearing_at=hearing.hearing.at,
        served_on=hearing.served_on,
        costs_claimed_pence=hearing.costs_claimed,
    )
