"""Which of the workbench's actions an officer's roles allow. The services decide (every route checks the
token's roles); this table only hides the buttons an officer could not use, so it follows the services'
`requires(...)` on the routes each action calls."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

REVENUES = "revenues_officer"
SENIOR = "senior_officer"
BREATHING_SPACE = "breathing_space_officer"
AGENTS = "agents_officer"
AUDITOR = "auditor"
OPERATIONS = "operations"

WORKBENCH_ROLES: frozenset[str] = frozenset({REVENUES, SENIOR, BREATHING_SPACE, AGENTS, AUDITOR, OPERATIONS})
"""The council's officers who open the workbench's pages (the auditor reads, and acts on nothing)."""

BUDGET_HOLDER_ROLE_PREFIX = "budget_holder_"
"""How a council's budget holder roles are named (billing's management information policy refuses any other
name for a directorate's `budget_holder_role`), e.g. RBWM's `budget_holder_operations`."""
BUDGET_HOLDER = BUDGET_HOLDER_ROLE_PREFIX + "*"
"""Any budget holder role, as the table below names it: which directorates a role owns is billing's policy."""


def budget_holder_roles_in(roles: Iterable[str]) -> frozenset[str]:
    """The budget holder roles among `roles` (`budget_holder_<directorate>`)."""
    return frozenset(
        r
        for r in roles
        if r.startswith(BUDGET_HOLDER_ROLE_PREFIX) and len(r) > len(BUDGET_HOLDER_ROLE_PREFIX)
    )


def _with_budget_holder(roles: Iterable[str]) -> frozenset[str]:
    held = frozenset(roles)
    return held | {BUDGET_HOLDER} if budget_holder_roles_in(held) else held


class Action(StrEnum):
    """Something an officer does from the workbench, each by one service route."""

    RECORD_CONTACT = "record a contact"
    APPLY_HOLD = "apply a hold"
    LIFT_HOLD = "lift a hold"
    MAKE_ARRANGEMENT = "make an arrangement"
    RECORD_COUNTER_PAYMENT = "record a counter payment"
    AUTHORISE_REFUND = "authorise a refund"
    DECIDE_CUSTOMER_MATCH = "confirm or reject a customer match"
    DECIDE_BREATHING_SPACE_MATCH = "confirm or reject a breathing space match"
    REQUEST_WRITE_OFF = "request a write-off"
    DECIDE_EXHAUSTED_CASE = "decide on a case whose timetable is exhausted"
    RESOLVE_QUARANTINED_FILE = "resolve a quarantined agent file"
    DECIDE_REFUSED_PLACEMENT = "redirect or return a referral no agent may take"
    SETTLE_DEAD_LETTER = "replay or discard a dead letter"
    DECIDE_BUDGET_HOLDER_REVIEW = "record the decision on a debt in the budget-holder review"
    LIST_BUDGET_HOLDER_REVIEW = "list this month's debts for the budget-holder review"


ROLES_FOR: dict[Action, frozenset[str]] = {
    Action.RECORD_CONTACT: frozenset({REVENUES, SENIOR}),
    Action.APPLY_HOLD: frozenset({REVENUES, SENIOR}),
    Action.LIFT_HOLD: frozenset({REVENUES, SENIOR}),
    Action.MAKE_ARRANGEMENT: frozenset({REVENUES, SENIOR}),
    Action.RECORD_COUNTER_PAYMENT: frozenset({REVENUES, SENIOR}),
    # Refunds pay council money out: a senior officer authorises them.
    Action.AUTHORISE_REFUND: frozenset({SENIOR}),
    Action.DECIDE_CUSTOMER_MATCH: frozenset({REVENUES, SENIOR}),
    Action.DECIDE_BREATHING_SPACE_MATCH: frozenset({BREATHING_SPACE}),
    Action.REQUEST_WRITE_OFF: frozenset({REVENUES, SENIOR}),
    # Recovery's `POST /cases/{id}/exhausted-decision` (issue 19).
    Action.DECIDE_EXHAUSTED_CASE: frozenset({REVENUES, SENIOR}),
    Action.RESOLVE_QUARANTINED_FILE: frozenset({AGENTS}),
    Action.DECIDE_REFUSED_PLACEMENT: frozenset({AGENTS}),
    # The services' dead-letter routes: replay and discard are the operations team's (auditors only read).
    Action.SETTLE_DEAD_LETTER: frozenset({OPERATIONS}),
    # Billing's management information: a decision on the monthly review by a senior officer or a budget
    # holder (billing refuses one for another directorate's debt, which it does not show them anyway); listing
    # the month's debts by a senior officer or operations, who run the monthly listing as they run the daily
    # runs, and see only how many were listed, never the debts (the README's "Operations and the review").
    Action.DECIDE_BUDGET_HOLDER_REVIEW: frozenset({SENIOR, BUDGET_HOLDER}),
    Action.LIST_BUDGET_HOLDER_REVIEW: frozenset({SENIOR, OPERATIONS}),
}

MANAGEMENT_INFORMATION_READERS: frozenset[str] = frozenset({REVENUES, SENIOR, AUDITOR})
"""Who reads all of billing's management information among the workbench's people (billing's MI readers)."""


def may_use_workbench(roles: Iterable[str]) -> bool:
    """Whether the person holds any role the workbench serves: an officer's, or a budget holder's."""
    return not WORKBENCH_ROLES.isdisjoint(roles) or bool(budget_holder_roles_in(roles))


def is_budget_holder_only(roles: Iterable[str]) -> bool:
    """A budget holder with no officer's role: the workbench shows them the budget-holder review alone (their
    own directorate's debts, as billing scopes it, Sundry 10.1), nothing of any customer's account."""
    held = frozenset(roles)
    return WORKBENCH_ROLES.isdisjoint(held) and bool(budget_holder_roles_in(held))


def may_read_management_information(roles: Iterable[str]) -> bool:
    """Whether the person reads the management information pages (the KPIs, aged debt, the provision and
    every directorate's review)."""
    return not MANAGEMENT_INFORMATION_READERS.isdisjoint(roles)


def may_read_budget_holder_review(roles: Iterable[str]) -> bool:
    """Whether the person reads the budget-holder review: the management information readers, and a budget
    holder (billing shows them their own directorate's debts only)."""
    return may_read_management_information(roles) or bool(budget_holder_roles_in(roles))


def actions_allowed(roles: Iterable[str]) -> frozenset[Action]:
    """The actions these roles allow."""
    held = _with_budget_holder(roles)
    return frozenset(action for action, allowed in ROLES_FOR.items() if not allowed.isdisjoint(held))
