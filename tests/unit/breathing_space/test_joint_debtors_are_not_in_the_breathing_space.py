"""The protection is the applicant's (DOMAIN.md 7; the creditor guidance on joint debts): a joint debt is held as
the applicant's liability, a joint debtor who did not apply is not in the breathing space, and the joint debtor's
own debts are not held."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from services.breathing_space.customers_and_debts import debts_raised
from services.breathing_space.domain.debt_search import DebtProjection, joint_liability
from shared.contracts.breathing_space import BreathingSpaceHoldStarted
from tests.unit.breathing_space.notification_documents import MORATORIUM
from tests.unit.breathing_space.test_holding_every_debt_billing_announces import (
    a_notified_moratorium_for_a_known_customer,
    delivered,
    raised,
)

APPLICANT, PARTNER = str(uuid4()), str(uuid4())


def debt(*liable: str) -> DebtProjection:
    return DebtProjection("HB-1", "housing_benefit_overpayment", frozenset(liable), 63_040)


def test_on_a_joint_debt_only_the_applicant_is_protected() -> None:
    protection = joint_liability(debt(APPLICANT, PARTNER), [APPLICANT])
    assert protection.protected == (APPLICANT,) and protection.not_protected == (PARTNER,)


def test_a_debt_the_applicant_owes_alone_leaves_nobody_outside_the_protection() -> None:
    assert joint_liability(debt(APPLICANT), [APPLICANT]).not_protected == ()


def test_until_the_applicant_is_identified_nobody_is_named_unprotected() -> None:
    # Held by its notified reference, matched to nobody yet: the council cannot tell the applicant apart.
    assert joint_liability(debt(APPLICANT, PARTNER), []).not_protected == ()


async def test_a_joint_debt_is_held_for_the_applicant_and_the_partner_s_own_debt_is_not_held() -> None:
    council, customer = await a_notified_moratorium_for_a_known_customer()
    partner = uuid4()
    council_tax = raised(customer, "CT-40012345", "council_tax", date(2024, 4, 1))
    joint = raised(customer, "HB-OP-1", "housing_benefit_overpayment", date(2024, 9, 1))
    joint = joint.model_copy(update={"customer_ids": [customer, partner]})
    partners_own = raised(partner, "INV-P-1", "sundry", date(2024, 10, 1))

    await debts_raised(
        [delivered(council_tax), delivered(joint), delivered(partners_own)], council.handling()
    )

    [started] = council.published.of_type(BreathingSpaceHoldStarted)
    assert isinstance(started, BreathingSpaceHoldStarted)
    assert set(started.debt_ids) == {council_tax.debt_id, joint.debt_id}
    assert started.customer_ids == [customer]  # the applicant: the partner is not in the breathing space
    held = council.holds.held[MORATORIUM]
    assert held[joint.debt_id].not_protected_customer_ids == (partner,)
    assert held[council_tax.debt_id].not_protected_customer_ids == ()
