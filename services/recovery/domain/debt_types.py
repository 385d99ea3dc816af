"""The debt types a council recovers (DOMAIN.md 1), each with its own recovery route."""

from __future__ import annotations

from enum import StrEnum


class DebtType(StrEnum):
    """A kind of debt owed to the council; the policy file names it by these values."""

    COUNCIL_TAX = "council_tax"
    BUSINESS_RATES = "business_rates"
    SUNDRY = "sundry"
    HOUSING_BENEFIT_OVERPAYMENT = "housing_benefit_overpayment"
    ADULT_SOCIAL_CARE = "adult_social_care"
    HOUSING_RENT = "housing_rent"
    TEMPORARY_ACCOMMODATION = "temporary_accommodation"
    COMMERCIAL_PROPERTY = "commercial_property"
    PENALTY_CHARGE_NOTICE = "penalty_charge_notice"
    LEGAL_COSTS = "legal_costs"
    STAFF_AND_MEMBER_DEBT = "staff_and_member_debt"


# Statute fixes the steps for these (Derby appendix 5 "Regulated Recover process": Yes).
REGULATED_DEBT_TYPES: frozenset[DebtType] = frozenset(
    {DebtType.COUNCIL_TAX, DebtType.BUSINESS_RATES, DebtType.HOUSING_BENEFIT_OVERPAYMENT}
)


def is_regulated(debt_type: DebtType) -> bool:
    """True when statute fixes the recovery steps for this debt type."""
    return debt_type in REGULATED_DEBT_TYPES
