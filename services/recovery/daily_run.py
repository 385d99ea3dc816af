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
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.recovery.arrangement_defaults import detect_arrangement_defaults
from services.recovery.case_state import LoadedCase, load_cases
from services.recovery.council_policies import policy_for_case
from services.recovery.domain.case import ArrangementStatus
from services.recovery.domain.escalation import CustomerDebtPosition, referral_decision
from services.recovery.domain.holds import BREATHING_SPACE_KINDS
from services.recovery.domain.policy import RecoveryPolicy
from services.recovery.domain.step_engine import StepStatus, next_step, stored_position
from services.recovery.service import policies, recovery_settings, runtime
from services.recovery.step_taking import Debtor, StepsTaken
from shared.contracts.envelope import Envelope
from shared.contracts.recovery import DailyRunCompleted, DailyRunRequested

log = structlog.get_logger("recovery.daily_run")


@runtime.inbox.handles(DailyRunRequested)
async def daily_run_requested(session: AsyncSession, request: DailyRunRequested, envelope: Envelope) -> None:
    """Record the run; the background worker advances the cases in batches."""
    await session.execute(
        text("INSERT INTO recovery.daily_run (run_id, business_date) VALUES (:run_id, :business_date)"),
        {"run_id": envelope.event_id, "business_date": request.business_date},
    )


@dataclass
class RunCounts:
    """What a run did, for its row and its completion event."""

    cases_examined: int = 0
    steps_taken: int = 0
    notices_issued: int = 0
    referrals: int = 0
    write_off_requests: int = 0
    arrangements_defaulted: int = 0

    def add(self, work: StepsTaken, examined: int) -> None:
        """Count what one batch did."""
        self.cases_examined += examined
        self.steps_taken += len(work.steps)
        self.notices_issued += len(work.notices)
        self.referrals += len(work.referrals)
        self.write_off_requests += len(work.write_off_requests)


_DUE_QUERY = """
    SELECT case_id FROM recovery.recovery_case
     WHERE status = 'open' AND next_step_eligible_from IS NOT NULL AND next_step_eligible_from <= :business_date
     ORDER BY next_step_eligible_from
     LIMIT :batch
     FOR UPDATE
    """
_DUE = text(_DUE_QUERY + " SKIP LOCKED")
# The last pass waits for rows a handler has locked for a moment, so no due case is left for tomorrow.
_DUE_WAITING = text(_DUE_QUERY)
_DEBTORS = text(
    """
    SELECT cc.case_id, c.name, c.large_print
      FROM recovery.case_customer cc JOIN recovery.customer c ON c.customer_id = cc.customer_id
     WHERE cc.case_id = ANY(:ids)
    """
)
_CUSTOMER_DEBTS = text(
    """
    SELECT cc.customer_id, c.case_id, c.debt_type, c.balance_pence, c.arrangement_status, c.policy_group,
           c.next_step_name, c.next_step_eligible_from,
           EXISTS (SELECT 1 FROM recovery.hold h LEFT JOIN recovery.hold_lift l ON l.hold_id = h.hold_id
                    WHERE h.case_id = c.case_id AND h.kind = ANY(:breathing_space_kinds)
                      AND h.starts_on <= :business_date AND (h.ends_on IS NULL OR h.ends_on >= :business_date)
                      AND (l.lifted_on IS NULL OR l.lifted_on > :business_date)) AS in_breathing_space,
           EXISTS (SELECT 1 FROM recovery.referral r
                     LEFT JOIN recovery.referral_end e ON e.referral_id = r.referral_id
                     LEFT JOIN recovery.step_void v ON v.step_id = r.step_id
                    WHERE r.case_id = c.case_id AND r.agency_kind <> 'legal'
                      AND e.referral_id IS NULL AND v.step_id IS NULL) AS with_agent
      FROM recovery.case_customer cc JOIN recovery.recovery_case c ON c.case_id = cc.case_id
     WHERE cc.customer_id = ANY(:customers) AND c.status = 'open'
    """
)


async def _debtors(session: AsyncSession, case_ids: list[UUID]) -> dict[UUID, Debtor]:
    debtors: dict[UUID, Debtor] = {}
    for r in await session.execute(_DEBTORS, {"ids": case_ids}):
        known = debtors.get(r.case_id)
        if known is None:
            debtors[r.case_id] = Debtor(name=r.name, large_print=r.large_print)
        else:  # joint debtors: one letter to both names; large print if either needs it
            known.name = f"{known.name} and {r.name}"
            known.large_print = known.large_print or r.large_print
    return debtors


async def _customer_debts(
    session: AsyncSession, customers: set[UUID], business_date: date
) -> dict[UUID, list[CustomerDebtPosition]]:
    """Every open debt of these customers as the all-debts check before a referral sees it (DOMAIN.md 8)."""
    by_customer: dict[UUID, list[CustomerDebtPosition]] = defaultdict(list)
    if not customers:
        return by_customer
    rows = await session.execute(
        _CUSTOMER_DEBTS,
        {
            "customers": list(customers),
            "business_date": business_date,
            "breathing_space_kinds": [k.value for k in BREATHING_SPACE_KINDS],
        },
    )
    for r in rows:
        ready = False
        policy = policies_for_row(r)
        if policy is not None and r.next_step_name and r.next_step_eligible_from is not None:
            try:
                step = policy.step_named(r.next_step_name)
                ready = step.is_agent_referral and r.next_step_eligible_from <= business_date
            except KeyError:
                ready = False
        by_customer[r.customer_id].append(
            CustomerDebtPosition(
                case_id=str(r.case_id),
                debt_type=r.debt_type,
                balance=r.balance_pence,
                in_breathing_space=r.in_breathing_space,
                arrangement=ArrangementStatus(r.arrangement_status) if r.arrangement_status else None,
                ready_for_referral=ready,
                with_agent=r.with_agent,
            )
        )
    return by_customer


def policies_for_row(row: Any) -> RecoveryPolicy | None:
    """The policy for a row with debt_type and policy_group."""
    return policy_for_case(policies, row.debt_type, row.policy_group)


def _decide(
    work: StepsTaken,
    case: LoadedCase,
    debtor: Debtor,
    customer_debts: dict[UUID, list[CustomerDebtPosition]],
    recheck_days: int,
) -> None:
    """One case's share of the run: take the due step, or move the case's date on."""
    day = work.business_date
    if case.policy is None:
        work.move(case, None, None)
        return
    decision = next_step(case.policy, case.state, day)
    if decision.status is StepStatus.EXHAUSTED:
        if case.row["write_off_rejected_reason"]:
            work.move(case, None, None)
        else:
            work.exhausted(case)
        return
    if not decision.is_due or decision.step is None:
        name, when = stored_position(case.policy, case.state, day)
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
            work.entries.append((case.case_id, day, "referral_deferred", verdict.reason))
            work.move(case, step.name, day + timedelta(days=recheck_days))
            return
        considered = len({d.case_id for d in others}) - 1
        note = f"All the customer's debts considered ({considered} other open)."
        if verdict.refer_together:
            note += f" Also due for referral: {', '.join(verdict.refer_together)}."
    work.take(case, step.name, decision.amount_pursued, debtor, decision.advice_referral, note)


async def advance_batch(
    session: AsyncSession, business_date: date, batch_size: int, counts: RunCounts, *, wait: bool = False
) -> int:
    """Advance one batch of due cases in the session's transaction; returns how many cases it examined.
    Batches running side by side skip each other's rows; with `wait`, rows locked elsewhere are waited for."""
    query = _DUE_WAITING if wait else _DUE
    ids = [
        r.case_id for r in await session.execute(query, {"business_date": business_date, "batch": batch_size})
    ]
    if not ids:
        return 0
    cases = await load_cases(session, policies, ids)
    debtors = await _debtors(session, ids)
    referring = {
        customer
        for case in cases.values()
        if case.row["next_step_name"] and case.policy is not None
        for customer in case.customer_ids
        if _next_is_agent_referral(case)
    }
    customer_debts = await _customer_debts(session, referring, business_date)
    work = StepsTaken(business_date)
    for case in cases.values():
        _decide(
            work,
            case,
            debtors.get(case.case_id, Debtor()),
            customer_debts,
            recovery_settings.referral_recheck_days,
        )
    await work.write(session, runtime.outbox)
    counts.add(work, len(ids))
    return len(ids)


def _next_is_agent_referral(case: LoadedCase) -> bool:
    assert case.policy is not None
    try:
        return case.policy.step_named(case.row["next_step_name"]).is_agent_referral
    except KeyError:
        return False


async def run_for(business_date: date, batch_size: int) -> RunCounts:
    """Advance every due case as of the date, batch by batch, each batch its own transaction."""
    counts = RunCounts()
    async with runtime.database.transaction() as session:
        counts.arrangements_defaulted = await detect_arrangement_defaults(session, business_date)

    async def work_through_batches() -> None:
        while True:
            async with runtime.database.transaction() as session:
                examined = await advance_batch(session, business_date, batch_size, counts)
            if examined == 0:
                return

    # Several batches in flight: one computes letters while another waits on the database (SKIP LOCKED keeps
    # them apart).
    await asyncio.gather(
        *(work_through_batches() for _ in range(max(recovery_settings.daily_run_workers, 1)))
    )
    # A case a handler held locked at that moment was skipped: take it now, waiting for the lock.
    while True:
        async with runtime.database.transaction() as session:
            if await advance_batch(session, business_date, batch_size, counts, wait=True) == 0:
                return counts


_NEXT_RUN = text(
    """
    SELECT run_id, business_date FROM recovery.daily_run
     WHERE finished_at IS NULL ORDER BY requested_at LIMIT 1 FOR UPDATE SKIP LOCKED
    """
)
_FINISH = text(
    """
    UPDATE recovery.daily_run
       SET started_at = :started_at, finished_at = clock_timestamp(), cases_examined = :cases_examined,
           steps_taken = :steps_taken, notices_issued = :notices_issued, referrals = :referrals,
           write_off_requests = :write_off_requests, arrangements_defaulted = :arrangements_defaulted
     WHERE run_id = :run_id
    """
)


async def run_next_requested() -> bool:
    """Take the oldest unfinished run (locking its row as a lease), do it, mark it finished. False if none."""
    async with runtime.database.transaction() as lease:
        found = (await lease.execute(_NEXT_RUN)).first()
        if found is None:
            return False
        started_at = (await lease.execute(text("SELECT clock_timestamp()"))).scalar_one()
        log.info("daily run started", business_date=str(found.business_date))
        counts = await run_for(found.business_date, recovery_settings.daily_run_batch_size)
        await lease.execute(_FINISH, {"run_id": found.run_id, "started_at": started_at, **counts.__dict__})
        await runtime.outbox.add(
            lease,
            DailyRunCompleted(business_date=found.business_date, run_id=found.run_id, **counts.__dict__),
        )
    log.info("daily run finished", business_date=str(found.business_date), **counts.__dict__)
    return True


async def daily_run_worker(_: Any) -> None:
    """Background task: do requested runs as they come (polling the run table twice a second)."""
    while True:
        try:
            while await run_next_requested():
                pass
        except asyncio.CancelledError:
            raise
        except Exception as error:  # the run's row stays unfinished; committed batches stay done
            log.error("daily run failed; will retry", reason=f"{type(error).__name__}: {error}")
            await asyncio.sleep(5)
            continue
        await asyncio.sleep(0.5)


runtime.background.append(daily_run_worker)
