"""Council tax and business rates overpayments (CT (Administration and Enforcement) Regulations 1992 reg 31;
NNDR (Collection and Enforcement) (Local Lists) Regulations 1989 reg 9): repaid on request, otherwise credited
against the same tax's later liability only; never offset against rent, sundry or any other debt."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from services.billing.domain.billing_rules import BillingRules, LocalTaxOverpayment, billing_rules_from_yaml
from services.billing.domain.debt_types import DebtType
from services.billing.domain.overpayment import (
    OverpaymentRule,
    debts_a_payment_may_reach,
    settle_overpayment,
)
from services.billing.payments import payments_received
from shared.contracts.billing import PaymentAllocated, RefundDue
from shared.contracts.council_systems import PaymentReceived
from shared.contracts.envelope import Envelope
from tests.unit.billing.in_memory_stores import InMemoryBillingStores, a_debt, handling_for

from .positions import debt

TODAY = date(2026, 9, 16)
REPAY_EVERY_LOCAL_TAX_OVERPAYMENT = BillingRules(local_tax_overpayment=LocalTaxOverpayment.REFUND)

council_tax_2026 = debt("ct-2026", DebtType.COUNCIL_TAX, 2026, (date(2026, 8, 1), 0))
rent = debt("rent", DebtType.COUNCIL_HOUSING_RENT, 2026, (date(2026, 9, 7), 40_00))
sundry = debt("sundry", DebtType.SUNDRY, 2026, (date(2026, 8, 1), 30_00))
council_tax_2027 = debt("ct-2027", DebtType.COUNCIL_TAX, 2027, (date(2027, 4, 1), 25_00))
council_tax_2025_arrears = debt("ct-2025", DebtType.COUNCIL_TAX, 2025, (date(2025, 6, 1), 15_00))
business_rates_2026 = debt("nndr", DebtType.BUSINESS_RATES, 2026, (date(2026, 10, 1), 50_00))


def test_a_council_tax_overpayment_is_never_offset_against_rent_or_sundry_but_refunded() -> None:
    settlement = settle_overpayment(100_00, [rent, sundry], TODAY, credited=council_tax_2026)

    assert settlement.offsets == ()
    assert settlement.refund_pence == 100_00
    assert settlement.rule is OverpaymentRule.LOCAL_TAX_LATER_LIABILITY


def test_a_council_tax_overpayment_is_credited_against_later_council_tax_and_the_rest_refunded() -> None:
    owed = [rent, sundry, council_tax_2027, council_tax_2025_arrears, business_rates_2026]
    settlement = settle_overpayment(100_00, owed, TODAY, credited=council_tax_2026)

    assert [(o.debt_id, o.amount_pence) for o in settlement.offsets] == [("ct-2027", 25_00)]
    assert settlement.refund_pence == 75_00


def test_the_taxpayer_asking_for_a_refund_is_repaid_in_full_even_with_later_council_tax_owed() -> None:
    settlement = settle_overpayment(
        100_00, [council_tax_2027], TODAY, credited=council_tax_2026, refund_requested=True
    )

    assert (settlement.offsets, settlement.refund_pence) == ((), 100_00)
    assert settlement.rule is OverpaymentRule.LOCAL_TAX_REFUND


def test_a_council_that_repays_every_local_tax_overpayment_credits_nothing() -> None:
    settlement = settle_overpayment(
        100_00, [council_tax_2027], TODAY, REPAY_EVERY_LOCAL_TAX_OVERPAYMENT, credited=council_tax_2026
    )

    assert (settlement.offsets, settlement.refund_pence) == ((), 100_00)


def test_a_business_rates_overpayment_reaches_only_later_rates_never_council_tax() -> None:
    nndr_paid = debt("nndr-2025", DebtType.BUSINESS_RATES, 2025, (date(2025, 10, 1), 0))
    settlement = settle_overpayment(80_00, [council_tax_2027, business_rates_2026], TODAY, credited=nndr_paid)

    assert [(o.debt_id, o.amount_pence) for o in settlement.offsets] == [("nndr", 50_00)]
    assert settlement.refund_pence == 30_00


def test_rent_and_sundry_credits_keep_derby_11_offset_against_everything_owed() -> None:
    rent_in_credit = debt("rent-old", DebtType.COUNCIL_HOUSING_RENT, 2025, (date(2025, 5, 1), 0))
    settlement = settle_overpayment(100_00, [council_tax_2027, sundry], TODAY, credited=rent_in_credit)

    assert settlement.offset_pence == 55_00
    assert settlement.refund_pence == 45_00
    assert settlement.rule is OverpaymentRule.OFFSET_THEN_REFUND


def test_money_paid_to_council_tax_may_reach_later_council_tax_only() -> None:
    owed = [rent, sundry, council_tax_2027]
    assert debts_a_payment_may_reach(owed, [council_tax_2026]) == [council_tax_2027]
    assert debts_a_payment_may_reach(owed, [council_tax_2026], REPAY_EVERY_LOCAL_TAX_OVERPAYMENT) == []
    assert debts_a_payment_may_reach(owed, [sundry]) == owed
    assert debts_a_payment_may_reach(owed, []) == owed


def test_the_council_chooses_in_its_billing_rules_and_credit_is_the_default() -> None:
    assert BillingRules().local_tax_overpayment is LocalTaxOverpayment.CREDIT_LATER_LIABILITY
    chosen = billing_rules_from_yaml("local_tax_overpayment: refund")
    assert chosen.local_tax_overpayment is LocalTaxOverpayment.REFUND


async def test_council_tax_paid_twice_is_refunded_while_rent_is_still_owed() -> None:
    stores = InMemoryBillingStores()
    customer_id, ct_id, rent_id = uuid4(), uuid4(), uuid4()
    stores.debts.debts += [
        a_debt(ct_id, customer_id, [(date(2026, 5, 1), 100_00)], account_reference="CT400017"),
        a_debt(rent_id, customer_id, [(date(2026, 5, 4), 90_00)], debt_type=DebtType.COUNCIL_HOUSING_RENT),
    ]
    stores.payments.accounts["CT400017"] = customer_id
    handling, published = handling_for(stores)

    await payments_received(
        [_paid_into("CT400017", 100_00, "DD-1"), _paid_into("CT400017", 100_00, "DD-2")], handling
    )

    second = published.of_type(PaymentAllocated)[1]
    assert (second.allocations, second.unallocated_pence) == ([], 100_00)
    [refund] = published.of_type(RefundDue)
    assert refund.amount_pence == 100_00
    assert rent_id not in {a.debt_id for e in published.of_type(PaymentAllocated) for a in e.allocations}


def _paid_into(account: str, pence: int, reference: str) -> tuple[PaymentReceived, Envelope]:
    message = PaymentReceived(
        channel="direct_debit",
        channel_reference=reference,
        amount_pence=pence,
        received_on=date(2026, 5, 10),
        account_reference=account,
    )
    return message, Envelope.wrap(message, producer="council_systems")
