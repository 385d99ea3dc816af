"""The recovery service: recovery cases, timetables, notices, holds, arrangements and escalation.

At start-up every policy file is loaded and checked, and the configured council's policies are the ones in force
(`RECOVERY_COUNCIL`, default derby); an inconsistent file refuses start-up with `file:line: reason`.
"""

from fastapi import FastAPI

from services.recovery.council_policies import load_council_policies
from services.recovery.settings import RecoverySettings
from shared.contracts.recovery import (
    ArrangementDefaulted,
    ArrangementMade,
    CaseClosed,
    CaseReferred,
    CostsReversed,
    DailyRunCompleted,
    HoldApplied,
    HoldLifted,
    NoticeIssued,
    RecallRequested,
    RecoveryConfirmedHold,
    StageAdvanced,
    WriteOffRequested,
)
from shared.runtime import ServiceRuntime

recovery_settings = RecoverySettings()
policies = load_council_policies(recovery_settings)

runtime = ServiceRuntime(
    "recovery",
    description="Per-debt-type recovery timetables, notices, holds and pauses, arrangements, escalation.",
)
runtime.document_publication(
    StageAdvanced,
    NoticeIssued,
    CaseReferred,
    RecallRequested,
    HoldApplied,
    HoldLifted,
    ArrangementMade,
    ArrangementDefaulted,
    WriteOffRequested,
    CaseClosed,
    CostsReversed,
    RecoveryConfirmedHold,
    DailyRunCompleted,
)
runtime.http_app = FastAPI(
    title="Recovery",
    description="Recovery cases and their record; holds, arrangements and circumstances recorded by officers.",
)

# Each module registers its handlers (and HTTP routes) on the runtime.
from services.recovery import (  # noqa: E402,F401
    agent_returns,
    arrangement_defaults,
    breathing_space,
    cases,
    daily_run,
    http,
)
