"""Taking a line off a write-off schedule before it is decided, and the record that says who did it, when and why.

The record of every write-off is kept with its evidence (Derby App.1 §11), and the case records are only ever
added to (Sundry 8.7): a line taken off a schedule changes what an approver is asked to sign, so the removal is
recorded with the officer who made it (the signed-in person, never a name typed in), the time and the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .refusals import Refusal, RefusalCode
from .schedule import WriteOffSchedule


@dataclass(frozen=True, slots=True)
class LineTakenOff:
    """One line taken off one schedule: by whom (as the identity provider names them), when and why."""

    schedule_id: str
    request_id: str
    amount_pence: int
    reason: str
    taken_off_by: str
    taken_off_at: datetime


def take_line_off(
    schedule: WriteOffSchedule, request_id: str, reason: str, taken_off_by: str, at: datetime
) -> LineTakenOff | Refusal:
    """The record of taking ``request_id`` off ``schedule``, or why it cannot be taken off.

    Only a line of the schedule can be taken off it; then as `line_taken_off`.
    """
    line = schedule.line(request_id)
    if line is None:
        return not_a_line_of(schedule.schedule_id, request_id)
    return line_taken_off(schedule.schedule_id, request_id, line.amount_pence, reason, taken_off_by, at)


def not_a_line_of(schedule_id: str, request_id: str) -> Refusal:
    """Why a request that is not a line of the schedule cannot be taken off it."""
    return Refusal(
        RefusalCode.LINE_NOT_ON_SCHEDULE,
        f"request {request_id} is not a line of schedule {schedule_id}",
        request_id,
    )


def line_taken_off(
    schedule_id: str, request_id: str, amount_pence: int, reason: str, taken_off_by: str, at: datetime
) -> LineTakenOff | Refusal:
    """The record of taking a line of ``amount_pence`` off the schedule, or why it cannot be taken off.

    A reason is required: without it the schedule's history would not say why an approver was shown fewer
    lines than were scheduled. So is the officer taking it off.
    """
    if not reason.strip():
        return Refusal(
            RefusalCode.REMOVAL_REASON_MISSING,
            f"give the reason request {request_id} is taken off schedule {schedule_id}; "
            "it is kept in the schedule's history",
            request_id,
        )
    if not taken_off_by.strip():
        return Refusal(RefusalCode.IDENTITY_MISSING, "the officer taking the line off is not identified")
    return LineTakenOff(
        schedule_id=schedule_id,
        request_id=request_id,
        amount_pence=amount_pence,
        reason=reason.strip(),
        taken_off_by=taken_off_by,
        taken_off_at=at,
    )
