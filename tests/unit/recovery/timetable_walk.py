"""Walks a case through its policy day by day, as the daily run would, for tests that read as timetables."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from pathlib import Path

from services.recovery.domain.case import RecoveryCaseState
from services.recovery.domain.policy import PolicyBook, RecoveryPolicy
from services.recovery.domain.policy_loader import load_policy_directory
from services.recovery.domain.step_engine import advance

POLICIES_DIR = Path(__file__).resolve().parents[3] / "services" / "recovery" / "policies"


@cache
def shipped_books() -> dict[str, PolicyBook]:
    """The policy files shipped with the service, by council."""
    return load_policy_directory(POLICIES_DIR)


def shipped_policy(council: str, debt_type: str, group: str | None = None) -> RecoveryPolicy:
    """One shipped policy."""
    from services.recovery.domain.debt_types import DebtType

    return shipped_books()[council].policy_for(DebtType(debt_type), group)


def walk(
    policy: RecoveryPolicy, case: RecoveryCaseState, start: date, end: date
) -> tuple[RecoveryCaseState, list[tuple[str, date]]]:
    """Run the daily run on every date from start to end inclusive; return the case and the steps taken."""
    taken: list[tuple[str, date]] = []
    day = start
    while day <= end:
        case, decision = advance(policy, case, day)
        if decision.is_due and decision.step is not None:
            taken.append((decision.step.name, day))
        day += timedelta(days=1)
    return case, taken
