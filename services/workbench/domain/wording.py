"""The council's words for the values the services send: hold kinds, write-off reasons, contact channels.
Recovery's own enums are the authority (a unit test checks these lists still match them); the workbench keeps
its labels here because it is deployed on its own and imports no service's code."""

from __future__ import annotations

HOLD_KINDS: dict[str, str] = {
    "dispute": "Dispute (the debt or part of it is disputed)",
    "appeal": "Appeal (to a tribunal or the valuation office)",
    "vulnerability": "Vulnerability",
    "hardship_deferral": "Hardship deferral (until an end date)",
    "manual": "Other hold authorised by an officer",
}
"""Holds an officer may apply; breathing space holds come only from the Insolvency Service."""

HOLDS_NEEDING_REVIEW = frozenset({"appeal", "vulnerability", "manual"})
HOLDS_NEEDING_END = frozenset({"hardship_deferral"})

HOLD_KIND_NAMES: dict[str, str] = {
    **{kind: label.split(" (")[0] for kind, label in HOLD_KINDS.items()},
    "breathing_space": "Breathing space",
    "mental_health_crisis_breathing_space": "Mental health crisis breathing space",
}

MORATORIUM_KINDS: dict[str, str] = {
    "standard": "Standard breathing space",
    "mental_health_crisis": "Mental health crisis breathing space",
}
"""Breathing space's kinds of moratorium (the Debt Respite Scheme regulations 2020)."""

BREATHING_SPACE_HOLDS = frozenset({"breathing_space", "mental_health_crisis_breathing_space"})

WRITE_OFF_REASONS: dict[str, str] = {
    "deceased_no_estate": "Deceased with no estate",
    "insolvency": "Insolvency (bankruptcy, liquidation, DRO or IVA)",
    "remitted_by_court": "Remitted by the court",
    "serious_hardship": "Serious hardship",
    "absconded_untraceable": "Absconded or gone away and cannot be traced",
    "outside_jurisdiction": "Outside the jurisdiction",
    "court_refused_order": "The court refused the order",
    "prison_served_in_lieu": "Prison served in lieu",
    "unrecoverable_hb_overpayment": "Unrecoverable housing benefit overpayment",
    "statute_barred": "Statute barred",
    "uneconomic_small_balance": "Small balance, uneconomic to pursue",
    "uneconomic_to_pursue": "Uneconomic to pursue",
    "severe_illness": "Severe illness",
    "legal_advice_not_recoverable": "Legal advice: not recoverable",
    "no_proof_of_debt": "No proof of the debt",
    "other": "Other (explained in the evidence)",
}

INSOLVENCY_WRITE_OFF = "insolvency"
"""The write-off reason that also needs the insolvency order's date and what was owed on that date."""

EXHAUSTED_DECISIONS: dict[str, str] = {
    "write_off": "Write it off",
    "legal_action": "Take legal action",
    "arrangement": "Make an arrangement to pay",
    "cancel": "Cancel recovery",
}
"""What an officer may decide for a case whose timetable has run out (recovery's `ExhaustedDecision`, issue 19)."""

CONTACT_CHANNELS: dict[str, str] = {
    "phone": "Phone",
    "letter": "Letter",
    "email": "Email",
    "visit": "Visit",
    "in_person": "In person at the council",
    "web": "Web form",
}

CONTACT_DIRECTIONS: dict[str, str] = {
    "inbound": "From the resident",
    "outbound": "To the resident",
}

DEBT_TYPES: dict[str, str] = {
    "council_housing_rent": "Council housing rent",
    "temporary_accommodation": "Temporary accommodation",
    "council_tax": "Council tax",
    "business_rates": "Business rates",
    "penalty_charge_notice": "Penalty charge notice (parking)",
    "adult_social_care": "Adult social care",
    "legal_costs": "Legal costs",
    "housing_benefit_overpayment": "Housing benefit overpayment",
    "commercial_property_rent": "Commercial property rent",
    "sundry": "Sundry invoice",
    "staff_and_member_debt": "Staff and member debt",
}


AGE_BANDS: dict[str, str] = {
    "not_yet_due": "Not yet due",
    "0-30": "0 to 30 days",
    "31-60": "31 to 60 days",
    "61-90": "61 to 90 days",
    "91-120": "91 to 120 days",
    "over_120": "Over 120 days",
}
"""The aged-debt report's bands, days past due (billing's `AgeBand`), in their order."""

BUDGET_HOLDER_DECISIONS: dict[str, str] = {
    "continue_recovery": "Continue recovery",
    "write_off_request": "Ask for a write-off",
    "legal_action": "Take legal action",
    "arrangement": "Make an arrangement to pay",
    "cancel": "Cancel it: the invoice was inaccurate (the service that raised it cancels it)",
}
"""What a budget holder decides for a debt on the monthly review (Sundry 10.1, NELC 5.20; billing's
`BudgetHolderDecision`)."""

REVIEW_STATUSES: dict[str, str] = {
    "awaiting_decision": "Awaiting decision",
    "overdue": "Overdue",
    "decided": "Decided",
    "decided_late": "Decided late",
}
"""Where a listed debt's review stands (billing's `ReviewStatus`): overdue once the 10 working days have
passed undecided."""


def named(table: dict[str, str], value: str | None) -> str:
    """The label for a value, or the value itself made readable when the table does not know it."""
    if value is None:
        return ""
    return table.get(value, value.replace("_", " ").capitalize())
