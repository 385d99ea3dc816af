"""Raising a debt when a council system asks for it."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from services.billing.service import runtime
from services.billing.tables import Customer, Debt, DebtParty
from shared.contracts.billing import DebtRaised
from shared.contracts.council_systems import ChargeRequested
from shared.contracts.envelope import Envelope


def financial_year_of(day) -> str:
    """The council's financial year (1 April - 31 March) containing `day`, written '2026/27'."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}/{str(start + 1)[-2:]}"


@runtime.inbox.handles(ChargeRequested)
async def raise_debt(session: AsyncSession, request: ChargeRequested, envelope: Envelope) -> None:
    """Record the debt and its liable parties and announce it."""
    debt_id = uuid4()
    due_date = request.due_date or request.raised_on + timedelta(days=request.settlement_terms_days or 30)
    customers = [
        Customer(customer_id=uuid4(), kind=party.kind, identity=party.model_dump(mode="json"))
        for party in request.liable_parties
    ]
    debt = Debt(
        debt_id=debt_id,
        requesting_system=request.requesting_system,
        external_reference=request.external_reference,
        debt_type=request.debt_type,
        amount_pence=request.amount_pence,
        financial_year=request.financial_year or financial_year_of(request.raised_on),
        due_date=due_date,
        raised_on=request.raised_on,
        originating_service=request.originating_service,
        income_code=request.income_code,
        evidence_reference=request.evidence_reference,
    )
    session.add_all(customers)
    session.add(debt)
    await session.flush()
    session.add_all([DebtParty(debt_id=debt_id, customer_id=c.customer_id) for c in customers])
    await runtime.outbox.add(
        session,
        DebtRaised(
            debt_id=debt_id,
            customer_ids=[c.customer_id for c in customers],
            debt_type=debt.debt_type,
            amount_pence=debt.amount_pence,
            financial_year=debt.financial_year,
            due_date=debt.due_date,
            raised_on=debt.raised_on,
            originating_service=debt.originating_service,
            income_code=debt.income_code,
            external_reference=debt.external_reference,
            evidence_reference=debt.evidence_reference,
        ),
        causation=envelope,
    )
