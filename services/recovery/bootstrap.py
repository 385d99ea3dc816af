"""The recovery service put together: settings, the council's policies (every policy file checked; an inconsistent
one refuses start-up with `file:line: reason`), the runtime with every inbox router, the daily-run worker, and the
officers' HTTP app. Nothing is built at import: two `bootstrap()` calls with different settings are two services."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from services.recovery import (
    agent_returns,
    arrangement_defaults,
    benefit_deductions,
    breathing_space,
    cases,
    daily_run,
    http,
    http_court_results,
    http_exhausted_cases,
    http_holds_due,
    http_post_order,
    letters_http,
    proof_of_debt,
)
from services.recovery.council_policies import NO_RECOVERY_ROUTE, load_council_policies
from services.recovery.court_results_files import court_results_folder_worker
from services.recovery.daily_run_schedule import DailyRunScheduleSettings, daily_run_scheduler
from services.recovery.recovery import Recovery
from services.recovery.settings import RecoverySettings
from services.recovery.stores import RecoveryStores
from services.recovery.stores.exhausted_cases import AWAITING_DECISION
from shared.clock import clock
from shared.contracts.benefits import BenefitDeductionRequested, BenefitDeductionSuspensionRequested
from shared.contracts.proof_of_debt import ProofOfDebtRequested
from shared.contracts.recovery import (
    ArrangementDefaulted,
    ArrangementMade,
    CaseClosed,
    CaseReferred,
    CostsReversed,
    DailyRunCompleted,
    EnforcementChosen,
    HoldApplied,
    HoldLifted,
    NoticeIssued,
    RecallRequested,
    RecoveryConfirmedHold,
    StageAdvanced,
    WriteOffRequested,
)
from shared.runtime import ServiceRuntime
from shared.settings import PlatformSettings

INBOX_ROUTERS = (
    cases.router,
    breathing_space.router,
    agent_returns.router,
    arrangement_defaults.router,
    daily_run.router,
    proof_of_debt.router,  # the originating service's answers to proof of debt requests (issue 20)
    benefit_deductions.router,  # the benefits system's answers for housing benefit overpayments (NELC 7.2)
)


def bootstrap(
    settings: RecoverySettings | None = None,
    *,
    platform: PlatformSettings | None = None,
    **overrides: Any,
) -> Recovery:
    """Build one recovery service. `overrides` are RecoverySettings fields (e.g. `council="nelc"`); `platform`
    the broker, database and HTTP settings (default: from the environment). Raises PolicyFileError when a policy
    file is inconsistent or the council has none."""
    settings = settings or RecoverySettings(**overrides)
    policies = load_council_policies(settings)
    runtime = ServiceRuntime(
        "recovery",
        description="Per-debt-type recovery timetables, notices, holds and pauses, arrangements, escalation.",
        settings=platform,
    )
    runtime.document_publication(
        StageAdvanced,
        EnforcementChosen,
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
        ProofOfDebtRequested,
        BenefitDeductionRequested,
        BenefitDeductionSuspensionRequested,
    )
    service = Recovery(settings=settings, policies=policies, runtime=runtime, clock=clock)
    # Work waiting for officers, on /metrics: quarantined court results files and holds past their review date.
    runtime.watch_tray(
        "court_results_files_quarantined",
        "SELECT count(*), coalesce(extract(epoch FROM now() - min(received_at)), 0) "
        "FROM recovery.court_results_file WHERE status = 'quarantined'",
    )
    # Cases with no recovery route for their debt type (the policy file's `no_route` reason is on each record),
    # still open and with no step: an officer decides each one.
    runtime.watch_tray(
        "cases_without_recovery_route",
        "SELECT count(*), coalesce(extract(epoch FROM now() - min(c.opened_at)), 0) FROM recovery.recovery_case c "
        "WHERE c.status = 'open' AND c.next_step_name IS NULL AND EXISTS (SELECT 1 FROM recovery.case_record r "
        f"WHERE r.case_id = c.case_id AND r.entry = '{NO_RECOVERY_ROUTE}')",
    )
    runtime.watch_tray(
        "holds_due_for_review",
        "SELECT count(*), coalesce(extract(epoch FROM now() - min(h.review_on::timestamptz)), 0) "
        "FROM recovery.hold h WHERE h.review_on <= current_date "
        "AND NOT EXISTS (SELECT 1 FROM recovery.hold_lift l WHERE l.hold_id = h.hold_id) "
        "AND (h.ends_on IS NULL OR h.ends_on >= current_date)",
    )
    # The officers' decision tray (issue 19): an exhausted timetable, an agent's insolvency return, a refused
    # write-off; the oldest age counts from the day the case became due for a decision.
    runtime.watch_tray(
        "cases_awaiting_decision",
        "SELECT count(*), coalesce(extract(epoch FROM now() - min(c.awaiting_decision_since::timestamptz)), 0) "
        f"FROM recovery.recovery_case c WHERE {AWAITING_DECISION} AND c.awaiting_decision_since <= current_date",
    )
    for router in INBOX_ROUTERS:
        runtime.include(router, stores=RecoveryStores.on, service=service)

    async def daily_run_worker(_: ServiceRuntime) -> None:
        await daily_run.daily_run_worker(service)

    runtime.background.append(daily_run_worker)
    if (folder := settings.court_results_folder) is not None:

        async def court_results_folder(_: ServiceRuntime) -> None:
            await court_results_folder_worker(service, folder, settings.court_results_poll_seconds)

        runtime.background.append(court_results_folder)
    schedule_settings = DailyRunScheduleSettings()
    if schedule_settings.daily_run_at is not None:

        async def scheduled_daily_runs(_: ServiceRuntime) -> None:
            await daily_run_scheduler(service, schedule_settings)

        runtime.background.append(scheduled_daily_runs)
    app = FastAPI(
        title="Recovery",
        description="Recovery cases and their record; holds, arrangements and circumstances recorded by officers.",
    )
    app.state.service = service
    app.include_router(http_exhausted_cases.router)  # exhausted timetables (issue 19); before /cases/{id}
    app.include_router(http.router)
    app.include_router(http_court_results.router)
    app.include_router(http_post_order.router)  # enforcement after the order (issue 20)
    app.include_router(letters_http.router)  # letters as posted (issue 16)
    app.include_router(http_holds_due.router)  # holds due for review across cases (the workbench's tray)
    runtime.http_app = app
    return service
