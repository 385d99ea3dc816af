"""An officer's decision on a payment put for consideration (issue 19): the council's referral officer or a
write-off officer accepts, reinstates or refunds it, once, with the reason; reinstating splits the payment as
any reinstatement does."""

from __future__ import annotations

from datetime import date

from services.writeoff.domain import WrittenOffDebt
from services.writeoff.domain.considered_payments import (
    ConsiderationOutcome,
    ConsideredPayment,
    NotConsidered,
    PaymentHeld,
    consider_payment,
)

REFERRAL_ROLE = "head_of_business_support_and_debt_management"


def held(*, decided: bool = False) -> PaymentHeld:
    return PaymentHeld(
        payment_pence=300_00,
        received_on=date(2026, 11, 23),
        council="derby",
        written_off=WrittenOffDebt(
            debt_id="d-1",
            customer_id="c-1",
            council="derby",
            income_code="SUN-4410",
            written_off_pence=800_00,
            written_off_on=date(2026, 6, 1),
            schedule_id="s-1",
            reason_code="formal_insolvency",
        ),
        decided=decided,
    )


def decided_by(roles: set[str], outcome: ConsiderationOutcome, reason: str = "the reason", **kwargs: object):
    payment = held(**kwargs)  # type: ignore[arg-type]
    return consider_payment(payment, outcome, reason, frozenset(roles), "derby", REFERRAL_ROLE)


def test_the_referral_officer_accepts_the_payment_and_the_write_off_stands() -> None:
    decision = decided_by({REFERRAL_ROLE}, ConsiderationOutcome.ACCEPTED)
    assert isinstance(decision, ConsideredPayment)
    assert decision.reinstatement is None


def test_reinstating_reverses_the_800_pound_write_off_and_refers_the_500_pound_remainder() -> None:
    decision = decided_by({"write_off_officer"}, ConsiderationOutcome.REINSTATED, "bankruptcy annulled")
    assert isinstance(decision, ConsideredPayment) and decision.reinstatement is not None
    assert decision.reinstatement.written_off_pence == 800_00
    assert decision.reinstatement.remainder_pence == 500_00
    assert decision.reinstatement.refer_for_enforcement
    assert decision.reason == "bankruptcy annulled"


def test_an_approver_without_the_referral_role_does_not_decide() -> None:
    refused = decided_by({"director_of_finance"}, ConsiderationOutcome.REFUNDED)
    assert isinstance(refused, NotConsidered) and refused.status == 403


def test_another_councils_officer_does_not_decide() -> None:
    refused = consider_payment(
        held(), ConsiderationOutcome.REFUNDED, "r", frozenset({"write_off_officer"}), "nelc", None
    )
    assert isinstance(refused, NotConsidered) and refused.status == 403


def test_a_decision_needs_its_reason() -> None:
    refused = decided_by({REFERRAL_ROLE}, ConsiderationOutcome.REFUNDED, "   ")
    assert isinstance(refused, NotConsidered) and refused.status == 422


def test_a_payment_is_decided_once() -> None:
    refused = decided_by({REFERRAL_ROLE}, ConsiderationOutcome.ACCEPTED, decided=True)
    assert isinstance(refused, NotConsidered) and refused.status == 409
