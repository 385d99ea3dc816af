"""Taking a line off a schedule leaves a record: who took it off, when and why (Derby App.1 §11, Sundry 8.7)."""

from __future__ import annotations

from services.writeoff.domain import LineTakenOff, Refusal, RefusalCode, take_line_off

from .write_off_lines import SIGNED_AT, a_line, a_schedule


def test_a_line_taken_off_is_recorded_with_who_when_and_why() -> None:
    schedule = a_schedule(a_line(1, "400"), a_line(2, "250"))

    removal = take_line_off(
        schedule,
        "WO-00002",
        "  customer traced to a new address  ",
        "Write-off Officer (derby.officer)",
        SIGNED_AT,
    )

    assert removal == LineTakenOff(
        schedule_id="SCH-1",
        request_id="WO-00002",
        amount_pence=250_00,
        reason="customer traced to a new address",
        taken_off_by="Write-off Officer (derby.officer)",
        taken_off_at=SIGNED_AT,
    )


def test_a_line_cannot_be_taken_off_without_a_reason() -> None:
    schedule = a_schedule(a_line(1, "400"), a_line(2, "250"))

    refused = take_line_off(schedule, "WO-00002", "   ", "Write-off Officer (derby.officer)", SIGNED_AT)

    assert isinstance(refused, Refusal)
    assert refused.code is RefusalCode.REMOVAL_REASON_MISSING
    assert "give the reason" in refused.message


def test_only_a_line_of_the_schedule_can_be_taken_off_it() -> None:
    refused = take_line_off(a_schedule(a_line(1, "400")), "WO-00009", "duplicate", "officer", SIGNED_AT)

    assert isinstance(refused, Refusal)
    assert refused.code is RefusalCode.LINE_NOT_ON_SCHEDULE


def test_the_officer_taking_the_line_off_must_be_identified() -> None:
    refused = take_line_off(a_schedule(a_line(1, "400")), "WO-00001", "duplicate", " ", SIGNED_AT)

    assert isinstance(refused, Refusal)
    assert refused.code is RefusalCode.IDENTITY_MISSING
