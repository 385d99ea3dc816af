"""The write-off domain: requests, reasons, approval bands, schedules, decisions, reinstatement and reports.

Plain functions and immutable values with no I/O, for the write-off service's wiring to call.
"""

from .amendments import LineTakenOff, take_line_off
from .band_config import (
    BANDS_DIRECTORY,
    BandConfigError,
    council_named,
    load_council_policy,
    load_every_council_policy,
    parse_council_policy,
)
from .bands import ApprovalBand, BandTable, CouncilWriteOffPolicy, NoBandTableForDebtType
from .consideration import consider_request
from .decisions import (
    CommitteeDecision,
    DecisionOutcome,
    LineRejection,
    ScheduleDecision,
    Signature,
    record_committee_decision,
    schedules_awaiting,
    sign_schedule,
)
from .interests import Approver, DeclarationOfInterest, InterestKind
from .panel import PanelFinding, PanelOutcome, panel_refusals, record_panel_finding
from .reasons import (
    OTHER_REASON_CODE,
    REASON_ALIASES,
    ReasonCatalogue,
    WriteOffReason,
    canonical_reason_code,
    default_reason_catalogue,
)
from .refusals import Refusal, RefusalCode
from .reinstatement import (
    NO_LONGER_ENFORCEABLE_REASONS,
    PaymentForConsideration,
    Reinstatement,
    WrittenOffDebt,
    decide_payment_on_written_off_debt,
    no_longer_enforceable,
    reinstate_on_payment,
)
from .reports import (
    ReportRow,
    WriteOffRecord,
    financial_year_of,
    render_csv,
    render_json,
    totals_by_band,
    totals_by_financial_year_and_area,
    totals_by_reason,
)
from .requests import (
    DebtStanding,
    Evidence,
    RequestChannel,
    WriteOffRequest,
    blocking_refusals,
    obstacles_to_write_off,
    validate_request,
)
from .schedule import (
    ScheduleAssemblyError,
    WriteOffSchedule,
    assemble_schedule,
    canonical_serialisation,
    lines_hash,
    required_band,
    schedule_hash,
)
from .statuses import (
    REQUEST_STATUSES_AWAITING_DECISION,
    RequestStatus,
    ScheduleStatus,
    request_awaits_decision,
    schedule_awaits_decision,
)

__all__ = [
    "BANDS_DIRECTORY",
    "NO_LONGER_ENFORCEABLE_REASONS",
    "OTHER_REASON_CODE",
    "REASON_ALIASES",
    "REQUEST_STATUSES_AWAITING_DECISION",
    "ApprovalBand",
    "Approver",
    "BandConfigError",
    "BandTable",
    "CommitteeDecision",
    "CouncilWriteOffPolicy",
    "DebtStanding",
    "DecisionOutcome",
    "DeclarationOfInterest",
    "Evidence",
    "InterestKind",
    "LineRejection",
    "LineTakenOff",
    "NoBandTableForDebtType",
    "PanelFinding",
    "PanelOutcome",
    "PaymentForConsideration",
    "ReasonCatalogue",
    "Refusal",
    "RefusalCode",
    "Reinstatement",
    "ReportRow",
    "RequestChannel",
    "RequestStatus",
    "ScheduleAssemblyError",
    "ScheduleDecision",
    "ScheduleStatus",
    "Signature",
    "WriteOffReason",
    "WriteOffRecord",
    "WriteOffRequest",
    "WriteOffSchedule",
    "WrittenOffDebt",
    "assemble_schedule",
    "blocking_refusals",
    "canonical_reason_code",
    "canonical_serialisation",
    "consider_request",
    "council_named",
    "decide_payment_on_written_off_debt",
    "default_reason_catalogue",
    "financial_year_of",
    "lines_hash",
    "load_council_policy",
    "load_every_council_policy",
    "no_longer_enforceable",
    "obstacles_to_write_off",
    "panel_refusals",
    "parse_council_policy",
    "record_committee_decision",
    "record_panel_finding",
    "reinstate_on_payment",
    "render_csv",
    "render_json",
    "request_awaits_decision",
    "required_band",
    "schedule_awaits_decision",
    "schedule_hash",
    "schedules_awaiting",
    "sign_schedule",
    "take_line_off",
    "totals_by_band",
    "totals_by_financial_year_and_area",
    "totals_by_reason",
    "validate_request",
]
