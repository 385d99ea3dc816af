"""Overpayments are offset before any refund; credit notes correct invoices and never write them off;
only the originating service may cancel."""

from __future__ import annotations

from datetime import date

import pytest

from services.billing.domain.allocation import AllocationBasis
from services.billing.domain.cancellation import cancellation_refusals
from services.billing.domain.credit_notes import (
    credit_note_effect,
    credit_note_reductions,
    credit_note_refusals,
)
from services.billing.domain.debt_types import DebtType
from services.billing.domain.overpayment import may_refund, settle_overpayment

from .positions import debt

TODAY = date(2024, 9, 16)


def test_an_overpayment_is_offset_against_other_debts_and_only_the_true_surplus_refunded() -> None:
    others = [
        debt("sundry", DebtType.SUNDRY, 2024, (date(2024, 8, 1), 3_000)),
        debt("rent", DebtType.COUNCIL_HOUSING_RENT, 2024, (date(2024, 9, 2), 4_000)),
    ]
    settlement = settle_overpayment(10_000, others, TODAY)

    assert [(o.debt_id, o.amount_pence) for o in settlement.offsets] == [("rent", 4_000), ("sundry", 3_000)]
    assert {o.basis for o in settlement.offsets} == {AllocationBasis.OVERPAYMENT_OFFSET}
    assert settlement.refund_pence == 3_000
    assert settlement.offset_pence + settlement.refund_pence == 10_000


def test_no_refund_while_anything_else_is_owed_even_instalments_not_yet_due() -> None:
    future = debt("ct", DebtType.COUNCIL_TAX, 2024, (date(2025, 1, 1), 20_000))
    settlement = settle_overpayment(5_000, [future], TODAY)

    assert settlement.refund_pence == 0
    assert settlement.offset_pence == 5_000
    assert not may_refund(5_000, [future])
    assert may_refund(5_000, [debt("paid", DebtType.SUNDRY, 2024, (date(2024, 5, 1), 0))])


def test_a_credit_note_corrects_the_latest_instalments_first() -> None:
    ct = debt("ct", DebtType.COUNCIL_TAX, 2024, (date(2024, 8, 1), 10_000), (date(2024, 9, 1), 10_000))
    assert credit_note_refusals(ct, 12_000, "liability_changed") == []
    reductions = credit_note_reductions(ct, 12_000)
    assert [(r.instalment_number, r.amount_pence) for r in reductions] == [(2, 10_000), (1, 2_000)]


def test_a_credit_note_on_an_overstated_invoice_already_paid_is_issued_and_the_excess_is_a_credit() -> None:
    # £50 invoiced, £30 of it paid, then found overstated by £40: £20 still owed is cleared, £20 is credit.
    invoice = debt("inv", DebtType.SUNDRY, 2024, (date(2024, 8, 1), 2_000))
    assert credit_note_refusals(invoice, 4_000, "price_correction", creditable_pence=5_000) == []

    effect = credit_note_effect(invoice, 4_000)

    assert [(r.instalment_number, r.amount_pence) for r in effect.reductions] == [(1, 2_000)]
    assert effect.credit_pence == 2_000


def test_a_credit_note_on_an_invoice_paid_in_full_is_all_credit() -> None:
    paid = debt("inv", DebtType.SUNDRY, 2024, (date(2024, 8, 1), 0))
    effect = credit_note_effect(paid, 1_500)
    assert (effect.reductions, effect.credit_pence) == ((), 1_500)


def test_a_credit_note_cannot_correct_more_than_the_invoice_charged_less_earlier_credit_notes() -> None:
    invoice = debt("inv", DebtType.SUNDRY, 2024, (date(2024, 8, 1), 0))
    refusals = credit_note_refusals(invoice, 5_001, "billing_error", creditable_pence=5_000)
    assert len(refusals) == 1 and "exceeds the £50.00 the invoice charged" in refusals[0]
    with pytest.raises(ValueError):
        credit_note_reductions(invoice, 1)


def test_a_credit_note_is_never_a_write_off() -> None:
    invoice = debt("inv", DebtType.SUNDRY, 2024, (date(2024, 8, 1), 5_000))
    assert credit_note_refusals(invoice, 5_000, "irrecoverable")  # not a correction reason
    assert credit_note_refusals(invoice, 5_000, "billing_error", explanation="customer gone, write off")
    assert credit_note_refusals(invoice, 5_000, "billing_error", written_off=True)


def test_only_the_originating_service_may_cancel_an_invoice() -> None:
    assert cancellation_refusals("leisure", "leisure") == []
    assert cancellation_refusals("Leisure", " leisure ") == []
    refusals = cancellation_refusals("leisure", "parking")
    assert len(refusals) == 1 and "originating service (leisure)" in refusals[0]


def test_a_paid_or_written_off_invoice_is_not_cancelled() -> None:
    assert cancellation_refusals("leisure", "leisure", paid_pence=100)
    assert cancellation_refusals("leisure", "leisure", written_off=True)
    assert cancellation_refusals("leisure", "leisure", already_cancelled=True)
