"""What an agent holding a placed debt may do while a breathing space covers it: the hold's scope on a placement.

The Debt Respite Scheme (Breathing Space Moratorium and Mental Health Crisis Moratorium) (England and Wales)
Regulations 2020 protect the **moratorium debts**: the qualifying debts owed at the date of the application
(reg 6), with debts the creditor's search finds and debts added later. While the moratorium lasts no creditor,
nor an agent acting for one, may take enforcement action or contact the debtor to ask for payment of a moratorium
debt, nor add interest, fees or charges to it (reg 7). Sums falling due after the start for the period after it
(council tax, business rates or rent instalments) are **ongoing liabilities**: reg 7 does not protect them, and
the creditor guidance lets the creditor keep asking for and collecting them.

What that means for a placement (decided here once; `breathing_space_holds.py` applies it):

- A placement is of arrears: what the agent was instructed to collect had fallen due when the case was placed.
  An enforcement agent's authority is a liability order, warrant or judgment for sums already owed when it was
  made (Council Tax (Administration and Enforcement) Regulations 1992 reg 34; Non-Domestic Rating
  (Collection and Enforcement) (Local Lists) Regulations 1989 reg 12), so it never reaches an instalment falling due in the moratorium. The placed sum is therefore a
  moratorium debt, and **enforcement of the placed debt stops entirely** (reg 7) whatever the debt's scope
  says: no visit, no taking control of goods, no fee (fees inside a breathing space stay refused,
  `enforcement_fees.py`).
- Only where the placed balance still carries sums of the debt's schedule that fall due after the protected day
  (the hold's `ongoing_liabilities_pence`, which, payments going to the earliest instalments first (Derby 6),
  are the last of the balance to be paid) is any part of the placement an ongoing liability. What the agent may
  do about that part is the council's choice (`OngoingLiabilitiesOnPlacedDebts`, in the agent registry):
  by default, as the creditor guidance expects of agents, nothing (ongoing liabilities are normally not placed;
  the council collects them itself); a council may instead let the agent ask for and take payment of those sums
  only, never by an enforcement step.

The hold the agent is sent says all this: the moratorium amount it must stop on, any ongoing liabilities with
their first due date, and what it may do about them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from services.agents_gateway.domain.records import OngoingLiabilitiesAction


class OngoingLiabilitiesOnPlacedDebts(StrEnum):
    """A council's policy for the ongoing liabilities within a placed debt while a breathing space covers it."""

    STOPPED = "stopped"
    """The agent does nothing on the case until the hold is lifted (the guidance's default: the placed debt is a
    moratorium debt, ongoing liabilities are collected by the council)."""
    COLLECTION_WITHOUT_ENFORCEMENT = "collection_without_enforcement"
    """The agent may contact the debtor about, and take payment of, the ongoing liabilities only (reg 7 does not
    protect them); never an enforcement step, and nothing about the moratorium debt."""


@dataclass(frozen=True)
class DebtScope:
    """What the breathing space protects on one debt (the hold's `HeldDebtScope`, as the gateway needs it)."""

    protected_up_to: date
    ongoing_liabilities_pence: int = 0
    ongoing_from: date | None = None


@dataclass(frozen=True)
class PlacementHoldScope:
    """What a hold on one placed debt tells the agent."""

    moratorium_pence: int
    """Of the placed balance, what is a moratorium debt: no enforcement, no contact about it (reg 7)."""
    ongoing_liabilities_pence: int
    """Of the placed balance, sums falling due after the protected day (not protected by reg 7)."""
    ongoing_liabilities_from: date | None
    ongoing_liabilities_action: OngoingLiabilitiesAction
    protected_up_to: date | None
    """Sums that fell due on or before this day are in the breathing space (None: the whole debt, scope unsaid)."""


def placement_hold_scope(
    placed_balance_pence: int,
    scope: DebtScope | None,
    policy: OngoingLiabilitiesOnPlacedDebts = OngoingLiabilitiesOnPlacedDebts.STOPPED,
) -> PlacementHoldScope:
    """What the agent holding a placed debt of `placed_balance_pence` is told when a breathing space covers it.

    Enforcement of the placed debt always stops (reg 7: the placed sums were owed when placed, so they are
    moratorium debts, reg 6). A hold without a scope (a message from before scope existed) protects the whole
    debt. Only the part of the placed balance that falls due after the protected day is an ongoing liability
    (at most the placed balance); what the agent may do about it is the council's `policy`, by default nothing.
    """
    balance = max(placed_balance_pence, 0)
    if scope is None:
        return PlacementHoldScope(balance, 0, None, OngoingLiabilitiesAction.STOP, None)
    ongoing = min(max(scope.ongoing_liabilities_pence, 0), balance)
    action = (
        OngoingLiabilitiesAction.COLLECT_WITHOUT_ENFORCEMENT
        if ongoing > 0 and policy is OngoingLiabilitiesOnPlacedDebts.COLLECTION_WITHOUT_ENFORCEMENT
        else OngoingLiabilitiesAction.STOP
    )
    return PlacementHoldScope(
        moratorium_pence=balance - ongoing,
        ongoing_liabilities_pence=ongoing,
        ongoing_liabilities_from=scope.ongoing_from if ongoing > 0 else None,
        ongoing_liabilities_action=action,
        protected_up_to=scope.protected_up_to,
    )
