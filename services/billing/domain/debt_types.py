"""Every kind of debt a council raises (DOMAIN.md 1) and its place in the debt hierarchy (Derby 10.2).

The hierarchy decides where an undirected payment goes when a customer owes several debts: first what could
cost them their home, then what could lead to committal (council tax and business rates), then charges and
fines, then everything else.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import IntEnum, StrEnum


class DebtType(StrEnum):
    """A kind of council debt, named as councils name them (Derby 3.1, RBWM 1, NELC 1.2)."""

    COUNCIL_HOUSING_RENT = "council_housing_rent"  # incl. service charges, garages and former tenants
    TEMPORARY_ACCOMMODATION = "temporary_accommodation"
    COUNCIL_TAX = "council_tax"
    BUSINESS_RATES = "business_rates"  # non-domestic rates (NNDR)
    PENALTY_CHARGE_NOTICE = "penalty_charge_notice"  # parking
    ADULT_SOCIAL_CARE = "adult_social_care"
    LEGAL_COSTS = "legal_costs"
    HOUSING_BENEFIT_OVERPAYMENT = "housing_benefit_overpayment"
    COMMERCIAL_PROPERTY_RENT = "commercial_property_rent"  # incl. leases and licences
    SUNDRY = "sundry"  # accounts receivable invoices
    STAFF_AND_MEMBER_DEBT = "staff_and_member_debt"  # salary and allowance overpayments


class HierarchyClass(IntEnum):
    """A rung of Derby's debt hierarchy (10.2); a lower value is paid first."""

    RENT_AND_TENANCY = 1
    COUNCIL_TAX_AND_RATES = 2
    CHARGES_AND_FINES = 3
    OTHER = 4


REGULATED_DEBT_TYPES: frozenset[DebtType] = frozenset({DebtType.COUNCIL_TAX, DebtType.BUSINESS_RATES})
"""Debt types whose recovery steps statute fixes; no contractual interest or late fees apply to them."""

DEFAULT_HIERARCHY: Mapping[DebtType, HierarchyClass] = {
    DebtType.COUNCIL_HOUSING_RENT: HierarchyClass.RENT_AND_TENANCY,
    DebtType.TEMPORARY_ACCOMMODATION: HierarchyClass.RENT_AND_TENANCY,
    DebtType.COUNCIL_TAX: HierarchyClass.COUNCIL_TAX_AND_RATES,
    DebtType.BUSINESS_RATES: HierarchyClass.COUNCIL_TAX_AND_RATES,
    DebtType.PENALTY_CHARGE_NOTICE: HierarchyClass.CHARGES_AND_FINES,
    DebtType.ADULT_SOCIAL_CARE: HierarchyClass.CHARGES_AND_FINES,
    DebtType.LEGAL_COSTS: HierarchyClass.CHARGES_AND_FINES,
    DebtType.HOUSING_BENEFIT_OVERPAYMENT: HierarchyClass.OTHER,
    # Commercial rent risks a business's premises, not the customer's home, so Derby 10.2 puts it with other
    # debts; a council that disagrees overrides it in its billing rules.
    DebtType.COMMERCIAL_PROPERTY_RENT: HierarchyClass.OTHER,
    DebtType.SUNDRY: HierarchyClass.OTHER,
    DebtType.STAFF_AND_MEMBER_DEBT: HierarchyClass.OTHER,
}
"""The hierarchy class of every debt type, by default; councils may override any entry."""


def parse_debt_type(raw: str) -> DebtType | None:
    """The DebtType named by `raw` (case and spacing forgiven), or None when no such type exists."""
    key = raw.strip().lower().replace(" ", "_").replace("-", "_")
    try:
        return DebtType(key)
    except ValueError:
        return None


def hierarchy_class(
    debt_type: DebtType, overrides: Mapping[DebtType, HierarchyClass] | None = None
) -> HierarchyClass:
    """The rung of the debt hierarchy `debt_type` sits on, using a council's overrides where given."""
    if overrides and debt_type in overrides:
        return overrides[debt_type]
    return DEFAULT_HIERARCHY[debt_type]


def is_regulated(debt_type: DebtType) -> bool:
    """True for council tax and business rates, whose recovery route statute fixes."""
    return debt_type in REGULATED_DEBT_TYPES
