"""The council's breathing space settings file is read with defaults, and typos are refused."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from services.breathing_space.domain.settings import rules_from_yaml

SETTINGS = Path(__file__).resolve().parents[3] / "services" / "breathing_space" / "breathing_space.yaml"


def test_the_shipped_settings_file_gives_the_regulations_periods() -> None:
    rules = rules_from_yaml(SETTINGS.read_text())
    assert rules.period.standard_days == 60
    assert rules.period.days_after_crisis_treatment == 30
    assert rules.confirming_services == {"recovery", "billing", "agents_gateway"}


def test_a_council_can_change_the_confirmation_window_and_keep_the_other_defaults() -> None:
    rules = rules_from_yaml("confirmation_window_seconds: 60\nmatching: {possible_threshold: 50}\n")
    assert rules.confirmation_window == timedelta(seconds=60)
    assert rules.matching.possible_threshold == 50
    assert rules.period.standard_days == 60


def test_an_unknown_setting_is_refused() -> None:
    with pytest.raises(ValueError, match="confirmation_windw"):
        rules_from_yaml("confirmation_windw: 60\n")
