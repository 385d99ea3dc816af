"""Recovery hearing a write-off approved (Derby App.1 §7; issue 19), with in-memory stores: for less than the case
owes, the case stays open for the remainder (a formal insolvency's remainder, accrued after the order, waits in
the officers' decision tray with what was written off and what remains as why; any other goes on where its
timetable stands); in full, the case closes. Billing's restated balance heard first leaves the same remainder;
the same approval heard twice is applied once."""

from __future__ import annotations

import dataclasses
from datetime import date
from uuid import UUID, uuid4

from services.recovery.cases import balances_changed, open_recovery_case, write_offs_approved
from shared.contracts.billing import BalanceChanged, BalancesChanged, DebtRaised
from shared.contracts.envelope import Contract, Envelope
from shared.contracts.recovery import CaseClosed
from shared.contracts.writeoff import WriteOffApproved
from tests.unit.recovery.in_memory_stores import InMemoryRecovery
from tests.unit.recovery.test_recovery_handlers_in_memory import a_sundry_invoice, derby_on

APPROVED_ON = date(2026, 9, 1)
OWED = 250_00
AT_THE_ORDER = 200_00


def _envelope(message: Contract) -> Envelope:
    return Envelope.wrap(message, producer="test")


async def _awaiting_the_write_off(recovery: InMemoryRecovery) -> tuple[DebtRaised, UUID]:
    debt = a_sundry_invoice()
    await open_recovery_case(debt, recovery.handling())
    row = recovery.case_of(debt.debt_id)
    recovery.cases.by_id[row.case_id] = dataclasses.replace(
        row, status="write_off_requested", next_step_name=None, next_step_eligible_from=None
    )
    return debt, row.case_id


def _approval(
    debt: DebtRaised, amount: int, reason_code: str, request_id: UUID | None = None
) -> WriteOffApproved:
    return WriteOffApproved(
        write_off_id=uuid4(),
        request_id=request_id or uuid4(),
        schedule_id=uuid4(),
        debt_id=debt.debt_id,
        amount_pence=amount,
        income_code="SUN01",
        reason_code=reason_code,
        approved_by="s151 officer",
        approved_on=APPROVED_ON,
    )


async def _approved(recovery: InMemoryRecovery, *approvals: WriteOffApproved) -> None:
    await write_offs_approved([(a, _envelope(a)) for a in approvals], recovery.handling())


def _assert_waits_for_the_officer(recovery: InMemoryRecovery, case_id: UUID) -> None:
    row = recovery.cases.by_id[case_id]
    assert (row.status, row.balance_pence) == ("open", OWED - AT_THE_ORDER)
    assert row.awaiting_decision_since == APPROVED_ON
    assert (row.next_step_name, row.next_step_eligible_from) == (None, None)
    assert recovery.cases.awaiting_decision_why[case_id] == (
        "insolvency write-off of £200.00 approved (the debt owed up to the order); £50.00 remains, owed after the "
        "order and not released by it: decide how it is pursued"
    )
    assert recovery.published.of_type(CaseClosed) == []
    assert [e.entry for e in recovery.record.entries if e.case_id == case_id][-1] == "written_off_in_part"


async def test_an_insolvency_write_off_up_to_the_order_leaves_the_rest_for_an_officers_decision() -> None:
    recovery = derby_on(APPROVED_ON)
    debt, case_id = await _awaiting_the_write_off(recovery)
    await _approved(recovery, _approval(debt, AT_THE_ORDER, "formal_insolvency"))
    _assert_waits_for_the_officer(recovery, case_id)
    assert recovery.cases.by_id[case_id].billing_write_off_ahead_pence == -AT_THE_ORDER


async def test_billings_restated_balance_heard_first_leaves_the_same_remainder() -> None:
    recovery = derby_on(APPROVED_ON)
    debt, case_id = await _awaiting_the_write_off(recovery)
    restated = BalanceChanged(
        debt_id=debt.debt_id,
        customer_ids=list(debt.customer_ids),
        debt_type=debt.debt_type,
        balance_pence=OWED - AT_THE_ORDER,
        change_pence=-AT_THE_ORDER,
        cause="write_off",
        as_of=APPROVED_ON,
    )
    statement = BalancesChanged(changes=[restated])
    await balances_changed([(statement, _envelope(statement))], recovery.handling())
    await _approved(recovery, _approval(debt, AT_THE_ORDER, "formal_insolvency"))
    _assert_waits_for_the_officer(recovery, case_id)
    assert recovery.cases.by_id[case_id].billing_write_off_ahead_pence == 0


async def test_the_same_approval_heard_twice_is_applied_once() -> None:
    recovery = derby_on(APPROVED_ON)
    debt, case_id = await _awaiting_the_write_off(recovery)
    approval = _approval(debt, AT_THE_ORDER, "formal_insolvency")
    await _approved(recovery, approval, approval)
    await _approved(recovery, approval)
    _assert_waits_for_the_officer(recovery, case_id)


async def test_another_write_off_for_less_than_is_owed_goes_on_where_the_timetable_stands() -> None:
    recovery = derby_on(APPROVED_ON)
    debt, case_id = await _awaiting_the_write_off(recovery)
    await _approved(recovery, _approval(debt, 100_00, "uneconomic_to_pursue"))
    row = recovery.cases.by_id[case_id]
    assert (row.status, row.balance_pence, row.awaiting_decision_since) == ("open", 150_00, None)
    assert (
        row.next_step_name == "first_reminder"
    )  # no step yet taken on this invoice: its timetable from the start
    assert recovery.published.of_type(CaseClosed) == []


async def test_a_write_off_of_everything_owed_closes_the_case() -> None:
    recovery = derby_on(APPROVED_ON)
    debt, case_id = await _awaiting_the_write_off(recovery)
    await _approved(recovery, _approval(debt, OWED, "formal_insolvency"))
    assert recovery.cases.by_id[case_id].status == "closed"
    [closed] = recovery.published.of_type(CaseClosed)
    assert closed.reason == "written off (formal_insolvency)"  # type: ignore[attr-defined]
