"""A payment on a written-off debt reinstates it (Derby App.1 §12): the customer stays liable after a
write-off, so the payment is applied and the unpaid remainder is referred back for enforcement."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.writeoff.domain import WrittenOffDebt, reinstate_on_payment
from services.writeoff.service import policies, runtime
from shared.contracts.billing import PaymentReceivedOnWrittenOffDebt
from shared.contracts.envelope import Envelope
from shared.contracts.writeoff import WriteOffReinstated


class NoWriteOffToReinstate(LookupError):
    """Billing reported a payment on a debt this service holds no standing write-off for."""


_STANDING_WRITE_OFF = text(
    """
    SELECT write_off_id, debt_id, customer_id, council, income_code, amount_pence, written_off_on, schedule_id
    FROM writeoff.write_off
    WHERE debt_id = :debt_id AND reinstated_pence = 0
    ORDER BY written_off_on DESC, write_off_id
    LIMIT 1 FOR UPDATE
    """
)


@runtime.inbox.handles(PaymentReceivedOnWrittenOffDebt)
async def payment_on_written_off_debt(
    session: AsyncSession, payment: PaymentReceivedOnWrittenOffDebt, envelope: Envelope
) -> None:
    """Reverse the write-off, apply the payment, and refer any unpaid remainder back for enforcement."""
    already = await session.execute(
        text("SELECT 1 FROM writeoff.reinstatement WHERE payment_id = :payment_id"),
        {"payment_id": payment.payment_id},
    )
    if already.first() is not None:
        return  # the same payment reported twice under different event ids
    found = (await session.execute(_STANDING_WRITE_OFF, {"debt_id": payment.debt_id})).first()
    if found is None:
        # Dead-lettered with this reason after the retries: an officer must look at it.
        raise NoWriteOffToReinstate(f"debt {payment.debt_id} has no write-off standing to reinstate")
    written_off = WrittenOffDebt(
        debt_id=str(found.debt_id),
        customer_id=found.customer_id,
        council=found.council,
        income_code=found.income_code,
        written_off_pence=found.amount_pence,
        written_off_on=found.written_off_on,
        schedule_id=str(found.schedule_id),
    )
    policy = policies.get(found.council)
    reinstatement = reinstate_on_payment(
        written_off,
        payment.amount_pence,
        payment.received_on,
        policy.reinstatement_referral_role if policy else None,
    )
    await session.execute(
        text(
            "UPDATE writeoff.write_off SET reinstated_pence = :reinstated WHERE write_off_id = :write_off_id"
        ),
        {"reinstated": reinstatement.written_off_pence, "write_off_id": found.write_off_id},
    )
    await session.execute(
        text(
            """
            INSERT INTO writeoff.reinstatement (payment_id, write_off_id, debt_id, payment_pence, reinstated_pence,
                unpaid_remainder_pence, surplus_pence, received_on)
            VALUES (:payment_id, :write_off_id, :debt_id, :payment, :reinstated, :remainder, :surplus, :received_on)
            """
        ),
        {
            "payment_id": payment.payment_id,
            "write_off_id": found.write_off_id,
            "debt_id": payment.debt_id,
            "payment": payment.amount_pence,
            "reinstated": reinstatement.written_off_pence,
            "remainder": reinstatement.remainder_pence,
            "surplus": reinstatement.excess_pence,
            "received_on": payment.received_on,
        },
    )
    await runtime.outbox.add(
        session,
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
        ),
        causation=envelope,
    )
