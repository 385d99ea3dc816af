"""Making an arrangement to pay: affordable from the Standard Financial Statement, council tax cleared by the end
of the financial year by default (NELC 6.7), one arrangement across several of a customer's debts on request.
While it is kept, the cases take no step; a default (detected by the daily run) resumes recovery."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

from services.recovery.case_state import load_cases, reschedule
from services.recovery.domain.arrangements import (
    ArrangedDebt,
    Arrangement,
    ArrangementError,
    StandardFinancialStatement,
    debt_priority,
    propose_arrangement,
)
from services.recovery.domain.debt_types import DebtType
from services.recovery.recovery import RecoveryHandling
from services.recovery.stores.arrangements import ArrangedCase, ArrangementTerms, InstalmentRow
from services.recovery.stores.case_record import CaseEntry
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
    handling: RecoveryHandling, asked: ArrangementAsked, today: date
) -> tuple[UUID, Arrangement]:
    """Make the arrangement, or raise ArrangementError saying why it cannot be made as asked."""
    if not asked.case_ids:
        raise ArrangementError("an arrangement covers at least one case")
    stores, policies = handling.stores, handling.service.policies
    cases = await load_cases(stores.cases, policies, asked.case_ids)
    missing = [str(c) for c in asked.case_ids if c not in cases]
    if missing:
        raise ArrangementError(f"no such case: {', '.join(missing)}")
    customers = [set(c.customer_ids) for c in cases.values()]
    if len(cases) > 1 and not set.intersection(*customers):
        raise ArrangementError("a combined arrangement covers the debts of one customer")
    for case in cases.values():
        if case.row.status != "open":
            raise ArrangementError(f"case {case.case_id} is {case.row.status}, not open")
        if case.row.arrangement_status == "live":
            raise ArrangementError(f"case {case.case_id} already has a live arrangement")
        if case.state.balance <= 0:
            raise ArrangementError(f"case {case.case_id} has nothing to pay")
        if case.policy is None:
            raise ArrangementError(f"case {case.case_id} has no recovery policy")
    # The terms of the debt first in the hierarchy govern a combined plan (council tax: by the year end).
    lead = min(cases.values(), key=lambda c: debt_priority(DebtType(c.row.debt_type)))
    assert lead.policy is not None
    statement = StandardFinancialStatement(
        asked.monthly_income_pence, asked.monthly_expenditure_pence, today, asked.statement_recorded_by
    )
    arrangement = propose_arrangement(
        tuple(
            ArrangedDebt(str(c.case_id), DebtType(c.row.debt_type), c.state.balance) for c in cases.values()
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
    owed = 0
    instalments = []
    for number, instalment in enumerate(arrangement.instalments, start=1):
        owed += instalment.amount
        instalments.append(InstalmentRow(number, instalment.due_on, instalment.amount, owed))
    await stores.arrangements.make(
        ArrangementTerms(
            arrangement_id=arrangement_id,
            customer_id=customer_id,
            made_on=today,
            made_by=asked.made_by,
            total_pence=arrangement.total,
            instalment_pence=first.amount,
            instalments=len(arrangement.instalments),
            first_due_on=first.due_on,
            monthly_income_pence=asked.monthly_income_pence,
            monthly_expenditure_pence=asked.monthly_expenditure_pence,
            statement_recorded_by=asked.statement_recorded_by,
            affordable=arrangement.affordable,
            within_policy=arrangement.within_policy,
            note=arrangement.note,
        ),
        [
            ArrangedCase(
                UUID(d.debt_ref),
                cases[UUID(d.debt_ref)].debt_id,
                d.amount,
                cases[UUID(d.debt_ref)].row.debt_type,
            )
            for d in arrangement.debts
        ],
        instalments,
    )
    await stores.cases.arranged(list(cases), arrangement_id)
    combined = f" (combined across {len(cases)} debts)" if len(cases) > 1 else ""
    await stores.record.append(
        [
            CaseEntry(
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
    await reschedule(stores, policies, list(cases), today)
    await handling.outbox.add(
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
