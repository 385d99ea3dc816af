"""The daily recovery run: as of a business date, every open case whose next step is due takes it, once.

`recovery.daily_run.requested` records the run (in the inbox transaction); the run itself is background work in
batches, each its own transaction, so half a million cases never sit in one transaction:

1. one indexed SELECT of open cases with `next_step_eligible_from <= D` (FOR UPDATE SKIP LOCKED, a batch);
2. their steps and holds in two more queries; the domain decides each case in Python;
3. steps, letters, referrals, write-off requests and case-record entries written with unnest, the cases in one
   UPDATE, the events with one outbox insert.

Every case a batch touches either takes its step (and its next one is eligible tomorrow at the earliest: never
two steps in a day) or gets a later date or none, so the loop ends, and a rerun for the same date finds nothing
due and does nothing. The run holds a lock on its `daily_run` row while it works: a replica that dies mid-run
releases it and another finishes the run (what was committed stays done).
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from uuid import UUID

import structlog

from services.recovery.arrangement_defaults import detect_arrangement_defaults
from services.recovery.benefit_deductions import ask_those_never_asked, suspend_those_now_held
from services.recovery.case_state import LoadedCase, load_cases, reschedule
from services.recovery.council_policies import policy_for_case
from services.recovery.domain.case import ArrangementStatus
from services.recovery.domain.debt_types import DebtType
from services.recovery.domain.escalation import CustomerDebtPosition, referral_decision
from services.recovery.domain.exhausted_timetable import awaiting_decision
from services.recovery.domain.policy import PolicyBook
from services.recovery.domain.regulated_case import case_position, case_step
from services.recovery.domain.step_engine import StepStatus
from services.recovery.recovery import Recovery, RecoveryHandling
from services.recovery.step_taking import StepsTaken
from services.recovery.stores import RecoveryStores
from services.recovery.stores.case_record import CaseEntry
from services.recovery.stores.customers import Debtor
from services.recovery.stores.daily_runs import CustomerDebt, RunTotals
from shared.contracts.recovery import DailyRunCompleted, DailyRunRequested
from shared.messaging.inbox_router import InboxRouter
from shared.metrics import DAILY_RUN_SECONDS, DAILY_RUN_WORK

log = structlog.get_logger("recovery.daily_run")
router = InboxRouter[RecoveryStores, Recovery]()


@router.handles(DailyRunRequested)
async def daily_run_requested(request: DailyRunRequested, handling: RecoveryHandling) -> None:
    """Record the run; the background worker advances the cases in batches."""
    assert handling.envelope is not None
    await handling.stores.daily_runs.request(handling.envelope.event_id, request.business_date)


@dataclass
class RunCounts:
    """What a run has done so far, added to by each batch (batches in flight share one)."""

    totals: RunTotals = field(default_factory=RunTotals)

    def add(self, work: StepsTaken, examined: int) -> None:
        """Count what one batch did."""
        t = self.totals
        self.totals = replace(
            t,
            cases_examined=t.cases_examined + examined,
            steps_taken=t.steps_taken + len(work.steps),
            notices_issued=t.notices_issued + len(work.notices),
            referrals=t.referrals + len(work.referrals),
            write_off_requests=t.write_off_requests + len(work.write_off_requests),
        )


def customer_debt_positions(
    rows: list[CustomerDebt], book: PolicyBook, business_date: date
) -> dict[UUID, list[CustomerDebtPosition]]:
    """Every open debt of these customers as the all-debts check before a referral sees it (DOMAIN.md 8)."""
    by_customer: dict[UUID, list[CustomerDebtPosition]] = defaultdict(list)
    for r in rows:
        ready = False
        policy = policy_for_case(book, r.debt_type, r.policy_group)
        if policy is not None and r.next_step_name and r.next_step_eligible_from is not None:
            try:
                step = policy.step_named(r.next_step_name)
                ready = step.is_agent_referral and r.next_step_eligible_from <= business_date
            except KeyError:
                ready = False
        by_customer[r.customer_id].append(
            CustomerDebtPosition(
                case_id=str(r.case_id),
                debt_type=DebtType(r.debt_type),
                balance=r.balance_pence,
                in_breathing_space=r.in_breathing_space,
                arrangement=ArrangementStatus(r.arrangement_status) if r.arrangement_status else None,
                ready_for_referral=ready,
                with_agent=r.with_agent,
            )
        )
    return by_customer


def _decide(
    work: StepsTaken,
    case: LoadedCase,
    debtor: Debtor,
    customer_debts: dict[UUID, list[CustomerDebtPosition]],
    recheck_days: int,
) -> None:
    """One case's share of the run: take the due step, or move the case's date on. A case waiting in the
    officers' decision tray takes no step by itself (issue 19): the officer's decision says what happens next."""
    day = work.business_date
    row = case.row
    if case.policy is None or awaiting_decision(
        row.awaiting_decision_since, row.status, row.arrangement_status
    ):
        work.move(case, None, None)
        return
    decision = case_step(case.policy, case.state, case.ledger, case.court_results, day)
    if decision.status in (StepStatus.NO_PROOF_OF_DEBT, StepStatus.EXHAUSTED):
        if not work.at_write_off_point(case, decision):
            work.move(case, None, None)  # a write-off was refused: an officer decides
        return
    if not decision.is_due or decision.step is None:
        name, when = case_position(case.policy, case.state, case.ledger, case.court_results, day)
        if when is not None and when <= day:
            when = day + timedelta(days=1)  # never selected twice for the same date
        work.move(case, name, when)
        return
    step = decision.step
    note = ""
    if step.is_agent_referral:
        others = [d for c in case.customer_ids for d in customer_debts.get(c, [])]
        verdict = referral_decision(case.policy, case.state, step, tuple(others), day)
        if not verdict.allowed:
            work.entries.append(CaseEntry(case.case_id, day, "referral_deferred", verdict.reason))
            work.move(case, step.name, day + timedelta(days=recheck_days))
            return
        considered = len({d.case_id for d in others}) - 1
        note = f"All the customer's debts considered ({considered} other open)."
        if verdict.refer_together:
            note += f" Also due for referral: {', '.join(verdict.refer_together)}."
    work.take(case, step.name, decision.amount_pursued, debtor, decision.advice_referral, note)


async def advance_batch(
    handling: RecoveryHandling, business_date: date, batch_size: int, counts: RunCounts, *, wait: bool = False
) -> int:
    """Advance one batch of due cases in the handling's transaction; returns how many cases it examined.
    Batches running side by side skip each other's rows; with `wait`, rows locked elsewhere are waited for."""
    stores, service = handling.stores, handling.service
    ids = await stores.daily_runs.due_cases(business_date, batch_size, wait=wait)
    if not ids:
        return 0
    cases = await load_cases(stores.cases, service.policies, ids)
    debtors = await stores.customers.debtors_of_cases(ids)
    referring = {
        customer
        for case in cases.values()
        if case.row.next_step_name and case.policy is not None
        for customer in case.customer_ids
        if _next_is_agent_referral(case)
    }
    customer_debts = customer_debt_positions(
        await stores.daily_runs.customer_debts(list(referring), business_date),
        service.policies,
        business_date,
    )
    work = StepsTaken(business_date)
    for case in cases.values():
        _decide(
            work,
            case,
            debtors.get(case.case_id, Debtor()),
            customer_debts,
            service.settings.referral_recheck_days,
        )
    await work.write(stores, handling.outbox)
    asked = await ask_those_never_asked(handling, cases.values(), business_date)  # NELC 7.2, RBWM 9
    if asked:  # asked, they wait for the benefits system's answer: no date
        await reschedule(stores, service.policies, asked, business_date)
    suspended = await suspend_those_now_held(handling, cases.values(), business_date)  # a hold entered ahead
    if suspended:
        await reschedule(stores, service.policies, suspended, business_date)
    counts.add(work, len(ids))
    return len(ids)


def _next_is_agent_referral(case: LoadedCase) -> bool:
    assert case.policy is not None and case.row.next_step_name is not None
    try:
        return case.policy.step_named(case.row.next_step_name).is_agent_referral
    except KeyError:
        return False


async def run_for(service: Recovery, business_date: date, batch_size: int) -> RunCounts:
    """Advance every due case as of the date, batch by batch, each batch its own transaction."""
    counts = RunCounts()
    runtime = service.runtime
    async with runtime.transaction(RecoveryStores.on, service) as handling:
        defaulted = await detect_arrangement_defaults(handling, business_date)
        counts.totals = replace(counts.totals, arrangements_defaulted=defaulted)

    async def work_through_batches() -> None:
        while True:
            async with runtime.transaction(RecoveryStores.on, service) as handling:
                examined = await advance_batch(handling, business_date, batch_size, counts)
            if examined == 0:
                return

    # Several batches in flight: one computes letters while another waits on the database (SKIP LOCKED keeps
    # them apart).
    await asyncio.gather(*(work_through_batches() for _ in range(max(service.settings.daily_run_workers, 1))))
    # A case a handler held locked at that moment was skipped: take it now, waiting for the lock.
    while True:
        async with runtime.transaction(RecoveryStores.on, service) as handling:
            if await advance_batch(handling, business_date, batch_size, counts, wait=True) == 0:
                return counts


async def run_next_requested(service: Recovery) -> bool:
    """Take the oldest unfinished run (locking its row as a lease), do it, mark it finished. False if none."""
    async with service.runtime.transaction(RecoveryStores.on, service) as lease:
        found = await lease.stores.daily_runs.take_next()
        if found is None:
            return False
        started_at = await lease.stores.daily_runs.now()
        log.info("daily run started", business_date=str(found.business_date))
        with DAILY_RUN_SECONDS.labels("recovery").time():
            counts = await run_for(service, found.business_date, service.settings.daily_run_batch_size)
        await lease.stores.daily_runs.finish(found.run_id, started_at, counts.totals)
        await lease.outbox.add(
            DailyRunCompleted(business_date=found.business_date, run_id=found.run_id, **asdict(counts.totals))
        )
    done = asdict(counts.totals)
    for kind, count in done.items():
        DAILY_RUN_WORK.labels("recovery", kind).inc(count)
    log.info("daily run finished", business_date=str(found.business_date), **done)
    return True


async def daily_run_worker(service: Recovery) -> None:
    """Background task: do requested runs as they come (polling the run table twice a second)."""
    while True:
        try:
            while await run_next_requested(service):
                pass
        except asyncio.CancelledError:
            raise
        except Exception as error:  # the run's row stays unfinished; committed batches stay done
            log.error("daily run failed; will retry", reason=f"{type(error).__name__}: {error}")
            await asyncio.sleep(5)
            continue
        await asyncio.sleep(0.5)
