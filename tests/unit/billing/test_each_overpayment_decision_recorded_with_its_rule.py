"""Issue 19: each overpayment decision is recorded with the rule that made it (CT regs 1992 reg 31, NNDR regs
1989 reg 9, Derby 11.1): the refund due's row and its `billing.refund.due` event both carry the rule."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from services.billing.domain.debt_types import DebtType
from services.billing.domain.overpayment import OverpaymentRule
from services.billing.payments import payments_received
from shared.contracts.billing import RefundDue
from shared.contracts.council_systems import PaymentReceived
from shared.contracts.envelope import Envelope
from tests.unit.billing.in_memory_stores import InMemoryBillingStores, a_debt, handling_for


async def test_a_council_tax_overpayment_refund_is_recorded_and_published_with_the_reg_31_rule() -> None:
    stores = InMemoryBillingStores()
    customer_id, ct_id, rent_id = uuid4(), uuid4(), uuid4()
    stores.debts.debts += [
        a_debt(ct_id, customer_id, [(date(2026, 5, 1), 100_00)], account_reference="CT400019"),
        a_debt(rent_id, customer_id, [(date(2026, 5, 4), 90_00)], debt_type=DebtType.COUNCIL_HOUSING_RENT),
    ]
    stores.payments.accounts["CT400019"] = customer_id
    handling, published = handling_for(stores)
    message = PaymentReceived(
        channel="direct_debit",
        channel_reference="DD-19",
        amount_pence=130_00,
        received_on=date(2026, 5, 10),
        account_reference="CT400019",
    )

    await payments_received([(message, Envelope.wrap(message, producer="council_systems"))], handling)

    [refund] = published.of_type(RefundDue)
    assert isinstance(refund, RefundDue)
    assert (refund.amount_pence, refund.rule) == (30_00, OverpaymentRule.LOCAL_TAX_LATER_LIABILITY)
    [recorded] = [r for batch in stores.payments.batches for r in batch.refunds]
    assert (recorded.refund_id, recorded.rule) == (
        refund.refund_id,
        OverpaymentRule.LOCAL_TAX_LATER_LIABILITY,
    )
