"""The breathing space rules a council may change, read from YAML text (the wiring reads the file).

See ``services/breathing_space/breathing_space.yaml`` for the defaults and their meaning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import yaml

from services.breathing_space.domain.customer_matching import MatchingRules
from services.breathing_space.domain.hold_confirmations import CONFIRMING_SERVICES
from services.breathing_space.domain.hold_scope import OtherPartiesPolicy, ScopeRules
from services.breathing_space.domain.period_rules import PeriodRules


@dataclass(frozen=True)
class BreathingSpaceRules:
    """Everything configurable about breathing space in one place."""

    period: PeriodRules = field(default_factory=PeriodRules)
    matching: MatchingRules = field(default_factory=MatchingRules)
    confirmation_window: timedelta = timedelta(minutes=5)
    confirming_services: frozenset[str] = CONFIRMING_SERVICES
    signature_tolerance: timedelta = timedelta(minutes=5)
    creditor_name: str = "The Council"
    scope: ScopeRules = field(default_factory=ScopeRules)


def rules_from_yaml(text: str) -> BreathingSpaceRules:
    """Read the rules from YAML text; missing keys keep their defaults, unknown keys are an error."""
    raw: dict[str, Any] = yaml.safe_load(text) or {}
    known = {"period", "matching", "confirmation_window_seconds", "confirming_services"}
    known |= {"signature_tolerance_seconds", "creditor_name", "scope"}
    unknown = set(raw) - known
    if unknown:
        raise ValueError(f"unknown breathing space setting(s): {sorted(unknown)}")
    defaults = BreathingSpaceRules()
    return BreathingSpaceRules(
        period=PeriodRules(**(raw.get("period") or {})),
        matching=MatchingRules(**(raw.get("matching") or {})),
        confirmation_window=timedelta(
            seconds=raw.get("confirmation_window_seconds", defaults.confirmation_window.total_seconds())
        ),
        confirming_services=frozenset(raw.get("confirming_services", defaults.confirming_services)),
        signature_tolerance=timedelta(
            seconds=raw.get("signature_tolerance_seconds", defaults.signature_tolerance.total_seconds())
        ),
        creditor_name=raw.get("creditor_name", defaults.creditor_name),
        scope=_scope(raw.get("scope") or {}),
    )


def _scope(raw: dict[str, Any]) -> ScopeRules:
    unknown = set(raw) - {"ongoing_liability_debt_types", "joint_debtors_other_parties"}
    if unknown:
        raise ValueError(f"unknown breathing space scope setting(s): {sorted(unknown)}")
    defaults = ScopeRules()
    return ScopeRules(
        ongoing_liability_debt_types=frozenset(
            raw.get("ongoing_liability_debt_types", defaults.ongoing_liability_debt_types)
        ),
        other_parties=OtherPartiesPolicy(raw.get("joint_debtors_other_parties", defaults.other_parties)),
    )
