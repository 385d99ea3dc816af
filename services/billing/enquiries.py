"""Billing over HTTP: balances per debt and per customer (the single view of debt), the aged-debt report,
flagged customer matches for an officer to confirm or reject, and the annual billing run."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from uuid import UUID

from fastapi import FastAPI, HTTPException, Request
from pydantic import BaseModel, Field
from sqlalchemy import func, select, text

from services.billing.aged_debt_report import aged_debt, report_as_dict
from services.billing.customers import ReviewNotOpen, decide_match_review
from services.billing.debt_accounts import accounts, accounts_of_customer
from services.billing.domain.balances import DebtBalance, DebtSummary, PostingKind, customer_balance
from services.billing.domain.financial_year import FinancialYear
from services.billing.service import runtime
from services.billing.tables import CustomerMatchReview, Refund
from shared.clock import clock

app = FastAPI(title="Billing", description="Balances, the single view of debt, aged debt and match reviews.")
runtime.http_app = app


def _debt_json(account: Any, by_kind: dict[str, int]) -> dict[str, Any]:
    return {
        "debt_id": str(account.debt_id),
        "debt_type": account.debt_type.value,
        "financial_year": account.financial_year,
        "originating_service": account.originating_service,
        "income_code": account.income_code,
        "external_reference": account.external_reference,
        "account_reference": account.account_reference,
        "status": account.status,
        "balance_pence": account.balance_pence,
        "written_off_pence": account.written_off_pence,
        "customer_ids": [str(c) for c in account.customer_ids],
        "postings_pence": by_kind,
        "unpaid_lines": [
            {
                "number": line.number,
                "kind": kind,
                "due_date": line.due_date.isoformat(),
                "outstanding_pence": line.outstanding_pence,
            }
            for line, kind in zip(account.lines, account.line_kinds, strict=True)
        ],
    }


async def _postings_by_kind(session: Any, debt_ids: list[UUID]) -> dict[UUID, dict[str, int]]:
    totals: dict[UUID, dict[str, int]] = {d: {} for d in debt_ids}
    rows = await session.execute(
        text(
            "SELECT debt_id, kind, sum(amount_pence) AS total FROM posting "
            "WHERE debt_id = ANY(CAST(:ids AS uuid[])) GROUP BY debt_id, kind"
        ),
        {"ids": debt_ids},
    )
    for row in rows:
        totals[row.debt_id][row.kind] = int(row.total)
    return totals


@app.get("/debts/{debt_id}")
async def debt_balance(debt_id: UUID) -> dict[str, Any]:
    """One debt: its balance, postings by kind and unpaid lines."""
    async with runtime.database.transaction() as session:
        found = (await accounts(session, [debt_id], lock=False)).get(debt_id)
        if found is None:
            raise HTTPException(404, f"billing holds no debt {debt_id}")
        return _debt_json(found, (await _postings_by_kind(session, [debt_id]))[debt_id])


@app.get("/customers/{customer_id}/balance")
async def single_view_of_debt(customer_id: UUID) -> dict[str, Any]:
    """Everything one customer owes the council, by debt and by debt type, and any credit held."""
    async with runtime.database.transaction() as session:
        exists = (
            await session.execute(
                text("SELECT merged_into FROM customer WHERE customer_id = :id"), {"id": customer_id}
            )
        ).first()
        if exists is None:
            raise HTTPException(404, f"billing holds no customer {customer_id}")
        debts = await accounts_of_customer(session, customer_id, lock=False)
        by_kind = await _postings_by_kind(session, [a.debt_id for a in debts])
        refunds = (
            await session.execute(
                select(func.coalesce(func.sum(Refund.amount_pence), 0)).where(
                    Refund.customer_id == customer_id, Refund.status == "due"
                )
            )
        ).scalar_one()
    view = customer_balance(
        str(customer_id),
        [
            DebtSummary(
                str(a.debt_id),
                a.debt_type,
                FinancialYear.parse(a.financial_year),
                a.originating_service,
                DebtBalance(
                    str(a.debt_id),
                    {PostingKind(k): v for k, v in by_kind[a.debt_id].items()},
                    a.balance_pence,
                ),
            )
            for a in debts
        ],
    )
    return {
        "customer_id": str(customer_id),
        "merged_into": str(exists.merged_into) if exists.merged_into else None,
        "owed_pence": view.owed_pence,
        "credit_pence": view.credit_pence,
        "refund_due_pence": int(refunds),
        "by_debt_type_pence": {t.value: p for t, p in view.by_debt_type.items()},
        "debts": [_debt_json(a, by_kind[a.debt_id]) for a in debts],
    }


@app.get("/reports/aged-debt")
async def aged_debt_report(as_of: date | None = None) -> dict[str, Any]:
    """Unpaid debt by age (0-30, 31-60, 61-90, 91-120, over 120 days past due), debt type and service."""
    async with runtime.database.transaction() as session:
        return report_as_dict(await aged_debt(session, as_of or clock.today()))


@app.get("/match-reviews")
async def open_match_reviews() -> list[dict[str, Any]]:
    """Flagged customer matches waiting for an officer, oldest first."""
    async with runtime.database.transaction() as session:
        reviews = (
            await session.execute(
                select(CustomerMatchReview)
                .where(CustomerMatchReview.status == "open")
                .order_by(CustomerMatchReview.created_at)
                .limit(500)
            )
        ).scalars()
        return [
            {
                "review_id": str(r.review_id),
                "customer_id": str(r.customer_id),
                "possible_matches": [str(m) for m in r.possible_matches],
                "reasons": list(r.reasons),
                "flagged_at": r.created_at.isoformat() if r.created_at else None,
            }
            for r in reviews
        ]


class MatchConfirmation(BaseModel):
    """An officer confirms the provisional customer is one of the possible matches."""

    customer_id: UUID = Field(description="The existing customer they are")
    officer: str = Field(min_length=1)


class MatchRejection(BaseModel):
    """An officer rejects the match: they are different customers."""

    officer: str = Field(min_length=1)


async def _decide(review_id: UUID, confirmed: UUID | None, officer: str) -> dict[str, Any]:
    try:
        async with runtime.database.transaction() as session:
            events = await decide_match_review(
                session, review_id, confirmed_customer_id=confirmed, officer=officer
            )
            await runtime.outbox.add_all(session, events)
    except ReviewNotOpen as error:
        raise HTTPException(409, str(error)) from None
    return {"review_id": str(review_id), "outcome": "confirmed" if confirmed else "rejected"}


@app.post("/match-reviews/{review_id}/confirm")
async def confirm_match(review_id: UUID, confirmation: MatchConfirmation) -> dict[str, Any]:
    """Confirm the match: the provisional customer's debts move to the existing customer."""
    return await _decide(review_id, confirmation.customer_id, confirmation.officer)


@app.post("/match-reviews/{review_id}/reject")
async def reject_match(review_id: UUID, rejection: MatchRejection) -> dict[str, Any]:
    """Reject the match: they remain two customers."""
    return await _decide(review_id, None, rejection.officer)


@app.post("/billing-runs/council-tax")
async def council_tax_billing_run(financial_year: str, request: Request) -> Any:
    """Run the annual council tax billing (`?financial_year=2026/27`) from a CSV body (columns: see
    annual_billing_run)."""
    try:
        FinancialYear.parse(financial_year)
    except ValueError:
        raise HTTPException(422, "financial year must look like 2026 or 2026/27") from None
    body = (await request.body()).decode("utf-8-sig", errors="replace")
    if not body.strip():
        raise HTTPException(422, "the CSV body is empty")
    from services.billing.annual_billing_run import billing_run_outcome_json, run_annual_billing

    label = FinancialYear.parse(financial_year).label
    outcome = await run_annual_billing(runtime.database, body.splitlines(), label)
    return json.loads(billing_run_outcome_json(outcome))
