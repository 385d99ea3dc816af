"""Billing over HTTP: balances per debt and per customer (the single view of debt), the aged-debt report,
flagged customer matches for an officer to confirm or reject, and the annual billing run."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field

from services.billing.access import CustomerReader, Officer, Reader, RunStarter
from services.billing.aged_debt_report import aged_debt, report_as_dict
from services.billing.annual_billing_run import billing_run_outcome_json, run_annual_billing
from services.billing.billing import Billing
from services.billing.customers import ReviewNotOpen, decide_match_review
from services.billing.debt_accounts import DebtAccount
from services.billing.domain.balances import DebtBalance, DebtSummary, PostingKind, customer_balance
from services.billing.domain.debt_types import DebtType
from services.billing.domain.financial_year import FinancialYear
from services.billing.stores import BillingStores

router = APIRouter()


def billing_service(request: Request) -> Billing:
    """The billing service this app belongs to (set by bootstrap)."""
    service: Billing = request.app.state.service
    return service


def _debt_json(account: DebtAccount, by_kind: dict[str, int]) -> dict[str, Any]:
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


def debt_summary(
    debt_id: UUID,
    debt_type: str,
    financial_year: str,
    originating_service: str,
    postings_pence: dict[str, int],
    balance_pence: int,
) -> DebtSummary:
    """A debt as a customer's single view of debt totals it."""
    return DebtSummary(
        str(debt_id),
        DebtType(debt_type),
        FinancialYear.parse(financial_year),
        originating_service,
        DebtBalance(str(debt_id), {PostingKind(k): v for k, v in postings_pence.items()}, balance_pence),
    )


@router.get("/debts/{debt_id}")
async def debt_balance(
    debt_id: UUID, _reader: CustomerReader, billing: Billing = Depends(billing_service)
) -> dict[str, Any]:
    """One debt: its balance, postings by kind and unpaid lines."""
    async with billing.runtime.transaction(BillingStores.on, billing) as handling:
        debts = handling.stores.debts
        found = (await debts.named([debt_id], lock=False)).get(debt_id)
        if found is None:
            raise HTTPException(404, f"billing holds no debt {debt_id}")
        return _debt_json(found, (await debts.postings_by_kind([debt_id]))[debt_id])


@router.get("/customers/{customer_id}/balance")
async def single_view_of_debt(
    customer_id: UUID, _reader: CustomerReader, billing: Billing = Depends(billing_service)
) -> dict[str, Any]:
    """Everything one customer owes the council, by debt and by debt type, and any credit held."""
    async with billing.runtime.transaction(BillingStores.on, billing) as handling:
        stores = handling.stores
        exists = await stores.customers.record(customer_id)
        if exists is None:
            raise HTTPException(404, f"billing holds no customer {customer_id}")
        debts = await stores.debts.of_customer(customer_id, lock=False)
        by_kind = await stores.debts.postings_by_kind([a.debt_id for a in debts])
        refunds = await stores.payments.refunds_due_pence(customer_id)
    view = customer_balance(
        str(customer_id),
        [
            debt_summary(
                a.debt_id,
                a.debt_type,
                a.financial_year,
                a.originating_service,
                by_kind[a.debt_id],
                a.balance_pence,
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


@router.get("/reports/aged-debt")
async def aged_debt_report(
    _reader: Reader, as_of: date | None = None, billing: Billing = Depends(billing_service)
) -> dict[str, Any]:
    """Unpaid debt by age (0-30, 31-60, 61-90, 91-120, over 120 days past due), debt type and service."""
    async with billing.runtime.transaction(BillingStores.on, billing) as handling:
        return report_as_dict(await aged_debt(handling.stores, as_of or billing.clock.today()))


@router.get("/match-reviews")
async def open_match_reviews(
    _reader: Reader, billing: Billing = Depends(billing_service)
) -> list[dict[str, Any]]:
    """Flagged customer matches waiting for an officer, oldest first."""
    async with billing.runtime.transaction(BillingStores.on, billing) as handling:
        reviews = await handling.stores.customers.open_reviews()
    return [
        {
            "review_id": str(r.review_id),
            "customer_id": str(r.customer_id),
            "possible_matches": [str(m) for m in r.possible_matches],
            "reasons": list(r.reasons),
            "flagged_at": r.flagged_at.isoformat() if r.flagged_at else None,
        }
        for r in reviews
    ]


class MatchConfirmation(BaseModel):
    """An officer confirms the provisional customer is one of the possible matches (the officer is the token's)."""

    customer_id: UUID = Field(description="The existing customer they are")


async def _decide(billing: Billing, review_id: UUID, confirmed: UUID | None, officer: str) -> dict[str, Any]:
    try:
        async with billing.runtime.transaction(BillingStores.on, billing) as handling:
            events = await decide_match_review(
                handling.stores, review_id, confirmed_customer_id=confirmed, officer=officer
            )
            await handling.outbox.add_all(events)
    except ReviewNotOpen as error:
        raise HTTPException(409, str(error)) from None
    return {"review_id": str(review_id), "outcome": "confirmed" if confirmed else "rejected"}


@router.post("/match-reviews/{review_id}/confirm")
async def confirm_match(
    review_id: UUID,
    confirmation: MatchConfirmation,
    officer: Officer,
    billing: Billing = Depends(billing_service),
) -> dict[str, Any]:
    """Confirm the match: the provisional customer's debts move to the existing customer."""
    return await _decide(billing, review_id, confirmation.customer_id, officer.recorded_as)


@router.post("/match-reviews/{review_id}/reject")
async def reject_match(
    review_id: UUID, officer: Officer, billing: Billing = Depends(billing_service)
) -> dict[str, Any]:
    """Reject the match: they remain two customers."""
    return await _decide(billing, review_id, None, officer.recorded_as)


@router.post("/billing-runs/council-tax")
async def council_tax_billing_run(
    financial_year: str, request: Request, _starter: RunStarter, billing: Billing = Depends(billing_service)
) -> Any:
    """Run the annual council tax billing (`?financial_year=2026/27`) from a CSV body (columns: see
    annual_billing_run)."""
    try:
        FinancialYear.parse(financial_year)
    except ValueError:
        raise HTTPException(422, "financial year must look like 2026 or 2026/27") from None
    body = (await request.body()).decode("utf-8-sig", errors="replace")
    if not body.strip():
        raise HTTPException(422, "the CSV body is empty")
    label = FinancialYear.parse(financial_year).label
    outcome = await run_annual_billing(billing, body.splitlines(), label)
    return json.loads(billing_run_outcome_json(outcome))
