"""What a hold protects on each debt (Debt Respite Scheme regulations 2020, reg 6; the creditor guidance): the
arrears owed when the person applied are frozen, instalments of council tax, rates or rent falling due after the
start are ongoing liabilities, collected as usual; on a joint debt only the applicant is protected, and what the
council may do against the other party is its policy, recorded with why."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from services.breathing_space.customers_and_debts import customers_registered, debts_raised
from services.breathing_space.domain.hold_scope import (
    Instalment,
    OtherPartiesPolicy,
    ScopeRules,
    debt_scope,
    is_protected_sum,
    other_parties,
)
from services.breathing_space.domain.settings import BreathingSpaceRules, rules_from_yaml
from services.breathing_space.moratoria import bring_moratorium_up_to_date
from shared.contracts.billing import InstalmentDue
from shared.contracts.breathing_space import BreathingSpaceHoldStarted
from tests.unit.breathing_space.in_memory_stores import InMemoryBreathingSpace
from tests.unit.breathing_space.notification_documents import MORATORIUM, notification
from tests.unit.breathing_space.test_holding_every_debt_billing_announces import delivered, joanne, raised

STARTS_ON = date(2025, 6, 5)
MONTHLY = [Instalment(date(2025, month, 1), 10_000) for month in range(4, 14) if month <= 12] + [
    Instalment(date(2026, 1, 1), 10_000)
]
"""A council tax bill for 2025/26 in ten monthly instalments, 1 April 2025 to 1 January 2026."""


def test_council_tax_instalments_falling_due_after_the_start_are_ongoing_liabilities() -> None:
    scope = debt_scope(debt_type="council_tax", instalments=MONTHLY, starts_on=STARTS_ON, rules=ScopeRules())
    assert scope.protected_up_to == STARTS_ON
    assert scope.ongoing_liabilities_pence == 7 * 10_000  # July to January
    assert scope.ongoing_from == date(2025, 7, 1)
    assert is_protected_sum(date(2025, 6, 1), scope), "the June instalment was owed when she applied"
    assert not is_protected_sum(date(2025, 7, 1), scope)


def test_an_instalment_falling_due_on_the_start_day_is_protected() -> None:
    on_the_day = [Instalment(STARTS_ON, 5_000)]
    scope = debt_scope(
        debt_type="council_tax", instalments=on_the_day, starts_on=STARTS_ON, rules=ScopeRules()
    )
    assert scope.ongoing_liabilities_pence == 0 and scope.ongoing_from is None


@pytest.mark.parametrize("debt_type", ["sundry", "housing_benefit_overpayment", "former_tenant_rent_arrears"])
def test_instalments_of_any_other_debt_repay_the_moratorium_debt_so_all_of_it_is_protected(
    debt_type: str,
) -> None:
    scope = debt_scope(debt_type=debt_type, instalments=MONTHLY, starts_on=STARTS_ON, rules=ScopeRules())
    assert scope.ongoing_liabilities_pence == 0 and scope.ongoing_from is None


def test_a_council_decides_which_debt_types_are_ongoing_liabilities() -> None:
    rules = rules_from_yaml("scope:\n  ongoing_liability_debt_types: [council_tax]\n").scope
    rates = debt_scope(debt_type="business_rates", instalments=MONTHLY, starts_on=STARTS_ON, rules=rules)
    assert rates.ongoing_liabilities_pence == 0
    assert BreathingSpaceRules().scope.ongoing_liability_debt_types == {
        "council_tax",
        "business_rates",
        "housing_rent",
    }


def test_an_unknown_scope_setting_is_refused() -> None:
    with pytest.raises(ValueError, match="scope"):
        rules_from_yaml("scope:\n  freeze_everything: true\n")


def test_by_the_guidance_a_joint_debtor_who_did_not_apply_may_be_pursued_and_the_reason_is_given() -> None:
    partner = str(uuid4())
    others = other_parties([partner], ScopeRules())
    assert others.customer_ids == (partner,) and others.policy is OtherPartiesPolicy.MAY_BE_PURSUED
    assert others.why is not None and "only the person who applied" in others.why


def test_a_council_may_hold_a_joint_debt_against_every_liable_party() -> None:
    rules = rules_from_yaml("scope:\n  joint_debtors_other_parties: held_as_for_the_applicant\n").scope
    others = other_parties([str(uuid4())], rules)
    assert others.policy is OtherPartiesPolicy.HELD_AS_FOR_THE_APPLICANT
    assert others.why is not None and "council policy" in others.why


def test_a_debt_owed_by_the_applicant_alone_has_no_other_parties() -> None:
    assert other_parties([], ScopeRules()).policy is None


async def test_the_hold_tells_every_service_what_is_protected_on_each_debt() -> None:
    council = InMemoryBreathingSpace(today=date(2025, 6, 10))
    person, partner = uuid4(), uuid4()
    await customers_registered([delivered(joanne(person))], council.handling())
    council_tax = raised(person, "CT-40012345", "council_tax", date(2025, 3, 10), 100_000).model_copy(
        update={
            "instalments": [
                InstalmentDue(number=n, due_date=i.due_date, amount_pence=i.amount_pence)
                for n, i in enumerate(MONTHLY, 1)
            ]
        }
    )
    overpayment = raised(person, "HB-9", "housing_benefit_overpayment", date(2025, 1, 6)).model_copy(
        update={"customer_ids": [person, partner]}
    )
    await debts_raised([delivered(council_tax), delivered(overpayment)], council.handling())
    start = notification(
        "new_standard_breathing_space", "N-START", start_date=STARTS_ON, issued_on=date(2025, 6, 9)
    )
    await council.notified(start)
    await bring_moratorium_up_to_date(council.handling(), MORATORIUM, council.today)

    [started] = council.published.of_type(BreathingSpaceHoldStarted)
    assert isinstance(started, BreathingSpaceHoldStarted)
    scope = {s.debt_id: s for s in started.scope}
    assert set(scope) == set(started.debt_ids) == {council_tax.debt_id, overpayment.debt_id}
    assert scope[council_tax.debt_id].protected_up_to == STARTS_ON
    assert scope[council_tax.debt_id].ongoing_liabilities_pence == 70_000
    assert scope[council_tax.debt_id].other_liable_customer_ids == []
    assert scope[overpayment.debt_id].ongoing_liabilities_pence == 0
    assert scope[overpayment.debt_id].other_liable_customer_ids == [partner]
    assert scope[overpayment.debt_id].other_parties_policy == "may_be_pursued"
    assert scope[overpayment.debt_id].other_parties_why
    assert started.application_date == STARTS_ON and not started.application_date_notified
