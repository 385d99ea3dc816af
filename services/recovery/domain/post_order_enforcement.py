"""Which enforcement an officer may choose once a debt has an order behind it (DOMAIN.md 4, "Enforcement options
after the notice stage"), each only where the law allows it. Pure: the HTTP route that records the choice asks
`may_enforce` and refuses with its reason.

The law each rule follows:
- council tax and business rates: a liability order of the magistrates' court (CT (Administration and Enforcement)
  Regulations 1992; NDR (Collection and Enforcement) (Local Lists) Regulations 1989); every other debt: a county
  court judgment;
- attachment of earnings: individuals only; on a council tax liability order the council makes the order itself and
  serves it on the employer (CT reg 37), so the request must name the employer; on a judgment the county court makes it
  (Attachment of Earnings Act 1971). Business rates have none: the NDR (Collection and Enforcement) (Local Lists)
  Regulations 1989 give no attachment of earnings, even against a sole trader;
- attachment of benefits (CT reg 29, council tax only): individuals only;
- charging order: on a council tax liability order only for at least £1,000 (CT reg 50); business rates have none
  (the NDR regulations give no charging order); on a judgment, any sum;
- third party debt order and High Court enforcement: on a county court judgment, not a liability order (CPR 72;
  a judgment of £600 or more may be transferred to the High Court for enforcement, County Courts Act 1984 s.42);
- insolvency: bankruptcy of an individual for at least £5,000, winding up of a company for at least £750
  (Insolvency Act 1986 ss.123, 267 as amended);
- committal to prison: council tax and business rates only, individuals only, and only after enforcement agents
  have reported they could not recover the sum (CT reg 47; NDR reg 16);
- direct earnings attachment of a housing benefit overpayment (Social Security (Overpayments and Recovery)
  Regulations 2013 Part 6, regs 17-30, applied to housing benefit by the Social Security Administration Act 1992
  ss.71ZD and 75): no court order is needed; only an individual, employed, whose employer is known; not while the
  overpayment is being recovered from benefit (or the benefits system is still answering whether it can be), nor
  while an arrangement to repay it is being kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from services.recovery.domain.debt_types import DebtType
from shared.money import Pence


class PostOrderEnforcement(StrEnum):
    """An enforcement step an officer chooses after the order or judgment."""

    ATTACHMENT_OF_EARNINGS = "attachment_of_earnings"
    ATTACHMENT_OF_BENEFITS = "attachment_of_benefits"
    CHARGING_ORDER = "charging_order"
    THIRD_PARTY_DEBT_ORDER = "third_party_debt_order"
    HIGH_COURT_ENFORCEMENT = "high_court_enforcement"
    INSOLVENCY = "insolvency"
    COMMITTAL = "committal"
    DIRECT_EARNINGS_ATTACHMENT = "direct_earnings_attachment"


LIABILITY_ORDER_DEBTS: frozenset[DebtType] = frozenset({DebtType.COUNCIL_TAX, DebtType.BUSINESS_RATES})
CHARGING_ORDER_ON_LIABILITY_ORDER_MIN: Pence = 1_000_00
HIGH_COURT_TRANSFER_MIN: Pence = 600_00
BANKRUPTCY_MIN: Pence = 5_000_00
WINDING_UP_MIN: Pence = 750_00


@dataclass(frozen=True)
class OrderedDebt:
    """What the rule needs to know of a case: its debt, the order behind it, the debtor and what agents did."""

    debt_type: DebtType
    balance_pence: Pence
    liability_order_granted: bool
    county_court_judgment: bool
    debtor_is_individual: bool
    enforcement_agents_failed: bool
    employer_known: bool = False
    # Housing benefit overpayments: the benefits system recovers it (or is still answering), an arrangement is kept.
    recovering_from_benefit: bool = False
    awaiting_benefits_system: bool = False
    arrangement_being_kept: bool = False
    # Wales abolished committal to prison for council tax from 1 April 2019 (the Council Tax (Administration and
    # Enforcement) (Amendment) (Wales) Regulations 2019); business rates committal remains there.
    council_in_wales: bool = False


def _direct_earnings_attachment(debt: OrderedDebt) -> str | None:
    """SS (Overpayments and Recovery) Regs 2013 Part 6: the council's own notice to the employer, no order."""
    if debt.debt_type is not DebtType.HOUSING_BENEFIT_OVERPAYMENT:
        basis = "a liability order" if debt.debt_type in LIABILITY_ORDER_DEBTS else "a county court judgment"
        return (
            "a direct earnings attachment is for housing benefit overpayments only: "
            f"{debt.debt_type.value} is enforced on {basis}"
        )
    if debt.balance_pence <= 0:
        return "nothing is owed"
    if not debt.debtor_is_individual:
        return "only an individual's earnings can be attached"
    if not debt.employer_known:
        return "a direct earnings attachment needs the debtor's employer's name and address"
    if debt.recovering_from_benefit:
        return "the overpayment is being recovered from benefit"
    if debt.awaiting_benefits_system:
        return "the benefits system has not yet answered whether it can recover the overpayment from benefit"
    if debt.arrangement_being_kept:
        return "an arrangement to repay the overpayment is being kept"
    return None


def may_enforce(step: PostOrderEnforcement, debt: OrderedDebt) -> str | None:
    """None when the law allows this step on this debt now; otherwise the reason it does not."""
    if step is PostOrderEnforcement.DIRECT_EARNINGS_ATTACHMENT:  # no order or judgment needed
        return _direct_earnings_attachment(debt)
    on_liability_order = debt.debt_type in LIABILITY_ORDER_DEBTS
    if on_liability_order and not debt.liability_order_granted:
        return f"{debt.debt_type.value} needs a liability order granted by the magistrates' court first"
    if not on_liability_order and not debt.county_court_judgment:
        return f"{debt.debt_type.value} needs a county court judgment first"
    if debt.balance_pence <= 0:
        return "nothing is owed"
    match step:
        case PostOrderEnforcement.ATTACHMENT_OF_EARNINGS:
            if debt.debt_type is DebtType.BUSINESS_RATES:
                return "business rates have no attachment of earnings (NDR Regulations 1989)"
            if not debt.debtor_is_individual:
                return "only an individual's earnings can be attached"
            return None
        case PostOrderEnforcement.ATTACHMENT_OF_BENEFITS:
            if debt.debt_type is not DebtType.COUNCIL_TAX:
                return "deductions from benefits on an order are for council tax only (CT reg 29)"
            return None if debt.debtor_is_individual else "only an individual's benefits can be attached"
        case PostOrderEnforcement.CHARGING_ORDER:
            if debt.debt_type is DebtType.BUSINESS_RATES:
                return "business rates have no charging order (NDR Regulations 1989)"
            if on_liability_order and debt.balance_pence < CHARGING_ORDER_ON_LIABILITY_ORDER_MIN:
                return "a charging order on a liability order needs at least £1,000 owed (CT reg 50)"
            return None
        case PostOrderEnforcement.THIRD_PARTY_DEBT_ORDER:
            return "a third party debt order needs a county court judgment" if on_liability_order else None
        case PostOrderEnforcement.HIGH_COURT_ENFORCEMENT:
            if on_liability_order:
                return "a liability order cannot be transferred to the High Court"
            if debt.balance_pence < HIGH_COURT_TRANSFER_MIN:
                return "a judgment must be £600 or more to transfer to the High Court"
            return None
        case PostOrderEnforcement.INSOLVENCY:
            least = BANKRUPTCY_MIN if debt.debtor_is_individual else WINDING_UP_MIN
            if debt.balance_pence < least:
                what = "bankruptcy" if debt.debtor_is_individual else "winding up"
                return f"{what} needs at least £{least // 100:,} owed"
            return None
        case PostOrderEnforcement.COMMITTAL:
            if not on_liability_order:
                return "committal is for council tax and business rates only"
            if debt.council_in_wales and debt.debt_type is DebtType.COUNCIL_TAX:
                return "Wales abolished committal to prison for council tax from 1 April 2019"
            if not debt.debtor_is_individual:
                return "only an individual can be committed to prison"
            if not debt.enforcement_agents_failed:
                return "committal only after enforcement agents have been unable to recover the sum"
            return None
        case PostOrderEnforcement.DIRECT_EARNINGS_ATTACHMENT:
            return _direct_earnings_attachment(debt)
