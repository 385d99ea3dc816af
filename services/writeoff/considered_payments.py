"""An officer decides a payment put for consideration (issue 19): accept it against the written-off debt,
reinstate the debt, or refund it (`domain/considered_payments.py`). In one transaction the decision is recorded
with who made it and why, and `writeoff.payment_for_consideration.decided` is queued for billing (which holds the
money meanwhile); a reinstatement also records the reinstatement and queues `writeoff.write_off.reinstated`, as a
payment on any other written-off debt would."""

from __future__ import annotations

from uuid import UUID

from services.writeoff.approvers import Person
from services.writeoff.dependencies import WriteOff
from services.writeoff.domain.considered_payments import (
    ConsiderationOutcome,
    ConsideredPayment,
    NotConsidered,
    PaymentHeld,
    consider_payment,
)
from services.writeoff.reinstatements import reinstate, written_off_debt
from services.writeoff.stores import WriteOffStores
from services.writeoff.stores.reinstatements import HeldPayment
from shared.contracts.writeoff import PaymentForConsiderationDecided
from shared.messaging.inbox_router import Handling


def payment_held(held: HeldPayment) -> PaymentHeld:
    """The stored payment and write-off as the domain sees them."""
    payment = held.consideration
    return PaymentHeld(
        payment_pence=payment.payment_pence,
        received_on=payment.received_on,
        council=payment.council,
        written_off=written_off_debt(held.write_off),
        decided=held.considered,
    )


async def decide(
    handling: Handling[WriteOffStores, WriteOff],
    payment_id: UUID,
    officer: Person,
    outcome: ConsiderationOutcome,
    reason: str,
) -> ConsideredPayment | NotConsidered | None:
    """Decide a held payment (None when there is no such payment put for consideration)."""
    store, service = handling.stores.reinstatements, handling.service
    held = await store.held_payment(payment_id)
    if held is None:
        return None
    policy = service.policies.get(held.consideration.council)
    decision = consider_payment(
        payment_held(held),
        outcome,
        reason,
        officer.roles,
        officer.council,
        policy.reinstatement_referral_role if policy else None,
    )
    if isinstance(decision, NotConsidered):
        return decision
    payment, today = held.consideration, service.clock.today()
    await store.considered(
        payment_id, str(outcome), decision.reason, officer.person_id, officer.recorded_as, service.clock.now()
    )
    await handling.outbox.add(
        PaymentForConsiderationDecided(
            payment_id=payment_id,
            write_off_id=payment.write_off_id,
            debt_id=payment.debt_id,
            payment_pence=payment.payment_pence,
            outcome=str(outcome),
            reason=decision.reason,
            decided_by=officer.recorded_as,
            decided_on=today,
        )
    )
    if decision.reinstatement is not None:
        await reinstate(handling, held.write_off, payment_id, decision.reinstatement, today)
    return decision
