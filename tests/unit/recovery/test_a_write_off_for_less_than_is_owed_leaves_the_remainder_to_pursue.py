"""Derby App.1 §7 (DOMAIN.md 9; issue 19): a formal insolvency write-off reaches only the debt owed up to the date
of the order; what accrued after it is not released and is still pursued. An approved write-off for less than the
case owes leaves the case open for the remainder (an insolvency's remainder, or any remainder of a write-off an
officer decided from the tray, waits for an officer's decision, with what was written off and what remains as why);
a full write-off closes it. Billing's restatement of the balance and the approval may reach recovery in either
order: the remainder is the same."""

from __future__ import annotations

import pytest

from services.recovery.domain.exhausted_timetable import (
    INSOLVENCY_WRITE_OFF_REASONS,
    WriteOffApplied,
    write_off_applied,
)


def test_a_write_off_of_everything_owed_closes_the_case():
    applied = write_off_applied(920_00, 920_00, 0, "uneconomic_to_pursue")
    assert applied.closes_the_case
    assert (applied.written_off, applied.remainder, applied.awaiting_decision_why) == (920_00, 0, None)


def test_a_write_off_approved_for_more_than_is_owed_now_writes_off_only_what_is_owed_and_closes_the_case():
    applied = write_off_applied(920_00, 700_00, 0, "deceased_no_estate")
    assert applied.closes_the_case and applied.written_off == 700_00


def test_a_write_off_for_less_than_is_owed_leaves_the_case_open_for_the_remainder():
    applied = write_off_applied(600_00, 920_00, 0, "uneconomic_to_pursue")
    assert not applied.closes_the_case
    assert (applied.written_off, applied.remainder) == (600_00, 320_00)
    assert applied.awaiting_decision_why is None  # recovery goes on where its timetable stands


@pytest.mark.parametrize("reason", sorted(INSOLVENCY_WRITE_OFF_REASONS))
def test_the_debt_accrued_after_an_insolvency_order_waits_for_an_officers_decision(reason: str):
    applied = write_off_applied(600_00, 920_00, 0, reason)
    assert not applied.closes_the_case and applied.remainder == 320_00
    assert applied.awaiting_decision_why == (
        "insolvency write-off of £600.00 approved (the debt owed up to the order); £320.00 remains, owed after "
        "the order and not released by it: decide how it is pursued"
    )


def test_an_insolvency_write_off_of_everything_owed_closes_the_case():
    applied = write_off_applied(920_00, 920_00, 0, "formal_insolvency")
    assert applied.closes_the_case and applied.awaiting_decision_why is None


def test_the_remainder_of_a_write_off_decided_from_the_tray_goes_back_to_the_officer():
    applied = write_off_applied(600_00, 920_00, 0, "uneconomic_to_pursue", from_the_tray=True)
    assert applied.awaiting_decision_why == (
        "write-off of £600.00 approved (uneconomic_to_pursue); £320.00 remains: decide how it is pursued"
    )


def test_the_remainder_is_the_same_whether_billings_restated_balance_or_the_approval_is_heard_first():
    # Approval first: recovery still holds the balance before the write-off.
    approval_first = write_off_applied(600_00, 920_00, 0, "formal_insolvency")
    # Billing first: its restatement already took the £600.00 off (and said so: 600_00 ahead of the approval).
    billing_first = write_off_applied(600_00, 320_00, 600_00, "formal_insolvency")
    assert approval_first.remainder == billing_first.remainder == 320_00
    assert approval_first.written_off == billing_first.written_off == 600_00
    assert billing_first.billing_ahead == 0  # matched
    assert approval_first.billing_ahead == -600_00  # billing's restatement, when it comes, matches it


def test_billings_restatement_heard_first_of_a_full_write_off_still_closes_the_case():
    applied = write_off_applied(920_00, 0, 920_00, "formal_insolvency")
    assert applied.closes_the_case and applied.billing_ahead == 0


def test_billing_writing_off_less_than_approved_because_less_was_outstanding_leaves_nothing_owed():
    # A payment reached billing before it posted: it wrote off the £500.00 outstanding, not the £600.00 approved.
    applied = write_off_applied(600_00, 0, 500_00, "uneconomic_to_pursue")
    assert applied == WriteOffApplied(written_off=500_00, remainder=0, billing_ahead=0)
