"""Reading recovery cases into the domain's `RecoveryCaseState`, many at a time, and keeping the stored next
step up to date.

A case's state is its row, its steps (with voids and ended referrals) and its holds (with lifts). The daily run
loads thousands at once with three `= ANY(:ids)` queries; handlers load one or a handful the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.recovery.council_policies import policy_for_case
from services.recovery.domain.case import ArrangementStatus, RecoveryCaseState, StepTaken
from services.recovery.domain.debt_types import DebtType
from services.recovery.domain.holds import Hold, HoldKind
from services.recovery.domain.policy import PolicyBook, RecoveryPolicy, StepKind
from services.recovery.domain.step_engine import stored_position


@dataclass(frozen=True)
class StepRow:
    """A step on record with the ids the wiring needs to void it or recall its referral."""

    step_id: UUID
    referral_id: UUID | None
    agency_kind: str | None
    taken: StepTaken


@dataclass(frozen=True)
class HoldRow:
    """A hold on record with its id."""

    hold_id: UUID
    hold: Hold


@dataclass
class LoadedCase:
    """A case as stored (the row) and as the step engine sees it (the state)."""

    row: dict[str, Any]
    steps: list[StepRow]
    holds: list[HoldRow]
    policy: RecoveryPolicy | None
    state: RecoveryCaseState

    @property
    def case_id(self) -> UUID:
        """The case's id."""
        return self.row["case_id"]

    @property
    def debt_id(self) -> UUID:
        """The debt the case pursues."""
        return self.row["debt_id"]

    @property
    def customer_ids(self) -> list[UUID]:
        """Everyone liable for the debt."""
        return [UUID(str(c)) for c in self.row["customer_ids"]]

    def open_referrals(self) -> list[StepRow]:
        """Referrals still with an agent, agency or legal services."""
        return [s for s in self.steps if s.taken.is_open_referral and s.referral_id is not None]


_CASES = text("SELECT * FROM recovery.recovery_case WHERE case_id = ANY(:ids)")
_STEPS = text(
    """
    SELECT s.step_id, s.case_id, s.step_name, s.kind, s.taken_on, s.costs_pence,
           v.step_id IS NOT NULL AS void, r.referral_id, r.agency_kind, e.ended_on
      FROM recovery.case_step s
      LEFT JOIN recovery.step_void v ON v.step_id = s.step_id
      LEFT JOIN recovery.referral r ON r.step_id = s.step_id
      LEFT JOIN recovery.referral_end e ON e.referral_id = r.referral_id
     WHERE s.case_id = ANY(:ids)
     ORDER BY s.taken_on, s.recorded_at
    """
)
_HOLDS = text(
    """
    SELECT h.*, l.lifted_on
      FROM recovery.hold h LEFT JOIN recovery.hold_lift l ON l.hold_id = h.hold_id
     WHERE h.case_id = ANY(:ids)
     ORDER BY h.starts_on, h.recorded_at
    """
)


def hold_from_row(row: Any) -> Hold:
    """The domain hold for a stored hold row (with its lift date, if lifted)."""
    return Hold(
        kind=HoldKind(row.kind),
        reason=row.reason,
        authorised_by=row.authorised_by,
        start=row.starts_on,
        end=row.ends_on,
        review_on=row.review_on,
        lifted_on=row.lifted_on,
        disputed_amount=row.disputed_amount_pence,
        reference=row.reference,
    )


def state_of(row: dict[str, Any], steps: Sequence[StepRow], holds: Sequence[HoldRow]) -> RecoveryCaseState:
    """The engine's view of a case row with its steps and holds."""
    customer_ids = row["customer_ids"] or []
    return RecoveryCaseState(
        case_id=str(row["case_id"]),
        debt_type=DebtType(row["debt_type"]),
        due_date=row["due_date"],
        balance=row["balance_pence"],
        steps_taken=tuple(s.taken for s in steps),
        defaults_count=row["defaults_count"],
        holds=tuple(h.hold for h in holds),
        arrangement=ArrangementStatus(row["arrangement_status"]) if row["arrangement_status"] else None,
        vulnerable=row["vulnerable"],
        cant_pay=row["cant_pay"],
        circumstances_reviewed_on=row["circumstances_reviewed_on"],
        debtor_is_individual=row["debtor_is_individual"],
        group=row["policy_group"],
        customer_id=str(customer_ids[0]) if customer_ids else "",
    )


async def load_cases(
    session: AsyncSession, book: PolicyBook, case_ids: Iterable[UUID]
) -> dict[UUID, LoadedCase]:
    """Cases by id with everything the engine needs, in three queries whatever the number."""
    ids = list(case_ids)
    if not ids:
        return {}
    rows = [dict(r._mapping) for r in await session.execute(_CASES, {"ids": ids})]
    steps: dict[UUID, list[StepRow]] = defaultdict(list)
    for r in await session.execute(_STEPS, {"ids": ids}):
        taken = StepTaken(
            name=r.step_name,
            kind=StepKind(r.kind),
            taken_on=r.taken_on,
            costs=r.costs_pence,
            void=r.void,
            recalled_on=r.ended_on,
        )
        steps[r.case_id].append(StepRow(r.step_id, r.referral_id, r.agency_kind, taken))
    holds: dict[UUID, list[HoldRow]] = defaultdict(list)
    for r in await session.execute(_HOLDS, {"ids": ids}):
        holds[r.case_id].append(HoldRow(r.hold_id, hold_from_row(r)))
    loaded: dict[UUID, LoadedCase] = {}
    for row in rows:
        case_id = row["case_id"]
        loaded[case_id] = LoadedCase(
            row=row,
            steps=steps[case_id],
            holds=holds[case_id],
            policy=policy_for_case(book, row["debt_type"], row["policy_group"]),
            state=state_of(row, steps[case_id], holds[case_id]),
        )
    return loaded


async def case_ids_for_debts(session: AsyncSession, debt_ids: Iterable[UUID]) -> dict[UUID, UUID]:
    """debt_id -> case_id for the debts that have a case."""
    result = await session.execute(
        text("SELECT debt_id, case_id FROM recovery.recovery_case WHERE debt_id = ANY(:ids)"),
        {"ids": list(debt_ids)},
    )
    return {r.debt_id: r.case_id for r in result}


async def case_ids_for_customer(session: AsyncSession, customer_id: UUID) -> list[UUID]:
    """Every case of the customer's debts."""
    result = await session.execute(
        text("SELECT case_id FROM recovery.case_customer WHERE customer_id = :customer_id"),
        {"customer_id": customer_id},
    )
    return [r.case_id for r in result]


def position_of(case: LoadedCase, business_date: date) -> tuple[str | None, date | None]:
    """Where the case stands for the daily run: its next step and the date it may be taken (see
    `stored_position`). Closed cases, cases waiting for their first instalment default, and exhausted cases
    whose write-off was refused wait for an event instead."""
    if case.row["status"] != "open" or case.row["awaiting_default"] or case.policy is None:
        return None, None
    name, when = stored_position(case.policy, case.state, business_date)
    if name is None and when is not None and case.row["write_off_rejected_reason"]:
        return None, None  # the write-off was refused: an officer decides what next, not the timetable
    return name, when


async def reschedule(
    session: AsyncSession, book: PolicyBook, case_ids: Iterable[UUID], business_date: date
) -> None:
    """Recompute and store the next step and its date of each case after a change."""
    cases = await load_cases(session, book, case_ids)
    if not cases:
        return
    rows = [(c.case_id, *position_of(c, business_date)) for c in cases.values()]
    await store_positions(session, rows)


async def store_positions(
    session: AsyncSession, rows: Sequence[tuple[UUID, str | None, date | None]]
) -> None:
    """Write (case_id, next step name, eligible from) for many cases in one statement. A position that did not
    change is not written, so its row is not locked (busy traffic such as balance changes then never makes a
    hold or a step on the same case wait)."""
    if not rows:
        return
    await session.execute(
        text(
            """
            UPDATE recovery.recovery_case c
               SET next_step_name = u.name, next_step_eligible_from = u.eligible_from
              FROM unnest(CAST(:ids AS uuid[]), CAST(:names AS text[]), CAST(:dates AS date[]))
                   AS u(case_id, name, eligible_from)
             WHERE c.case_id = u.case_id
               AND (c.next_step_name, c.next_step_eligible_from) IS DISTINCT FROM (u.name, u.eligible_from)
            """
        ),
        {"ids": [r[0] for r in rows], "names": [r[1] for r in rows], "dates": [r[2] for r in rows]},
    )


async def record(session: AsyncSession, entries: Sequence[tuple[UUID, date, str, str]]) -> None:
    """Append entries (case_id, business date, entry kind, summary) to the case record."""
    if not entries:
        return
    await session.execute(
        text(
            """
            INSERT INTO recovery.case_record (case_id, recorded_on, entry, summary)
            SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:days AS date[]), CAST(:kinds AS text[]),
                                 CAST(:summaries AS text[]))
            """
        ),
        {
            "ids": [e[0] for e in entries],
            "days": [e[1] for e in entries],
            "kinds": [e[2] for e in entries],
            "summaries": [e[3] for e in entries],
        },
    )
