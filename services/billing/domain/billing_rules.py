"""A council's billing rules: every number DOMAIN.md calls a default, read from its YAML configuration.

See `default_billing_rules.yaml` beside this module for the format; every key is optional.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from services.billing.domain.debt_types import DebtType, HierarchyClass, is_regulated, parse_debt_type
from services.billing.domain.late_payment_act import BaseRateTable, base_rate_table_from_mapping
from services.billing.domain.late_payment_terms import LatePaymentTerms
from shared.money import Pence, pounds_to_pence


class ArrearsYearOrder(StrEnum):
    """After the current financial year, which earlier years of one debt type a payment reaches first."""

    OLDEST_FIRST = "oldest_first"  # closest to the limitation period first
    NEWEST_FIRST = "newest_first"


class LocalTaxOverpayment(StrEnum):
    """What the council does with a council tax or rates overpayment the taxpayer has not asked to be repaid
    (CT (Administration and Enforcement) Regulations 1992 reg 31; NNDR 1989 reg 9: its choice, either way)."""

    CREDIT_LATER_LIABILITY = "credit_later_liability"  # against the same tax, same or later year; rest repaid
    REFUND = "refund"  # repaid in full


@dataclass(frozen=True)
class BillingRules:
    """The configurable rules billing applies when raising debts and allocating money."""

    minimum_charge_pence: Pence = 1000  # NELC 5.6: no invoices under £10 unless legally obliged
    require_full_name_and_postcode: bool = True  # Derby 5.1: first names, not initials; address with postcode
    settlement_days: Mapping[DebtType, int] = field(default_factory=dict)
    default_settlement_days: int = 30  # Derby sundry: due 30 days from liability (NELC uses 14)
    council_tax_instalments: int = 10
    instalment_rounding_pence: Pence = 100  # whole pounds, odd pounds and pence on the first instalment
    hierarchy_overrides: Mapping[DebtType, HierarchyClass] = field(default_factory=dict)
    arrears_year_order: ArrearsYearOrder = ArrearsYearOrder.OLDEST_FIRST
    late_payment: Mapping[DebtType, LatePaymentTerms] = field(default_factory=dict)
    local_tax_overpayment: LocalTaxOverpayment = LocalTaxOverpayment.CREDIT_LATER_LIABILITY
    bank_of_england_base_rate: BaseRateTable = field(default_factory=BaseRateTable)

    def settlement_days_for(self, debt_type: DebtType) -> int:
        """Days from liability to the due date of a single-payment debt of this type."""
        return self.settlement_days.get(debt_type, self.default_settlement_days)

    def late_payment_terms_for(self, debt_type: DebtType) -> LatePaymentTerms | None:
        """The interest and fee terms configured for this type, or None where the council charges neither."""
        return self.late_payment.get(debt_type)


def _money(value: Any) -> Pence:
    return pounds_to_pence(str(value))


def _debt_type(raw: str) -> DebtType:
    parsed = parse_debt_type(raw)
    if parsed is None:
        raise ValueError(f"unknown debt type in billing rules: {raw!r}")
    return parsed


def billing_rules_from_mapping(config: Mapping[str, Any]) -> BillingRules:
    """Build BillingRules from an already-parsed mapping (money in pounds as strings, e.g. '10.00')."""
    defaults = BillingRules()
    late_payment: dict[DebtType, LatePaymentTerms] = {}
    for raw_type, terms in (config.get("late_payment") or {}).items():
        debt_type = _debt_type(raw_type)
        if is_regulated(debt_type):
            raise ValueError(
                f"{debt_type.value} is regulated by statute: no contractual interest or late fees"
            )
        late_payment[debt_type] = LatePaymentTerms(
            late_payment_act=bool(terms.get("late_payment_act", False)),
            annual_interest_percent=Decimal(str(terms.get("annual_interest_percent", "0"))),
            late_fee_pence=_money(terms.get("late_fee", "0")),
            fee_after_days=int(terms.get("fee_after_days", 0)),
            day_count_basis=int(terms.get("day_count_basis", 365)),
        )
    base_rates = base_rate_table_from_mapping(config.get("bank_of_england_base_rate") or {})
    if any(t.late_payment_act for t in late_payment.values()) and not base_rates.changes:
        raise ValueError(
            "statutory interest needs the Bank of England base rate table (bank_of_england_base_rate)"
        )
    instalments = int(config.get("council_tax_instalments", defaults.council_tax_instalments))
    if instalments not in (10, 12):
        raise ValueError("council tax is billed in 10 or 12 monthly instalments")
    return BillingRules(
        minimum_charge_pence=_money(config["minimum_charge"])
        if "minimum_charge" in config
        else defaults.minimum_charge_pence,
        require_full_name_and_postcode=bool(
            config.get("require_full_name_and_postcode", defaults.require_full_name_and_postcode)
        ),
        settlement_days={_debt_type(k): int(v) for k, v in (config.get("settlement_days") or {}).items()},
        default_settlement_days=int(config.get("default_settlement_days", defaults.default_settlement_days)),
        council_tax_instalments=instalments,
        instalment_rounding_pence=_money(config["instalment_rounding"])
        if "instalment_rounding" in config
        else defaults.instalment_rounding_pence,
        hierarchy_overrides={
            _debt_type(k): HierarchyClass[str(v).upper()] for k, v in (config.get("hierarchy") or {}).items()
        },
        arrears_year_order=ArrearsYearOrder(config.get("arrears_year_order", defaults.arrears_year_order)),
        late_payment=late_payment,
        bank_of_england_base_rate=base_rates,
        local_tax_overpayment=LocalTaxOverpayment(
            config.get("local_tax_overpayment", defaults.local_tax_overpayment)
        ),
    )


def billing_rules_from_yaml(text: str) -> BillingRules:
    """Parse a council's billing rules from YAML text (an empty document gives the defaults)."""
    return billing_rules_from_mapping(yaml.safe_load(text) or {})


DEFAULT_RULES_PATH = Path(__file__).with_name("default_billing_rules.yaml")
"""The shipped example configuration: the DOMAIN.md defaults with Derby-style sundry late payment terms."""
