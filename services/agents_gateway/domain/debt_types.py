"""What the agents gateway needs to know about debt types: which need a court order before an agent acts.

The names themselves are the platform's shared vocabulary (`shared.debt_types.DebtType`), re-exported here so
the domain modules keep one import.
"""

from __future__ import annotations

from shared.debt_types import DebtType

__all__ = ["DEBT_TYPES_ENFORCED_WITHOUT_A_JUDGMENT", "DEBT_TYPES_NEEDING_A_LIABILITY_ORDER", "DebtType"]

# Council tax and business rates reach an agent only after the magistrates grant a liability order.
DEBT_TYPES_NEEDING_A_LIABILITY_ORDER: frozenset[DebtType] = frozenset(
    {DebtType.COUNCIL_TAX, DebtType.BUSINESS_RATES}
)

# A penalty charge notice is enforced under a warrant of control from the Traffic Enforcement Centre, recorded
# here as the order that gives the agent its power; every other non-statutory debt needs a county court judgment
# before an enforcement agent (as opposed to a collection agency) may take control of goods.
DEBT_TYPES_ENFORCED_WITHOUT_A_JUDGMENT: frozenset[DebtType] = DEBT_TYPES_NEEDING_A_LIABILITY_ORDER | {
    DebtType.PENALTY_CHARGE_NOTICE
}
