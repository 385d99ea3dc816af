"""A payment on a written-off debt reinstates it (Derby App.1 §12): the customer stays liable after a
write-off, so the payment is applied and the unpaid remainder is referred back for enforcement."""

from __future__ import annotations

from services.writeoff.dependencies import WriteOff
from services.writeoff.domain import WrittenOffDebt, reinstate_on_payment
from services.writeoff.stores import WriteOffStores
from services.writeoff.stores.reinstatements import RecordedReinstatement
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
    """Reverse the write-off, apply the payment, and refer any unpaid remainder back for enforcement."""
    store = handling.stores.reinstatements
    if await store.payment_already_applied(payment.payment_id):
        return  # the same payment reported twice under different event ids
    found = await store.standing_write_off(payment.debt_id)
    if found is None:
        # Dead-lettered with this reason after the retries: an officer must look at it.
        raise NoWriteOffToReinstate(f"debt {payment.debt_id} has no write-off standing to reinstate")
    policy = handling.service.policies.get(found.council)
    reinstatement = reinstate_on_payment(
        WrittenOffDebt(
            debt_id=str(found.debt_id),
            customer_id=found.customer_id,
            council=found.council,
            income_code=found.income_code,
            written_off_pence=found.amount_pence,
            written_off_on=found.written_off_on,
            schedule_id=str(found.schedule_id),
        ),
        payment.amount_pence,
        payment.received_on,
        policy.reinstatement_referral_role if policy else None,
    )
    await store.record(
        RecordedReinstatement(
            payment_id=payment.payment_id,
            write_off_id=found.write_off_id,
            debt_id=payment.debt_id,
            payment_pence=payment.amount_pence,
            reinstated_pence=reinstatement.written_off_pence,
            unpaid_remainder_pence=reinstatement.remainder_pence,
            surplus_pence=reinstatement.excess_pence,
            received_on=payment.received_on,
        )
    )
    await handling.outbox.add(
        WriteOffReinstated(
            write_off_id=found.write_off_id,
            debt_id=payment.debt_id,
            payment_id=payment.payment_id,
            payment_pence=payment.amount_pence,
            reinstated_pence=reinstatement.written_off_pence,
            unpaid_remainder_pence=reinstatement.remainder_pence,
            surplus_pence=reinstatement.excess_pence,
            refer_for_enforcement=reinstatement.refer_for_enforcement,
            reinstated_on=payment.received_on,
        )
    )
