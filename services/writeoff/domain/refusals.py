"""Why the write-off service says no.

Every refusal carries a code a machine can act on and words a person can read.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RefusalCode(StrEnum):
    """The distinct reasons a write-off request, signature or committee decision is refused."""

    # A request for write-off.
    REASON_UNKNOWN = "reason_unknown"
    REASON_NOT_FOR_DEBT_TYPE = "reason_not_for_debt_type"
    WRITTEN_REPORT_REQUIRED = "written_report_required"
    EVIDENCE_MISSING = "evidence_missing"
    AMOUNT_NOT_POSITIVE = "amount_not_positive"
    AMOUNT_EXCEEDS_BALANCE = "amount_exceeds_balance"
    DEBT_ON_HOLD = "debt_on_hold"
    DEBT_IN_BREATHING_SPACE = "debt_in_breathing_space"
    OPEN_AGENT_PLACEMENT = "open_agent_placement"
    REQUESTER_MISSING = "requester_missing"
    ALREADY_REQUESTED = "already_requested"
    NO_BAND_TABLE_FOR_DEBT_TYPE = "no_band_table_for_debt_type"
    # A formal insolvency write-off: only the debt owed up to the date of the order (Derby App.1 §7).
    INSOLVENCY_ORDER_DATE_REQUIRED = "insolvency_order_date_required"
    OWED_AT_ORDER_DATE_REQUIRED = "owed_at_order_date_required"
    BEYOND_DEBT_AT_ORDER_DATE = "beyond_debt_at_order_date"
    INSOLVENCY_ORDER_IN_FUTURE = "insolvency_order_in_future"
    DEBT_RAISED_AFTER_ORDER = "debt_raised_after_order"
    # A signature or a committee decision on a schedule.
    IDENTITY_MISSING = "identity_missing"
    BEYOND_BAND = "beyond_band"
    COMMITTEE_DECISION_REQUIRED = "committee_decision_required"
    NOT_A_COMMITTEE_OF_THIS_TABLE = "not_a_committee_of_this_table"
    MEETING_REFERENCE_MISSING = "meeting_reference_missing"
    SELF_APPROVAL = "self_approval"
    DECLARED_INTEREST = "declared_interest"
    NO_INTEREST_STATEMENT_MISSING = "no_interest_statement_missing"
    SCHEDULE_CHANGED = "schedule_changed"
    REJECTION_OF_UNKNOWN_LINE = "rejection_of_unknown_line"
    REJECTION_REASON_MISSING = "rejection_reason_missing"
    LINE_NOW_BLOCKED = "line_now_blocked"
    SCHEDULE_NOT_AWAITING_DECISION = "schedule_not_awaiting_decision"
    OTHER_COUNCIL = "other_council"
    # Amending a schedule before its decision.
    LINE_NOT_ON_SCHEDULE = "line_not_on_schedule"
    REMOVAL_REASON_MISSING = "removal_reason_missing"
    # The independent panel an "other" reason needs (Derby App.1 §8).
    PANEL_FINDING_REQUIRED = "panel_finding_required"
    PANEL_DID_NOT_RECOMMEND = "panel_did_not_recommend"
    PANEL_NOT_REQUIRED = "panel_not_required"
    PANEL_NOT_IDENTIFIED = "panel_not_identified"
    PANEL_DATE_IN_FUTURE = "panel_date_in_future"
    PANEL_FINDING_ALREADY_RECORDED = "panel_finding_already_recorded"
    # After the panel, an "other" reason's final approval is for the officers the policy names (Derby App.1 §8).
    OTHER_REASON_APPROVED_BY_NAMED_OFFICERS = "other_reason_approved_by_named_officers"
    # The approver's own decision on a line.
    REJECTED_BY_APPROVER = "rejected_by_approver"


@dataclass(frozen=True, slots=True)
class Refusal:
    """One reason for saying no; ``request_id`` names the schedule line concerned, when there is one."""

    code: RefusalCode
    message: str
    request_id: str | None = None
