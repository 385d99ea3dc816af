"""What a breathing space does to a case that has already moved on: it counts from the moratorium's start.

The Insolvency Service's notice can reach the council days after the moratorium began. Protection runs from the
start date, so steps taken on or after it were not allowed: they are recorded as void (kept on record, never
deleted), their costs reversed (fees and charges are frozen), and every referral still with an agent or agency is
recalled, because enforcement must stop whenever the referral was made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.recovery.domain.case import StepTaken
from services.recovery.domain.holds import Hold, HoldError
from shared.money import Pence


@dataclass(frozen=True)
class BreathingSpaceEffect:
    """Steps to record as void, referrals to recall, and costs to take off the debt."""

    void_steps: tuple[StepTaken, ...]
    recalls: tuple[StepTaken, ...]
    costs_reversed: Pence

    @property
    def changes_anything(self) -> bool:
        """False when the breathing space arrived before any step it covers."""
        return bool(self.void_steps or self.recalls)


def breathing_space_effect(steps_taken: tuple[StepTaken, ...], hold: Hold) -> BreathingSpaceEffect:
    """Which steps a (possibly late) breathing space voids and which referrals it recalls.

    Void: every step still counting that was taken on or after the moratorium start and, when the end is known,
    on or before its last day. Recall: every open referral, including those made before the start.
    """
    if not hold.is_breathing_space:
        raise HoldError("only a breathing space voids steps already taken")
    last_day = hold.last_day()
    void = tuple(
        step
        for step in steps_taken
        if not step.void and step.taken_on >= hold.start and (last_day is None or step.taken_on <= last_day)
    )
    recalls = tuple(step for step in steps_taken if step.is_open_referral)
    return BreathingSpaceEffect(
        void_steps=void, recalls=recalls, costs_reversed=sum(step.costs for step in void)
    )


def apply_breathing_space(steps_taken: tuple[StepTaken, ...], hold: Hold, on: date) -> tuple[StepTaken, ...]:
    """The case's steps after the breathing space is applied on `on`: void ones marked, referrals recalled."""
    if not hold.is_breathing_space:
        raise HoldError("only a breathing space voids steps already taken")
    last_day = hold.last_day()
    updated: list[StepTaken] = []
    for step in steps_taken:
        covered = step.taken_on >= hold.start and (last_day is None or step.taken_on <= last_day)
        if step.is_open_referral:
            step = step.recalled(on)
        if covered and not step.void:
            step = step.voided()
        updated.append(step)
    return tuple(updated)
