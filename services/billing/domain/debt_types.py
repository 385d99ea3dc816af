"""Every kind of debt a council raises (DOMAIN.md 1, the shared vocabulary) and its place in the debt
hierarchy (Derby 10.2).

The hierarchy decides where an undirected payment goes when a customer owes several debts: first what could
cost them their home, then what could lead to committal (council tax and business rates), then charges and
fines, then everything else.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import IntEnum

from shared.debt_types import REGULATED_DEBT_TYPES, DebtType


class HierarchyClass(IntEnum):
    """A rung of Derby's debt hierarchy (10.2); a lower value is paid first."""

    RENT_AND_TENANCY = 1
    COUNCIL_TAX_AND_RATES = 2
    CHARGES_AND_FINES = 3
    OTHER = 4


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


__all__ = [
    "DEFAULT_HIERARCHY",
    "REGULATED_DEBT_TYPES",
    "DebtType",
    "HierarchyClass",
    "hierarchy_class",
    "is_regulated",
    "parse_debt_type",
]
