"""A payment on a written-off debt reinstates it (Derby App.1 §12), unless it can no longer lawfully be
enforced, when it is put for an officer's consideration (issue 19): the reinstatement handler with in-memory
stores and the events it would publish collected, no broker or database."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

import pytest

from services.writeoff import reinstatements
from services.writeoff.stores.reinstatements import StandingWriteOff
from shared.contracts.billing import PaymentReceivedOnWrittenOffDebt
from shared.contracts.envelope import Envelope
from shared.contracts.writeoff import WriteOffReinstated
from shared.messaging.event_writer import CollectedEvents
from shared.messaging.inbox_router import Handling
from tests.unit.writeoff.in_memory_stores import InMemoryStores
from tests.unit.writeoff.test_write_off_requests_from_recovery import write_off_service


def written_off(
    memory: InMemoryStores, amount_pence: int, reason_code: str = "absconded_untraceable"
) -> StandingWriteOff:
    write_off = StandingWriteOff(
        write_off_id=uuid4(),
        debt_id=uuid4(),
        customer_id="customer-1",
        council="derby",
        income_code="PK100",
        amount_pence=amount_pence,
        written_off_on=date(2026, 6, 1),
        schedule_id=uuid4(),
        reason_code=reason_code,
    )
    memory.reinstatements.standing[write_off.debt_id] = write_off
    return write_off


async def pay(memory: InMemoryStores, payment: PaymentReceivedOnWrittenOffDebt) -> CollectedEvents:
    envelope = Envelope.wrap(payment, producer="billing")
    published = CollectedEvents(producer="writeoff", cause=envelope)
    await reinstatements.payment_on_written_off_debt(
        payment, Handling(memory.as_stores(), published, write_off_service(), envelope)
    )
    return published


def a_payment(debt_id: UUID, amount_pence: int) -> PaymentReceivedOnWrittenOffDebt:
    return PaymentReceivedOnWrittenOffDebt(
        payment_id=uuid4(), debt_id=debt_id, amount_pence=amount_pence, received_on=date(2026, 11, 23)
    )


async def test_a_part_payment_reinstates_the_write_off_and_refers_the_remainder_for_enforcement() -> None:
    memory = InMemoryStores()
    write_off = written_off(memory, 800_00)
    published = await pay(memory, a_payment(write_off.debt_id, 300_00))
    (reinstated,) = published.messages
    assert isinstance(reinstated, WriteOffReinstated)
    assert (reinstated.reinstated_pence, reinstated.unpaid_remainder_pence) == (800_00, 500_00)
    assert reinstated.refer_for_enforcement
    assert published.envelopes[0].causation_id == published.cause.event_id  # type: ignore[union-attr]
    assert memory.reinstatements.recorded[0].write_off_id == write_off.write_off_id


async def test_the_same_payment_reported_twice_reinstates_once() -> None:
    memory = InMemoryStores()
    write_off = written_off(memory, 800_00)
    payment = a_payment(write_off.debt_id, 300_00)
    await pay(memory, payment)
    assert (await pay(memory, payment)).messages == []
    assert len(memory.reinstatements.recorded) == 1


async def test_a_payment_on_a_debt_with_no_standing_write_off_is_refused_with_the_reason() -> None:
    memory = InMemoryStores()
    with pytest.raises(reinstatements.NoWriteOffToReinstate, match="no write-off standing to reinstate"):
        await pay(memory, a_payment(uuid4(), 100_00))


async def test_a_payment_on_a_statute_barred_debt_goes_to_an_officer_not_back_to_enforcement() -> None:
    memory = InMemoryStores()
    write_off = written_off(memory, 800_00, reason_code="statute_barred")
    payment = a_payment(write_off.debt_id, 300_00)

    published = await pay(memory, payment)

    assert published.messages == []  # no reinstatement: billing keeps the money, recovery hears nothing
    (considered,) = memory.reinstatements.for_consideration
    assert (considered.payment_id, considered.write_off_id) == (payment.payment_id, write_off.write_off_id)
    assert (considered.reason_code, considered.payment_pence) == ("statute_barred", 300_00)
    assert considered.referred_to_role == "head_of_business_support_and_debt_management"
    assert memory.reinstatements.recorded == []
    assert (await pay(memory, payment)).messages == []  # reported again: still one
    assert len(memory.reinstatements.for_consideration) == 1
