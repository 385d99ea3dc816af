"""A case stands at the balance billing last stated for its debt; each statement is a line on its record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

from services.recovery.domain.balances import case_balances


@dataclass(frozen=True)
class Statement:
    debt_id: UUID
    balance_pence: int
    change_pence: int
    cause: str
    as_of: date


def test_changes_of_one_debt_apply_in_order_the_last_standing_with_a_record_line_each():
    debt, other, uncased = uuid4(), uuid4(), uuid4()
    case, other_case = uuid4(), uuid4()
    stated = case_balances(
        [
            Statement(debt, 200_00, -50_00, "payment", date(2026, 5, 2)),
            Statement(other, 95_00, 5_00, "costs", date(2026, 5, 2)),
            Statement(uncased, 1_00, -1_00, "payment", date(2026, 5, 2)),
            Statement(debt, 215_00, 15_00, "costs", date(2026, 5, 3)),
        ],
        {debt: case, other: other_case},
    )
    assert stated.balances == {case: 215_00, other_case: 95_00}
    assert stated.record == [
        (case, date(2026, 5, 2), "balance", "balance £200.00 after payment (-£50.00)"),
        (other_case, date(2026, 5, 2), "balance", "balance £95.00 after costs (+£5.00)"),
        (case, date(2026, 5, 3), "balance", "balance £215.00 after costs (+£15.00)"),
    ]


def test_debts_without_a_case_change_nothing():
    stated = case_balances([Statement(uuid4(), 1_00, 1_00, "costs", date(2026, 5, 2))], {})
    assert stated.balances == {}
    assert stated.record == []
