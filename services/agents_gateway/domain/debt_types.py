"""The debt types the council places with enforcement agents and collection agencies (DOMAIN.md 1)."""

from __future__ import annotations

from enum import StrEnum


class DebtType(StrEnum):
    """A council debt type, spelt as it travels in agent files and the registry."""

    COUNCIL_TAX = "council_tax"
    BUSINESS_RATES = "business_rates"
    SUNDRY = "sundry"
    HOUSING_BENEFIT_OVERPAYMENT = "housing_benefit_overpayment"
    ADULT_SOCIAL_CARE = "adult_social_care"
    HOUSING_RENT = "housing_rent"
    TEMPORARY_ACCOMMODATION = "temporary_accommodation"
    COMMERCIAL_RENT = "commercial_rent"
    PARKING_PENALTY = "parking_penalty"
    LEGAL_COSTS = "legal_costs"
    STAFF_DEBT = "staff_debt"


# Council tax and business rates reach an agent only after the magistrates grant a liability order.
DEBT_TYPES_NEEDING_A_LIABILITY_ORDER: frozenset[DebtType] = frozenset(
    {DebtType.COUNCIL_TAX, DebtType.BUSINESS_RATES}
)

# A parking penalty is enforced under a warrant of control from the Traffic Enforcement Centre, recorded here
# as the order that gives the agent its power; every other non-statutory debt needs a county court judgment
# before an enforcement agent (as opposed to a collection agency) may take control of goods.
DEBT_TYPES_ENFORCED_WITHOUT_A_JUDGMENT: frozenset[DebtType] = DEBT_TYPES_NEEDING_A_LIABILITY_ORDER | {
    DebtType.PARKING_PENALTY
}
