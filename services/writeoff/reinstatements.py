"""A payment on a written-off debt reinstates it (Derby App.1 §12): the customer stays liable after a
write-off, so the payment is applied and the unpaid remainder is referred back for enforcement. Unless the
write-off's reason means the debt can no longer lawfully be enforced (remitted, insolvency, prison served in
lieu, statute barred; issue 19): then the write-off stands, nothing goes back to recovery, and the payment is
put for an officer's consideration, billing keeping the money as a voluntary payment against the debt."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from services.writeoff.dependencies import WriteOff
from services.writeoff.domain import (
    PaymentForConsideration,
    Reinstatement,
    WrittenOffDebt,
    decide_payment_on_written_off_debt,
)
from services.writeoff.stores import WriteOffStores
from services.writeoff.stores.reinstatements import (
    RecordedConsideration,
    RecordedReinstatement,
    StandingWriteOff,
)
from shared.contracts.billing import PaymentReceivedOnWrittenOffDebt
from shared.contracts.writeoff import WriteOffReinstated
from shared.messaging.inbox_router import Handling, InboxRouter

router = InboxRouter[WriteOffStores, WriteOff]()


class NoWriteOffToReinstate(LookupError):
    """Billing reported a payment on a debt this service holds no standing write-off for."""


@router.handles(PaymentReceivedOnWrittenOffDebt)
async def payment_on_written_off_debt(
    payment: PaymentReceivedOnWrittenOffDebt, handling: Handling[WriteOffStores, WriteOff]
) -> None:
    """Reverse the write-off, apply the payment, and refer any unpaid remainder back for enforcement; or, for a
    debt that can no longer lawfully be enforced, keep the payment for an officer's consideration."""
    store = handling.stores.reinstatements
    if await store.payment_already_applied(payment.payment_id):
        return  # the same payment reported twice under different event ids
    found = await store.standing_write_off(payment.debt_id)
    if found is None:
        # Dead-lettered with this reason after the retries: an officer must look at it.
        raise NoWriteOffToReinstate(f"debt {payment.debt_id} has no write-off standing to reinstate")
    policy = handling.service.policies.get(found.council)
    outcome = decide_payment_on_written_off_debt(
        written_off_debt(found),
        payment.amount_pence,
        payment.received_on,
        policy.reinstatement_referral_role if policy else None,
    )
    if isinstance(outcome, PaymentForConsideration):
        # Nothing is published: billing already holds the money against the debt and keeps it there (no
        # reinstatement is asked of it), and recovery must not hear of a debt it may not enforce.
        await store.put_for_consideration(
            RecordedConsideration(
                payment_id=payment.payment_id,
                write_off_id=found.write_off_id,
                debt_id=payment.debt_id,
                council=found.council,
                reason_code=outcome.reason_code,
                payment_pence=payment.amount_pence,
                received_on=payment.received_on,
                referred_to_role=outcome.referred_to_role,
            )
        )
        return
    await reinstate(handling, found, payment.payment_id, outcome, payment.received_on)


def written_off_debt(found: StandingWriteOff) -> WrittenOffDebt:
    """A stored write-off as the domain sees it."""
    return WrittenOffDebt(
        debt_id=str(found.debt_id),
        customer_id=found.customer_id,
        council=found.council,
        income_code=found.income_code,
        written_off_pence=found.amount_pence,
        written_off_on=found.written_off_on,
        schedule_id=str(found.schedule_id),
        reason_code=found.reason_code,
    )


async def reinstate(
    handling: Handling[WriteOffStores, WriteOff],
    found: StandingWriteOff,
    payment_id: UUID,
    reinstatement: Reinstatement,
    reinstated_on: date,
) -> None:
    """Record the reinstatement of `found` by the payment and queue `writeoff.write_off.reinstated` (billing
    reverses the write-off and applies the payment; recovery takes back any remainder referred)."""
    await handling.stores.reinstatements.record(
        RecordedReinstatement(
            payment_id=payment_id,
            write_off_id=found.write_off_id,
            debt_id=found.debt_id,
            payment_pence=reinstatement.payment_pence,
            reinstated_pence=reinstatement.written_off_pence,
            unpaid_remainder_pence=reinstatement.remainder_pence,
            surplus_pence=reinstatement.excess_pence,
            received_on=reinstatement.received_on,
        )
    )
    await handling.outbox.add(
        WriteOffReinstated(
            write_off_id=found.write_off_id,
            debt_id=found.debt_id,
            payment_id=payment_id,
            payment_pence=reinstatement.payment_pence,
            reinstated_pence=reinstatement.written_off_pence,
            unpaid_remainder_pence=reinstatement.remainder_pence,
            surplus_pence=reinstatement.excess_pence,
            refer_for_enforcement=reinstatement.refer_for_enforcement,
            reinstated_on=reinstated_on,
        )
    )
