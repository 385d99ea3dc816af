"""Making an arrangement to pay: affordable from the Standard Financial Statement, council tax cleared by the end
of the financial year by default (NELC 6.7), one arrangement across several of a customer's debts on request.
While it is kept, the cases take no step; a default (detected by the daily run) resumes recovery."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.recovery.case_state import load_cases, record, reschedule
from services.recovery.domain.arrangements import (
    ArrangedDebt,
    Arrangement,
    ArrangementError,
    StandardFinancialStatement,
    debt_priority,
    propose_arrangement,
)
from services.recovery.domain.debt_types import DebtType
from services.recovery.service import policies, runtime
from shared.contracts.recovery import ArrangementMade
from shared.money import format_pounds


@dataclass(frozen=True)
class ArrangementAsked:
    """What an officer asks for: the cases to cover, the debtor's figures, and when the first payment is."""

    case_ids: list[UUID]
    monthly_income_pence: int
    monthly_expenditure_pence: int
    statement_recorded_by: str
    first_instalment_on: date
    made_by: str
    officer_allows_longer: bool = False


async def make_arrangement(
    session: AsyncSession, asked: ArrangementAsked, today: date
) -> tuple[UUID, Arrangement]:
    """Make the arrangement, or raise ArrangementError saying why it cannot be made as asked."""
    if not asked.case_ids:
        raise ArrangementError("an arrangement covers at least one case")
    cases = await load_cases(session, policies, asked.case_ids)
    missing = [str(c) for c in asked.case_ids if c not in cases]
    if missing:
        raise ArrangementError(f"no such case: {', '.join(missing)}")
    customers = [set(c.customer_ids) for c in cases.values()]
    if len(cases) > 1 and not set.intersection(*customers):
        raise ArrangementError("a combined arrangement covers the debts of one customer")
    for case in cases.values():
        if case.row["status"] != "open":
            raise ArrangementError(f"case {case.case_id} is {case.row['status']}, not open")
        if case.row["arrangement_status"] == "live":
            raise ArrangementError(f"case {case.case_id} already has a live arrangement")
        if case.state.balance <= 0:
            raise ArrangementError(f"case {case.case_id} has nothing to pay")
        if case.policy is None:
            raise ArrangementError(f"case {case.case_id} has no recovery policy")
    # The terms of the debt first in the hierarchy govern a combined plan (council tax: by the year end).
    lead = min(cases.values(), key=lambda c: debt_priority(DebtType(c.row["debt_type"])))
    assert lead.policy is not None
    statement = StandardFinancialStatement(
        asked.monthly_income_pence, asked.monthly_expenditure_pence, today, asked.statement_recorded_by
    )
    arrangement = propose_arrangement(
        tuple(
            ArrangedDebt(str(c.case_id), DebtType(c.row["debt_type"]), c.state.balance)
            for c in cases.values()
        ),
        statement,
        lead.policy.arrangements,
        asked.first_instalment_on,
        today,
        officer_allows_longer=asked.officer_allows_longer,
    )
    if not arrangement.affordable:
        raise ArrangementError(arrangement.note)
    arrangement_id = uuid4()
    first = arrangement.instalments[0]
    customer_ids = set.intersection(*customers)
    customer_id = sorted(customer_ids, key=str)[0] if customer_ids else None
    await session.execute(
        text(
            """
            INSERT INTO recovery.arrangement (arrangement_id, customer_id, made_on, made_by, total_pence,
                instalment_pence, instalments, first_due_on, monthly_income_pence, monthly_expenditure_pence,
                statement_recorded_by, affordable, within_policy, note)
            VALUES (:id, :customer_id, :made_on, :made_by, :total, :instalment, :count, :first_due_on, :income,
                    :expenditure, :statement_by, :affordable, :within_policy, :note)
            """
        ),
        {
            "id": arrangement_id,
            "customer_id": customer_id,
            "made_on": today,
            "made_by": asked.made_by,
            "total": arrangement.total,
            "instalment": first.amount,
            "count": len(arrangement.instalments),
            "first_due_on": first.due_on,
            "income": asked.monthly_income_pence,
            "expenditure": asked.monthly_expenditure_pence,
            "statement_by": asked.statement_recorded_by,
            "affordable": arrangement.affordable,
            "within_policy": arrangement.within_policy,
            "note": arrangement.note,
        },
    )
    await session.execute(
        text(
            "INSERT INTO recovery.arrangement_debt (arrangement_id, case_id, debt_id, amount_pence) "
            "SELECT :id, * FROM unnest(CAST(:cases AS uuid[]), CAST(:debts AS uuid[]), CAST(:amounts AS bigint[]))"
        ),
        {
            "id": arrangement_id,
            "cases": [UUID(d.debt_ref) for d in arrangement.debts],
            "debts": [cases[UUID(d.debt_ref)].debt_id for d in arrangement.debts],
            "amounts": [d.amount for d in arrangement.debts],
        },
    )
    owed = 0
    rows = []
    for number, instalment in enumerate(arrangement.instalments, start=1):
        owed += instalment.amount
        rows.append((number, instalment.due_on, instalment.amount, owed))
    await session.execute(
        text(
            "INSERT INTO recovery.arrangement_instalment (arrangement_id, number, due_on, amount_pence, "
            "owed_to_date_pence) SELECT :id, * FROM unnest(CAST(:numbers AS integer[]), CAST(:dues AS date[]), "
            "CAST(:amounts AS bigint[]), CAST(:owed AS bigint[]))"
        ),
        {
            "id": arrangement_id,
            "numbers": [r[0] for r in rows],
            "dues": [r[1] for r in rows],
            "amounts": [r[2] for r in rows],
            "owed": [r[3] for r in rows],
        },
    )
    await session.execute(
        text(
            "UPDATE recovery.recovery_case SET arrangement_id = :id, arrangement_status = 'live' "
            "WHERE case_id = ANY(:cases)"
        ),
        {"id": arrangement_id, "cases": list(cases)},
    )
    combined = f" (combined across {len(cases)} debts)" if len(cases) > 1 else ""
    await record(
        session,
        [
            (
                case_id,
                today,
                "arrangement",
                f"arrangement{combined}: {len(arrangement.instalments)} monthly instalments of "
                f"{format_pounds(first.amount)} from {first.due_on.isoformat()}, total "
                f"{format_pounds(arrangement.total)}; income {format_pounds(asked.monthly_income_pence)}, "
                f"expenditure {format_pounds(asked.monthly_expenditure_pence)} (SFS by "
                f"{asked.statement_recorded_by}); agreed by {asked.made_by}"
                + (f"; {arrangement.note}" if arrangement.note else ""),
            )
            for case_id in cases
        ],
    )
    await reschedule(session, policies, list(cases), today)
    await runtime.outbox.add(
        session,
        ArrangementMade(
            arrangement_id=arrangement_id,
            customer_id=customer_id,
            debt_ids=[cases[UUID(d.debt_ref)].debt_id for d in arrangement.debts],
            total_pence=arrangement.total,
            instalment_pence=first.amount,
            instalments=len(arrangement.instalments),
            first_due_on=first.due_on,
            made_on=today,
        ),
    )
    return arrangement_id, arrangement
