"""The bad debt provision (Sundry 10.4: calculated annually under the CIPFA Code "based on the age of the
debt"): a configured percentage of what is unpaid in each age band, per debt type.

Rounding rule: the provision is integer pence, computed once per debt type and age band (the band's unpaid total
times its percentage, rounded half up to the penny, `shared.money.percentage_of`); every total is the sum of
those rounded cells, so the report always adds up. Per-debt rounding is not used: it would make the provision
depend on how the debt is split into debts and lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from services.billing.domain.aged_debt import AgeBand
from services.billing.management_information.directorates import (
    UnpaidByCostCentre,
    aged_debt_by_directorate,
)
from services.billing.management_information.policy import ManagementInformationPolicy
from shared.debt_types import DebtType
from shared.money import Pence, percentage_of


@dataclass(frozen=True)
class ProvisionRow:
    """One debt type: unpaid and provided for, by age band."""

    debt_type: DebtType
    unpaid: dict[AgeBand, Pence]
    provision: dict[AgeBand, Pence]

    @property
    def unpaid_pence(self) -> Pence:
        """Everything unpaid on the debt type."""
        return sum(self.unpaid.values())

    @property
    def provision_pence(self) -> Pence:
        """The provision for the debt type: the sum of its rounded bands."""
        return sum(self.provision.values())


@dataclass(frozen=True)
class BadDebtProvision:
    """The provision as at `as_of` with the percentages it used."""

    as_of: date
    council: str
    percent: dict[AgeBand, Decimal]
    rows: tuple[ProvisionRow, ...]

    @property
    def unpaid_pence(self) -> Pence:
        """Everything unpaid."""
        return sum(r.unpaid_pence for r in self.rows)

    @property
    def provision_pence(self) -> Pence:
        """The whole provision."""
        return sum(r.provision_pence for r in self.rows)


def bad_debt_provision(
    items: Iterable[UnpaidByCostCentre], policy: ManagementInformationPolicy, as_of: date
) -> BadDebtProvision:
    """The provision for every unpaid amount by its age on `as_of`, with the council's percentages."""
    by_type: dict[DebtType, dict[AgeBand, Pence]] = {}
    for row in aged_debt_by_directorate(items, policy, as_of).rows:
        unpaid = by_type.setdefault(row.debt_type, dict.fromkeys(AgeBand, 0))
        for band, pence in row.bands.items():
            unpaid[band] += pence
    percent = dict(policy.provision_percent)
    rows = tuple(
        ProvisionRow(
            debt_type,
            unpaid,
            {band: percentage_of(pence, percent[band]) for band, pence in unpaid.items()},
        )
        for debt_type, unpaid in sorted(by_type.items(), key=lambda kv: list(DebtType).index(kv[0]))
    )
    return BadDebtProvision(as_of, policy.council, percent, rows)
