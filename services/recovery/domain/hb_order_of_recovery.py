"""The order in which a housing benefit overpayment is recovered (NELC 7.2; DOMAIN.md 4): from arrears of
benefit, then ongoing benefit, then council tax reduction to the council tax account, then deductions from other
benefits (a request to the DWP), then a direct earnings attachment, then enforcement agents. The first four are
asked of the benefits system (`shared/contracts/benefits.py`); the invoice timetable, the attachment and agents are
recovery's own steps and follow only when the benefits system has stopped or refused every method before them.

Pure: no I/O; the handlers tell it what the benefits system has answered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class RecoveryMethod(StrEnum):
    """One method of NELC 7.2's order of recovery, in the council's words."""

    ARREARS_OF_BENEFIT = "arrears_of_benefit"
    ONGOING_BENEFIT = "ongoing_benefit"
    COUNCIL_TAX_REDUCTION = "council_tax_reduction"
    OTHER_BENEFITS_DWP = "other_benefits_dwp"
    INVOICE = "invoice"
    DIRECT_EARNINGS_ATTACHMENT = "direct_earnings_attachment"
    ENFORCEMENT_AGENTS = "enforcement_agents"


ORDER_OF_RECOVERY: tuple[RecoveryMethod, ...] = tuple(RecoveryMethod)

# The methods the benefits system carries out; the rest are recovery's own steps.
BY_THE_BENEFITS_SYSTEM: frozenset[RecoveryMethod] = frozenset(
    {
        RecoveryMethod.ARREARS_OF_BENEFIT,
        RecoveryMethod.ONGOING_BENEFIT,
        RecoveryMethod.COUNCIL_TAX_REDUCTION,
        RecoveryMethod.OTHER_BENEFITS_DWP,
    }
)


@dataclass(frozen=True)
class BenefitPosition:
    """What the council knows of the debtor's benefits when the overpayment is raised."""

    arrears_of_benefit_pence: int = 0
    receives_housing_benefit: bool = False
    receives_council_tax_reduction: bool = False
    receives_other_dwp_benefits: bool = False
    in_employment: bool = False


def _possible(method: RecoveryMethod, position: BenefitPosition) -> bool:
    match method:
        case RecoveryMethod.ARREARS_OF_BENEFIT:
            return position.arrears_of_benefit_pence > 0
        case RecoveryMethod.ONGOING_BENEFIT:
            return position.receives_housing_benefit
        case RecoveryMethod.COUNCIL_TAX_REDUCTION:
            return position.receives_council_tax_reduction
        case RecoveryMethod.OTHER_BENEFITS_DWP:
            return position.receives_other_dwp_benefits
        case RecoveryMethod.DIRECT_EARNINGS_ATTACHMENT:
            return position.in_employment
        case _:
            return True  # an invoice and a referral to agents are always open to the council


def next_method(position: BenefitPosition, stopped: Iterable[RecoveryMethod] = ()) -> RecoveryMethod:
    """The first method of the order that is possible for this debtor and has not been stopped: an overpayment
    with ongoing benefit is recovered from it before any invoice; only when every benefit method is stopped or
    impossible is it invoiced, then attached to earnings, then placed with agents."""
    done = set(stopped)
    for method in ORDER_OF_RECOVERY:
        if method not in done and _possible(method, position):
            return method
    return RecoveryMethod.ENFORCEMENT_AGENTS


def asks_the_benefits_system(method: RecoveryMethod) -> bool:
    """True when this method is a request to the benefits system (a `recovery.benefit_deduction.requested`)."""
    return method in BY_THE_BENEFITS_SYSTEM
