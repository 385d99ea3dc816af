"""A council's management information policy: bad debt provision percentages per age band, directorates (by
cost centre and debt type) with their budget holders, and the monthly review's thresholds and deadline. Read from
YAML (`default_policy.yaml`, one entry per council)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from services.billing.domain.aged_debt import AgeBand
from shared.debt_types import REGULATED_DEBT_TYPES, DebtType

DEFAULT_POLICY_PATH = Path(__file__).with_name("default_policy.yaml")
UNASSIGNED = "unassigned"
"""The directorate of a debt billing has no configured owner for (never guessed)."""
BUDGET_HOLDER_ROLE_PREFIX = "budget_holder_"
"""Every budget holder role is named `budget_holder_<directorate>` (RBWM's `budget_holder_operations`), so the
officers' workbench knows a budget holder when they sign in without a copy of this policy."""


@dataclass(frozen=True)
class Directorate:
    """Who owns debts for management reporting: the cost centres and debt types mapped to it, its budget holder
    (whom the monthly review lists the debts to) and the role that may record the budget holder's decision."""

    name: str
    budget_holder: str
    budget_holder_role: str | None = None
    debt_types: frozenset[DebtType] = frozenset()
    income_codes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ReviewPolicy:
    """The monthly budget-holder review: debts of these types more than these days past due are listed (Sundry
    10.1-10.2), and the decision is due within so many working days of the listing (NELC 5.21).

    By default every type but council tax and business rates: the review is of sundry and accounts receivable
    debt (Sundry 10 is the sundry debt policy's, NELC 5.20 the accounts receivable strategy's), and the regulated
    taxes have no budget holder, their recovery being fixed by statute (DOMAIN.md 4)."""

    listed_over_days: tuple[int, ...] = (90, 120)
    decide_within_working_days: int = 10
    debt_types: frozenset[DebtType] = frozenset(DebtType) - REGULATED_DEBT_TYPES

    @property
    def listing_threshold(self) -> int:
        """The smallest age that puts a debt on the review."""
        return min(self.listed_over_days)

    def over_days(self, days_past_due: int) -> int:
        """The highest threshold a debt `days_past_due` old is over (90 or 120 by default)."""
        return max(t for t in self.listed_over_days if days_past_due > t)


@dataclass(frozen=True)
class ManagementInformationPolicy:
    """One council's management information settings."""

    council: str
    provision_percent: Mapping[AgeBand, Decimal]
    directorates: tuple[Directorate, ...] = ()
    review: ReviewPolicy = field(default_factory=ReviewPolicy)

    def directorate_named(self, name: str) -> Directorate | None:
        """The configured directorate of that name, if any."""
        return next((d for d in self.directorates if d.name == name), None)


def _percent(band: AgeBand, raw: Any) -> Decimal:
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        raise ValueError(f"bad debt provision for {band.value}: {raw!r} is not a percentage") from None
    if not Decimal(0) <= value <= Decimal(100):
        raise ValueError(f"bad debt provision for {band.value}: {value}% is not between 0 and 100")
    return value


def _directorate(raw: Mapping[str, Any]) -> Directorate:
    name = str(raw.get("name") or "").strip()
    if not name or name == UNASSIGNED:
        raise ValueError(f"a directorate needs a name other than {UNASSIGNED!r}: {raw!r}")
    try:
        types = frozenset(DebtType(t) for t in raw.get("debt_types") or ())
    except ValueError as error:
        raise ValueError(f"directorate {name}: {error}") from None
    role = str(raw["budget_holder_role"]) if raw.get("budget_holder_role") else None
    if role is not None and not (
        role.startswith(BUDGET_HOLDER_ROLE_PREFIX) and role != BUDGET_HOLDER_ROLE_PREFIX
    ):
        raise ValueError(
            f"directorate {name}: budget_holder_role {role!r} must be named {BUDGET_HOLDER_ROLE_PREFIX}<directorate>"
        )
    return Directorate(
        name=name,
        budget_holder=str(raw.get("budget_holder") or f"budget holder, {name}"),
        budget_holder_role=role,
        debt_types=types,
        income_codes=frozenset(str(c) for c in raw.get("income_codes") or ()),
    )


def _no_overlaps(directorates: tuple[Directorate, ...]) -> None:
    # A debt type or cost centre mapped to two directorates would make the report guess between them.
    for kind, keys in (("debt type", "debt_types"), ("cost centre", "income_codes")):
        seen: dict[Any, str] = {}
        for directorate in directorates:
            for key in getattr(directorate, keys):
                if key in seen:
                    raise ValueError(f"{kind} {key} is mapped to both {seen[key]} and {directorate.name}")
                seen[key] = directorate.name


def policy_from_mapping(council: str, config: Mapping[str, Any]) -> ManagementInformationPolicy:
    """One council's policy from its parsed YAML entry; refuses (ValueError) anything it cannot apply."""
    percents = config.get("bad_debt_provision_percent") or {}
    unknown = set(map(str, percents)) - {b.value for b in AgeBand}
    if unknown:
        raise ValueError(f"{council}: unknown age bands in bad_debt_provision_percent: {sorted(unknown)}")
    missing = [b.value for b in AgeBand if b.value not in percents]
    if missing:
        raise ValueError(f"{council}: bad_debt_provision_percent needs every age band; missing {missing}")
    review = config.get("review") or {}
    thresholds = tuple(sorted(int(d) for d in review.get("listed_over_days", (90, 120))))
    if not thresholds or thresholds[0] < 0:
        raise ValueError(f"{council}: review.listed_over_days needs at least one age in days")
    try:
        types = (
            frozenset(DebtType(t) for t in review["debt_types"])
            if "debt_types" in review
            else ReviewPolicy.debt_types
        )
    except ValueError as error:
        raise ValueError(f"{council}: review.debt_types: {error}") from None
    directorates = tuple(_directorate(d) for d in config.get("directorates") or ())
    _no_overlaps(directorates)
    return ManagementInformationPolicy(
        council=council,
        provision_percent={b: _percent(b, percents[b.value]) for b in AgeBand},
        directorates=directorates,
        review=ReviewPolicy(thresholds, int(review.get("decide_within_working_days", 10)), types),
    )


def policy_from_yaml(text: str, council: str) -> ManagementInformationPolicy:
    """The named council's policy from the policy file's YAML text."""
    councils = (yaml.safe_load(text) or {}).get("councils") or {}
    if council not in councils:
        raise ValueError(f"the management information policy has no council {council!r}: {sorted(councils)}")
    return policy_from_mapping(council, councils[council] or {})
