"""An agent holding a debt is told of every change that moved its balance, and of payments the council itself
received; the agent's own collections are kept for reconciliation, never amended back to it; a placement not
sent yet simply carries the new balance. In-memory stores only."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from services.agents_gateway.amendments import amend_placed_balances, note_payments
from services.agents_gateway.domain.records import Amendment, AmendmentReason
from shared.contracts.billing import BalanceChanged, BalancesChanged, PaymentAllocated, PaymentAllocation
from shared.contracts.envelope import Envelope
from tests.unit.agents_gateway.in_memory_stores import InMemoryGateway
from tests.unit.agents_gateway.test_holds_and_recalls_handlers import placed


def balance_changed(
    debt_id, balance: int, change: int, cause: str = "costs"
) -> tuple[BalancesChanged, Envelope]:
    """One balance change as billing states it."""
    change_event = BalanceChanged(
        debt_id=debt_id,
        customer_ids=[uuid4()],
        debt_type="council_tax",
        balance_pence=balance,
        change_pence=change,
        cause=cause,
        as_of=date(2026, 6, 3),
    )
    statement = BalancesChanged(changes=[change_event])
    return statement, Envelope.wrap(statement, producer="billing")


def payment(debt_id, amount: int, channel: str) -> list[tuple[PaymentAllocated, Envelope]]:
    """One payment as a batch of one."""
    paid = PaymentAllocated(
        payment_id=uuid4(),
        customer_id=None,
        channel=channel,
        channel_reference=f"BRISTOW:PAY-{amount}" if channel == "agent" else "DD-1",
        amount_pence=amount,
        received_on=date(2026, 6, 4),
        allocations=[PaymentAllocation(debt_id=debt_id, amount_pence=amount)],
    )
    return [(paid, Envelope.wrap(paid, producer="billing"))]


async def test_costs_added_to_a_placed_debt_are_sent_to_its_agent_as_an_amendment() -> None:
    gateway = InMemoryGateway()
    with_agent = placed(gateway)
    waiting = placed(gateway, status="awaiting_file")

    await amend_placed_balances(
        [
            balance_changed(with_agent.debt_id, 560_00, 60_00),
            balance_changed(waiting.debt_id, 700_00, 200_00),
        ],
        gateway.handling,
    )

    assert gateway.placements.rows[with_agent.referral_id].balance_pence == 560_00
    assert gateway.placements.rows[waiting.referral_id].balance_pence == 700_00
    [amendment] = gateway.instructions.queued
    assert amendment.referral_id == with_agent.referral_id and not amendment.urgent
    assert isinstance(amendment.record, Amendment)
    assert amendment.record.reason is AmendmentReason.BALANCE_CHANGE
    assert (amendment.record.change_pence, amendment.record.new_balance_pence) == (60_00, 560_00)


async def test_a_payment_the_council_received_is_an_amendment_lowering_the_balance() -> None:
    gateway = InMemoryGateway()
    placement = placed(gateway)

    await note_payments(payment(placement.debt_id, 100_00, "direct_debit"), gateway.handling)

    assert gateway.placements.rows[placement.referral_id].balance_pence == 400_00
    [amendment] = gateway.instructions.queued
    assert isinstance(amendment.record, Amendment)
    assert amendment.record.reason is AmendmentReason.PAYMENT_RECEIVED_BY_COUNCIL
    assert (amendment.record.change_pence, amendment.record.new_balance_pence) == (-100_00, 400_00)
    assert gateway.agent_returns.posted == {}


async def test_the_agents_own_collection_is_kept_for_reconciliation_and_not_amended_back() -> None:
    gateway = InMemoryGateway()
    placement = placed(gateway)

    await note_payments(payment(placement.debt_id, 100_00, "agent"), gateway.handling)

    assert gateway.placements.rows[placement.referral_id].balance_pence == 400_00
    assert gateway.instructions.queued == []
    [posted] = gateway.agent_returns.posted.values()
    assert posted.channel_reference == "BRISTOW:PAY-10000" and posted.amount_pence == 100_00


async def test_a_batch_of_payments_on_one_placed_debt_lowers_its_balance_by_each_in_turn() -> None:
    gateway = InMemoryGateway()
    placement = placed(gateway)

    await note_payments(
        payment(placement.debt_id, 100_00, "card") + payment(placement.debt_id, 50_00, "agent"),
        gateway.handling,
    )

    assert gateway.placements.rows[placement.referral_id].balance_pence == 350_00
    [amendment] = gateway.instructions.queued  # the agent's own £50 is not amended back to it
    assert isinstance(amendment.record, Amendment)
    assert (amendment.record.change_pence, amendment.record.new_balance_pence) == (-100_00, 400_00)
    assert len(gateway.agent_returns.posted) == 1
