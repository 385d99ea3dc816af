"""The daily run's own questions: the runs requested (`daily_run`, its row a lease while worked), the open
cases due by a date (over the partial index `recovery_case_due`), and every open debt of the customers about to
be referred (the all-debts check)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import text

from services.recovery.domain.holds import BREATHING_SPACE_KINDS
from services.recovery.stores.holds import HOLD_IN_FORCE_ON_DAY
from services.recovery.stores.store import Store


@dataclass(frozen=True)
class RequestedRun:
    """A daily run asked for and not finished."""

    run_id: UUID
    business_date: date


@dataclass(frozen=True)
class RunTotals:
    """What a run did."""

    cases_examined: int = 0
    steps_taken: int = 0
    notices_issued: int = 0
    referrals: int = 0
    write_off_requests: int = 0
    arrangements_defaulted: int = 0


@dataclass(frozen=True)
class CustomerDebt:
    """One open debt of a customer as the all-debts check before a referral sees it."""

    customer_id: UUID
    case_id: UUID
    debt_type: str
    balance_pence: int
    arrangement_status: str | None
    policy_group: str | None
    next_step_name: str | None
    next_step_eligible_from: date | None
    in_breathing_space: bool
    with_agent: bool


class DailyRunStore(Store):
    """Requested runs, the due cases, and the customers' other debts."""

    _REQUEST = text("INSERT INTO recovery.daily_run (run_id, business_date) VALUES (:run_id, :business_date)")
    _NEXT = text(
        """
        SELECT run_id, business_date FROM recovery.daily_run
         WHERE finished_at IS NULL ORDER BY requested_at LIMIT 1 FOR UPDATE SKIP LOCKED
        """
    )
    _NOW = text("SELECT clock_timestamp()")
    _FINISH = text(
        """
        UPDATE recovery.daily_run
           SET started_at = :started_at, finished_at = clock_timestamp(), cases_examined = :cases_examined,
               steps_taken = :steps_taken, notices_issued = :notices_issued, referrals = :referrals,
               write_off_requests = :write_off_requests, arrangements_defaulted = :arrangements_defaulted
         WHERE run_id = :run_id
        """
    )
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
    # A debt is in breathing space on the day when a breathing space hold on it is in force (HOLD_IN_FORCE_ON_DAY).
    _CUSTOMER_DEBTS = text(
        f"""
        SELECT cc.customer_id, c.case_id, c.debt_type, c.balance_pence, c.arrangement_status, c.policy_group,
               c.next_step_name, c.next_step_eligible_from,
               EXISTS (SELECT 1 FROM recovery.hold h LEFT JOIN recovery.hold_lift l ON l.hold_id = h.hold_id
                        WHERE h.case_id = c.case_id AND h.kind = ANY(:breathing_space_kinds)
                          AND {HOLD_IN_FORCE_ON_DAY}) AS in_breathing_space,
               EXISTS (SELECT 1 FROM recovery.referral r
                         LEFT JOIN recovery.referral_end e ON e.referral_id = r.referral_id
                         LEFT JOIN recovery.step_void v ON v.step_id = r.step_id
                        WHERE r.case_id = c.case_id AND r.agency_kind <> 'legal'
                          AND e.referral_id IS NULL AND v.step_id IS NULL) AS with_agent
          FROM recovery.case_customer cc JOIN recovery.recovery_case c ON c.case_id = cc.case_id
         WHERE cc.customer_id = ANY(:customers) AND c.status = 'open'
        """
    )

    async def request(self, run_id: UUID, business_date: date) -> None:
        """Record a run asked for; the background worker does it."""
        await self.session.execute(self._REQUEST, {"run_id": run_id, "business_date": business_date})

    async def take_next(self) -> RequestedRun | None:
        """The oldest unfinished run, its row locked for this transaction (a lease: another replica skips it)."""
        row = (await self.session.execute(self._NEXT)).first()
        return None if row is None else RequestedRun(row.run_id, row.business_date)

    async def now(self) -> datetime:
        """The database's clock, as the run's start."""
        started: datetime = (await self.session.execute(self._NOW)).scalar_one()
        return started

    async def finish(self, run_id: UUID, started_at: datetime, totals: RunTotals) -> None:
        """Mark the run done with what it did."""
        await self.session.execute(
            self._FINISH, {"run_id": run_id, "started_at": started_at, **totals.__dict__}
        )

    async def due_cases(self, business_date: date, batch: int, *, wait: bool = False) -> list[UUID]:
        """Open cases whose next step is due by the date, locked; rows locked elsewhere are skipped, or with
        `wait` waited for."""
        statement = self._DUE_WAITING if wait else self._DUE
        result = await self.session.execute(statement, {"business_date": business_date, "batch": batch})
        return [r.case_id for r in result]

    async def customer_debts(self, customers: list[UUID], business_date: date) -> list[CustomerDebt]:
        """Every open debt of these customers, whether it is in breathing space on the date and with an agent."""
        if not customers:
            return []
        result = await self.session.execute(
            self._CUSTOMER_DEBTS,
            {
                "customers": customers,
                "day": business_date,
                "breathing_space_kinds": [k.value for k in BREATHING_SPACE_KINDS],
            },
        )
        return [CustomerDebt(**r._mapping) for r in result]
