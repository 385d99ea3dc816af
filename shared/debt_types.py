"""Every kind of debt a council raises (DOMAIN.md 1): the vocabulary all services and contracts share.

What each service does with a type (billing's hierarchy, recovery's timetable, an agent's remit) stays in that
service; only the names live here.
"""

from __future__ import annotations

from enum import StrEnum


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


REGULATED_DEBT_TYPES: frozenset[DebtType] = frozenset({DebtType.COUNCIL_TAX, DebtType.BUSINESS_RATES})
"""Debt types whose recovery steps statute fixes (summons, liability order); no contractual interest or fees."""
