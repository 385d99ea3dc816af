"""Balance changes on placed debts: every open placement carries the latest balance; an agent holding the debt is
sent an amendment for each change that moved it, except payments (told by their own amendment)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

from services.agents_gateway.domain.amendments import placed_balance_amendments
from services.agents_gateway.domain.records import AmendmentReason


@dataclass(frozen=True)
class Change:
    debt_id: UUID
    balance_pence: int
    change_pence: int
    cause: str
    as_of: date


@dataclass(frozen=True)
class Placement:
    referral_id: UUID
    agent_code: str
    case_reference: str
    status: str


def test_changes_apply_in_order_the_last_balance_standing_and_an_amendment_for_each_that_moved_it():
    debt, waiting_debt = uuid4(), uuid4()
    held = Placement(uuid4(), "BRISTOW", "CT-1", "acknowledged")
    waiting = Placement(uuid4(), "BRISTOW", "CT-2", "awaiting_file")
    placed = placed_balance_amendments(
        [
            Change(debt, 560_00, 60_00, "costs", date(2026, 6, 4)),
            Change(waiting_debt, 120_00, 20_00, "costs", date(2026, 6, 4)),
            Change(debt, 460_00, -100_00, "payment", date(2026, 6, 5)),
            Change(debt, 460_00, 0, "interest", date(2026, 6, 5)),
            Change(uuid4(), 1_00, 1_00, "costs", date(2026, 6, 5)),
            Change(debt, -10_00, -470_00, "credit_note", date(2026, 6, 6)),
        ],
        {debt: [held], waiting_debt: [waiting]},
    )
    assert placed.balances == {held.referral_id: -10_00, waiting.referral_id: 120_00}
    assert [(code, referral) for code, referral, _ in placed.amendments] == [
        ("BRISTOW", held.referral_id)
    ] * 2
    costs, credit = (amendment for _, _, amendment in placed.amendments)
    assert (costs.reason, costs.change_pence, costs.new_balance_pence) == (
        AmendmentReason.BALANCE_CHANGE,
        60_00,
        560_00,
    )
    assert (credit.change_pence, credit.new_balance_pence, credit.amended_on) == (
        -470_00,
        0,
        date(2026, 6, 6),
    )
    assert credit.debt_reference == str(debt)
