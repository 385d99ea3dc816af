"""Balance changes on placed debts: every open placement carries the latest balance; an agent holding the debt is
sent an amendment for each change that moved it, except payments (told by their own amendment)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

from services.agents_gateway.domain.amendments import placed_balance_amendments, placed_payments
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
    balance_pence: int = 500_00
    payments_ahead_pence: int = 0


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


@dataclass(frozen=True)
class Allocation:
    debt_id: UUID
    amount_pence: int


@dataclass(frozen=True)
class Payment:
    channel: str
    received_on: date
    allocations: tuple[Allocation, ...]


def test_a_payment_the_council_received_on_a_held_debt_is_told_to_the_agent_with_the_new_balance():
    debt = uuid4()
    held = Placement(uuid4(), "BRISTOW", "CT-1", "acknowledged", balance_pence=500_00)
    placed = placed_payments([Payment("card", date(2026, 6, 5), (Allocation(debt, 120_00),))], {debt: [held]})
    assert placed.balances == {held.referral_id: 380_00}
    assert placed.payments_ahead == {held.referral_id: 120_00}
    [(agent, referral, amendment)] = placed.amendments
    assert (agent, referral) == ("BRISTOW", held.referral_id)
    assert amendment.reason is AmendmentReason.PAYMENT_RECEIVED_BY_COUNCIL
    assert (amendment.change_pence, amendment.new_balance_pence, amendment.amended_on) == (
        -120_00,
        380_00,
        date(2026, 6, 5),
    )


def test_the_agents_own_collection_and_a_placement_not_yet_sent_lower_the_balance_without_an_amendment():
    debt, waiting_debt = uuid4(), uuid4()
    held = Placement(uuid4(), "BRISTOW", "CT-1", "sent", balance_pence=500_00)
    waiting = Placement(uuid4(), "BRISTOW", "CT-2", "awaiting_file", balance_pence=200_00)
    placed = placed_payments(
        [
            Payment("agent", date(2026, 6, 5), (Allocation(debt, 100_00),)),
            Payment("direct_debit", date(2026, 6, 5), (Allocation(waiting_debt, 50_00), Allocation(debt, 0))),
        ],
        {debt: [held], waiting_debt: [waiting]},
    )
    assert placed.balances == {held.referral_id: 400_00, waiting.referral_id: 150_00}
    assert placed.amendments == []


def test_a_payment_and_billings_restatement_lower_the_balance_once_whichever_comes_first():
    debt = uuid4()
    payment = Payment("card", date(2026, 6, 5), (Allocation(debt, 100_00),))
    restated = Change(debt, 460_00, -100_00, "payment", date(2026, 6, 5))
    start = Placement(uuid4(), "BRISTOW", "CT-1", "acknowledged", balance_pence=560_00)

    # The payment first: the balance falls, one payment ahead; billing's restatement then agrees.
    after_payment = placed_payments([payment], {debt: [start]})
    assert after_payment.balances[start.referral_id] == 460_00
    then = Placement(start.referral_id, "BRISTOW", "CT-1", "acknowledged", 460_00, 100_00)
    restated_after = placed_balance_amendments([restated], {debt: [then]})
    assert (restated_after.balances[start.referral_id], restated_after.payments_ahead[start.referral_id]) == (
        460_00,
        0,
    )

    # Billing's restatement first: the balance is billing's; the payment then takes nothing more off, and the
    # agent is told the true balance.
    restated_first = placed_balance_amendments([restated], {debt: [start]})
    assert restated_first.balances[start.referral_id] == 460_00
    assert restated_first.payments_ahead[start.referral_id] == -100_00
    then = Placement(start.referral_id, "BRISTOW", "CT-1", "acknowledged", 460_00, -100_00)
    payment_after = placed_payments([payment], {debt: [then]})
    assert (payment_after.balances[start.referral_id], payment_after.payments_ahead[start.referral_id]) == (
        460_00,
        0,
    )
    [(_, _, amendment)] = payment_after.amendments
    assert (amendment.change_pence, amendment.new_balance_pence) == (-100_00, 460_00)


def test_costs_stated_while_a_payment_is_still_ahead_of_billing_keep_the_payment_off_the_balance():
    debt = uuid4()
    paid = Placement(
        uuid4(), "BRISTOW", "CT-1", "acknowledged", balance_pence=400_00, payments_ahead_pence=100_00
    )
    # Billing added £60 costs to the £500 it knew of before our £100 payment reached it.
    placed = placed_balance_amendments(
        [Change(debt, 560_00, 60_00, "costs", date(2026, 6, 6))], {debt: [paid]}
    )
    assert placed.balances == {paid.referral_id: 460_00}
    [(_, _, amendment)] = placed.amendments
    assert (amendment.change_pence, amendment.new_balance_pence) == (60_00, 460_00)
