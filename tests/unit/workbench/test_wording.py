"""The workbench's lists of hold kinds, write-off reasons and contact channels are recovery's own: an officer
is never offered a value recovery would refuse, nor denied one it takes."""

from __future__ import annotations

from typing import get_args

from services.recovery.domain.escalation import WriteOffReason
from services.recovery.domain.holds import HoldKind
from services.recovery.http import ContactRecorded, HoldAsked
from services.workbench.domain import wording
from shared.debt_types import DebtType


def test_the_holds_an_officer_may_apply_are_those_recovery_takes_from_an_officer():
    assert set(wording.HOLD_KINDS) == set(get_args(HoldAsked.model_fields["kind"].annotation))
    assert set(wording.HOLD_KIND_NAMES) == {kind.value for kind in HoldKind}
    assert {"breathing_space", "mental_health_crisis_breathing_space"} == wording.BREATHING_SPACE_HOLDS


def test_every_write_off_reason_recovery_takes_is_offered():
    assert set(wording.WRITE_OFF_REASONS) == {reason.value for reason in WriteOffReason}


def test_contact_channels_and_directions_are_recovery_s():
    assert set(wording.CONTACT_CHANNELS) == set(get_args(ContactRecorded.model_fields["channel"].annotation))
    assert set(wording.CONTACT_DIRECTIONS) == set(
        get_args(ContactRecorded.model_fields["direction"].annotation)
    )


def test_every_debt_type_has_the_council_s_name():
    assert set(wording.DEBT_TYPES) == {debt_type.value for debt_type in DebtType}


def test_the_kinds_of_moratorium_are_breathing_space_s():
    from services.breathing_space.domain.moratorium import MoratoriumKind

    assert set(wording.MORATORIUM_KINDS) == {kind.value for kind in MoratoriumKind}


def test_the_decisions_on_an_exhausted_timetable_are_recovery_s():
    from services.recovery.domain.exhausted_timetable import ExhaustedDecision

    assert set(wording.EXHAUSTED_DECISIONS) == {decision.value for decision in ExhaustedDecision}
    assert wording.INSOLVENCY_WRITE_OFF in {reason.value for reason in WriteOffReason}
