"""Sundry 8.20: once a case is with an agent, payments on it go to the agent. The council's own money goes to the
customer's other debts first, and whatever it puts on a placed debt is reported for the agent."""

from __future__ import annotations

from services.billing.domain.allocation import Allocation, AllocationBasis
from services.billing.domain.placed_debts import paid_to_placed_debts, reach_of_council_payment


def test_a_council_payment_not_naming_the_placed_debt_reaches_it_only_after_the_other_debts():
    reach = reach_of_council_payment("card", ["rent", "placed", "sundry"], named=set(), placed={"placed"})
    assert (reach.first, reach.then) == (["rent", "sundry"], ["placed"])


def test_a_council_payment_naming_the_placed_debt_is_applied_to_it():
    reach = reach_of_council_payment("bank_transfer", ["rent", "placed"], named={"placed"}, placed={"placed"})
    assert (reach.first, reach.then) == (["rent", "placed"], [])


def test_the_agents_own_collection_reaches_its_debt_and_is_not_reported_back_to_it():
    assert reach_of_council_payment("agent", ["placed"], named={"placed"}, placed={"placed"}).first == [
        "placed"
    ]
    paid = [Allocation("placed", 1, 50_00, AllocationBasis.CUSTOMER_DIRECTION)]
    assert paid_to_placed_debts("agent", paid, {"placed"}) == {}


def test_what_council_money_put_on_placed_debts_is_reported_per_debt():
    paid = [
        Allocation("placed", 1, 30_00, AllocationBasis.DEBT_HIERARCHY),
        Allocation("placed", 2, 20_00, AllocationBasis.DEBT_HIERARCHY),
        Allocation("rent", 1, 10_00, AllocationBasis.DEBT_HIERARCHY),
    ]
    assert paid_to_placed_debts("cash", paid, {"placed"}) == {"placed": 50_00}
