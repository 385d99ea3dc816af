"""The single view of a customer: billing's debts (what is owed and paid) joined to recovery's cases (where
each debt stands, its holds and its record), so the officer reads one debt with its recovery beside it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from services.workbench.domain.wording import BREATHING_SPACE_HOLDS


def active_holds(case: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The case's holds that have not been lifted."""
    if not case:
        return []
    return [hold for hold in case.get("holds", []) if not hold.get("lifted_on")]


@dataclass(frozen=True)
class DebtWithCase:
    """One debt as billing has it, and its recovery case (None when recovery has none)."""

    debt: dict[str, Any]
    case: dict[str, Any] | None

    @property
    def case_id(self) -> str | None:
        """The recovery case's id."""
        return str(self.case["case"]["case_id"]) if self.case else None

    @property
    def holds(self) -> list[dict[str, Any]]:
        """Holds in force on the case."""
        return active_holds(self.case)

    @property
    def in_breathing_space(self) -> bool:
        """Whether a breathing space (standard or mental health crisis) holds the case now."""
        return any(hold.get("kind") in BREATHING_SPACE_HOLDS for hold in self.holds)

    @property
    def next_step(self) -> tuple[str, str | None] | None:
        """Recovery's next step and the date it may be taken from."""
        row = self.case["case"] if self.case else None
        if not row or not row.get("next_step_name"):
            return None
        return str(row["next_step_name"]), row.get("next_step_eligible_from")


@dataclass(frozen=True)
class SingleView:
    """Everything the council knows of one customer, across billing and recovery."""

    customer: dict[str, Any]
    debts: list[DebtWithCase]
    other_cases: list[dict[str, Any]] = field(default_factory=list)
    """Recovery cases of the customer whose debt billing did not list (e.g. a debt moved by a match)."""
    circumstances: list[dict[str, Any]] = field(default_factory=list)

    @property
    def owed_pence(self) -> int:
        """The sum of the debts' balances."""
        return sum(int(d.debt.get("balance_pence") or 0) for d in self.debts)

    @property
    def cases(self) -> list[dict[str, Any]]:
        """Every recovery case of the customer."""
        return [d.case for d in self.debts if d.case] + self.other_cases

    @property
    def contacts(self) -> list[dict[str, Any]]:
        """Every contact on any of the customer's cases, newest first."""
        seen: dict[str, dict[str, Any]] = {}
        for case in self.cases:
            for contact in case.get("contacts", []):
                seen.setdefault(str(contact.get("contact_id")), contact)
        return sorted(seen.values(), key=lambda c: str(c.get("contacted_on", "")), reverse=True)

    @property
    def breathing_space_holds(self) -> list[dict[str, Any]]:
        """Breathing space holds in force on any of the customer's cases (one per moratorium reference)."""
        found: dict[str, dict[str, Any]] = {}
        for case in self.cases:
            for hold in active_holds(case):
                if hold.get("kind") in BREATHING_SPACE_HOLDS:
                    found.setdefault(str(hold.get("reference") or hold.get("hold_id")), hold)
        return list(found.values())

    @property
    def open_case_ids(self) -> list[str]:
        """The customer's open cases (an arrangement may combine them)."""
        return [str(c["case"]["case_id"]) for c in self.cases if c["case"].get("status") == "open"]


def single_view(customer: dict[str, Any], recovery: dict[str, Any] | None) -> SingleView:
    """Join billing's customer (with its debts) to recovery's cases of that customer, by debt id."""
    cases = list((recovery or {}).get("cases", []))
    by_debt = {str(case["case"]["debt_id"]): case for case in cases}
    debts = [
        DebtWithCase(debt, by_debt.pop(str(debt.get("debt_id")), None)) for debt in customer.get("debts", [])
    ]
    return SingleView(
        customer=customer,
        debts=debts,
        other_cases=list(by_debt.values()),
        circumstances=list((recovery or {}).get("circumstances", [])),
    )
