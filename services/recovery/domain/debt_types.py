"""The debt types a council recovers (DOMAIN.md 1): the shared vocabulary, and recovery's own view of which are
regulated.

The names are `shared.debt_types.DebtType`, the same for every service. Which types statute fixes the recovery
steps for is recovery's business and differs from the shared default: Derby appendix 5 marks housing benefit
overpayments as a "Regulated Recover process" too, alongside council tax and business rates.
"""

from __future__ import annotations

from shared.debt_types import DebtType

__all__ = ["REGULATED_DEBT_TYPES", "DebtType", "is_regulated"]

# Statute fixes the steps for these (Derby appendix 5 "Regulated Recover process": Yes).
REGULATED_DEBT_TYPES: frozenset[DebtType] = frozenset(
    {DebtType.COUNCIL_TAX, DebtType.BUSINESS_RATES, DebtType.HOUSING_BENEFIT_OVERPAYMENT}
)


def is_regulated(debt_type: DebtType) -> bool:
    """True when statute fixes the recovery steps for this debt type."""
    return debt_type in REGULATED_DEBT_TYPES
