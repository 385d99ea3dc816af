"""Issue 19, against the real broker and database. A formal insolvency write-off reaches only the debt owed up to
the date of the order (Derby App.1 §7): when the write-off service approves it for less than the case owes, the case
stays open for the remainder, which accrued after the order and is not released by it, and waits in the officers'
decision tray with what was written off and what remains as why; the timetable takes no step by itself. The same
whether billing's restated balance or the approval reaches recovery first. Any other write-off for less than is owed
leaves the case open on its timetable; a full write-off still closes the case. While an agent-returned case waits
in the tray, a daily run past its next step's date takes no step; the officer's decision then runs."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from shared.contracts.billing import BalanceChanged, BalancesChanged
from shared.contracts.writeoff import WriteOffApproved
from tests.council_bus import eventually, fetch_value, publish
from tests.integration.recovery.recovery_bus import case_row, heard_eventually, run_daily, steps_of
from tests.integration.recovery.test_an_insolvency_return_and_a_refused_write_off_wait_for_an_officer import (
    OWED,
    _decide,
    _returned,
    _tray_item,
)
from tests.integration.recovery.test_case_outcomes import day

OWED_AT_ORDER = 880_00  # the rest, £40.00, accrued after the order
AFTER_THE_ORDER = OWED - OWED_AT_ORDER
WHY = (
    "insolvency write-off of £880.00 approved (the debt owed up to the order); £40.00 remains, owed after the "
    "order and not released by it: decide how it is pursued"
)


def _approval(debt: Any, request: dict[str, Any], amount: int, reason_code: str) -> WriteOffApproved:
    return WriteOffApproved(
        write_off_id=uuid4(),
        request_id=request["request_id"],
        schedule_id=uuid4(),
        debt_id=debt.debt_id,
        amount_pence=amount,
        income_code="CTAX",
        reason_code=reason_code,
        approved_by="s151 officer",
        approved_on=day(150),
    )


def _written_off_by_billing(debt: Any, amount: int, balance: int) -> BalancesChanged:
    """Billing's statement of the balance after posting the write-off."""
    return BalancesChanged(
        changes=[
            BalanceChanged(
                debt_id=debt.debt_id,
                customer_ids=list(debt.customer_ids),
                debt_type=debt.debt_type,
                balance_pence=balance,
                change_pence=-amount,
                cause="write_off",
                as_of=day(150),
            )
        ]
    )


async def _insolvency_write_off_asked(heard: Any) -> tuple[Any, UUID, dict[str, Any]]:
    """An agent's bankruptcy return, and the officer's write-off of the debt owed at the order's date."""
    debt, case_id = await _returned(heard, "bankrupt", "bankruptcy order seen")
    await eventually(lambda: case_row(case_id), lambda r: r["awaiting_decision_since"] is not None)
    answer = await _decide(
        case_id,
        {
            "decision": "write_off",
            "write_off_reason": "insolvency",
            "evidence": ["bankruptcy order, Derby County Court"],
            "insolvency_order_date": day(120).isoformat(),
            "owed_at_order_date_pence": OWED_AT_ORDER,
        },
    )
    assert answer.status_code == 201, answer.text
    [request] = await heard_eventually(heard, "recovery.write_off.requested", case_id=case_id)
    return debt, case_id, request


async def _waits_for_the_officer_with_the_remainder(heard: Any, case_id: UUID) -> None:
    row = await eventually(lambda: case_row(case_id), lambda r: r["status"] == "open")
    assert row["balance_pence"] == AFTER_THE_ORDER
    assert row["awaiting_decision_since"] == day(150)
    assert (row["next_step_name"], row["next_step_eligible_from"]) == (None, None)
    item = await _tray_item(case_id, day(151))
    assert item is not None and item["why"] == WHY and item["balance_pence"] == AFTER_THE_ORDER
    assert heard.about("recovery.case.closed", case_id=case_id) == []
    entry = await fetch_value(
        "SELECT summary FROM recovery.case_record WHERE case_id = $1 AND entry = 'written_off_in_part'",
        case_id,
    )
    assert "£880.00" in entry and "£40.00 still owed" in entry


async def test_an_insolvency_write_off_up_to_the_order_leaves_the_debt_after_it_for_an_officer(
    recovery, heard
):
    debt, case_id, request = await _insolvency_write_off_asked(heard)
    await publish(_approval(debt, request, OWED_AT_ORDER, "formal_insolvency"), producer="writeoff")
    await _waits_for_the_officer_with_the_remainder(heard, case_id)
    # Billing's restatement after posting the write-off, heard later, agrees.
    await publish(_written_off_by_billing(debt, OWED_AT_ORDER, AFTER_THE_ORDER), producer="billing")
    row = await eventually(lambda: case_row(case_id), lambda r: r["billing_write_off_ahead_pence"] == 0)
    assert row["balance_pence"] == AFTER_THE_ORDER and row["status"] == "open"

    taken = await steps_of(case_id)
    await run_daily(day(290))  # past the timetable's write-off point: still the officer's decision
    assert await steps_of(case_id) == taken
    assert len(heard.about("recovery.write_off.requested", case_id=case_id)) == 1


async def test_billings_restated_balance_heard_before_the_approval_leaves_the_same_remainder(recovery, heard):
    debt, case_id, request = await _insolvency_write_off_asked(heard)
    await publish(_written_off_by_billing(debt, OWED_AT_ORDER, AFTER_THE_ORDER), producer="billing")
    await eventually(lambda: case_row(case_id), lambda r: r["balance_pence"] == AFTER_THE_ORDER)
    await publish(_approval(debt, request, OWED_AT_ORDER, "formal_insolvency"), producer="writeoff")
    await _waits_for_the_officer_with_the_remainder(heard, case_id)
    assert (await case_row(case_id))["billing_write_off_ahead_pence"] == 0


async def test_an_insolvency_write_off_of_everything_owed_still_closes_the_case(recovery, heard):
    debt, case_id = await _returned(heard, "insolvent", "")
    await eventually(lambda: case_row(case_id), lambda r: r["awaiting_decision_since"] is not None)
    answer = await _decide(
        case_id,
        {
            "decision": "write_off",
            "write_off_reason": "insolvency",
            "evidence": ["winding-up order"],
            "insolvency_order_date": day(120).isoformat(),
            "owed_at_order_date_pence": OWED,
        },
    )
    assert answer.status_code == 201, answer.text
    [request] = await heard_eventually(heard, "recovery.write_off.requested", case_id=case_id)
    await publish(_approval(debt, request, OWED, "formal_insolvency"), producer="writeoff")
    [closed] = await heard_eventually(heard, "recovery.case.closed", case_id=case_id)
    assert closed["reason"] == "written off (formal_insolvency)"
    assert (await case_row(case_id))["status"] == "closed"


async def test_another_write_off_for_less_than_is_owed_leaves_the_case_open_on_its_timetable(recovery, heard):
    debt, case_id = await _returned(heard, "Gone Away", "no forwarding address")
    [request] = await heard_eventually(heard, "recovery.write_off.requested", case_id=case_id)
    assert request["amount_pence"] == OWED
    await publish(_approval(debt, request, 600_00, "absconded_untraceable"), producer="writeoff")
    row = await eventually(lambda: case_row(case_id), lambda r: r["status"] == "open")
    assert row["balance_pence"] == OWED - 600_00
    assert row["awaiting_decision_since"] is None
    assert row["next_step_name"] == "write_off_request"  # its timetable goes on from where it stands
    assert heard.about("recovery.case.closed", case_id=case_id) == []


async def test_a_returned_case_in_the_tray_takes_no_timetable_step_until_the_officer_decides(recovery, heard):
    debt, case_id = await _returned(heard, "bankrupt", "")
    await eventually(lambda: case_row(case_id), lambda r: r["awaiting_decision_since"] == day(130))
    # A payment moves the balance: the case's position is worked out again, and while it is in the tray it has no
    # next-step date (position_of), so the daily run does not pick it up by itself.
    await publish(
        BalancesChanged(
            changes=[
                BalanceChanged(
                    debt_id=debt.debt_id,
                    customer_ids=list(debt.customer_ids),
                    debt_type=debt.debt_type,
                    balance_pence=OWED - 20_00,
                    change_pence=-20_00,
                    cause="payment",
                    as_of=day(135),
                )
            ]
        ),
        producer="billing",
    )
    row = await eventually(lambda: case_row(case_id), lambda r: r["balance_pence"] == OWED - 20_00)
    assert (row["next_step_name"], row["next_step_eligible_from"]) == (None, None)
    taken = await steps_of(case_id)

    await run_daily(day(290))  # past the next step's date
    assert await steps_of(case_id) == taken  # no step while the officer decides
    assert heard.about("recovery.write_off.requested", case_id=case_id) == []
    assert (await _tray_item(case_id, day(291))) is not None

    answer = await _decide(
        case_id,
        {
            "decision": "write_off",
            "write_off_reason": "insolvency",
            "evidence": ["bankruptcy order"],
            "insolvency_order_date": day(120).isoformat(),
            "owed_at_order_date_pence": 800_00,
        },
    )
    assert answer.status_code == 201, answer.text
    [request] = await heard_eventually(heard, "recovery.write_off.requested", case_id=case_id)
    assert (request["reason_code"], request["amount_pence"]) == ("insolvency", 800_00)
    row = await case_row(case_id)
    assert row["status"] == "write_off_requested" and row["next_step_name"] is None
    await run_daily(day(300))
    assert await steps_of(case_id) == taken
