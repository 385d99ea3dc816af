"""Finding a customer and seeing them in full, for the officers' workbench.

`GET /customers?query=&limit=` finds people and organisations by name, postcode, address, any reference the
council knows them by, or an invoice or PCN number (`domain.customer_search`); `GET /customers/{customer_id}`
answers the customer with every debt, its instalments, payments and allocations, credit notes, holds and
write-offs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException, Query

from services.billing import customer_view_models as view
from services.billing.access import CustomerReader
from services.billing.billing import Billing
from services.billing.domain.balances import customer_balance
from services.billing.domain.customer_search import (
    MAX_RESULTS,
    MatchedOn,
    matched_by_reference,
    matched_by_words,
    search_query,
)
from services.billing.enquiries import billing_service, debt_summary
from services.billing.parties import customer_identity, stored_party
from services.billing.stores import BillingStores
from services.billing.stores.customer_view import DebtParts, DebtRow, FoundCustomer, LineRow
from shared.contracts.council_systems import LiableParty

router = APIRouter(tags=["customers"])

_FOUND_BY = {
    "customer_id": MatchedOn.CUSTOMER_ID,
    "account_reference": MatchedOn.ACCOUNT_REFERENCE,
    "invoice_reference": MatchedOn.INVOICE_REFERENCE,
}


def customer_name(party: LiableParty) -> str:
    """How the customer is named to an officer: title, forenames and surname, or the organisation's name."""
    if party.kind == "organisation":
        return party.organisation_name or ""
    return " ".join(p for p in (party.title, party.first_names, party.surname) if p)


def _who(party: LiableParty) -> dict[str, Any]:
    """What tells a customer apart: name, kind, date of birth and postal address."""
    return {
        "name": customer_name(party),
        "kind": "organisation" if party.kind.strip().lower() == "organisation" else "person",
        "date_of_birth": party.date_of_birth,
        "postal_address": view.Address(lines=list(party.address.lines), postcode=party.address.postcode),
    }


def _uuid_or_none(text: str) -> UUID | None:
    try:
        return UUID(text.strip())
    except ValueError:
        return None


@router.get("/customers", response_model=view.CustomerSearchResults)
async def find_customers(
    billing: Annotated[Billing, Depends(billing_service)],
    _reader: CustomerReader,
    query: Annotated[
        str,
        Query(
            min_length=2,
            max_length=200,
            description="A name (any order, any case), postcode (with or without its space), part of an "
            "address, a council tax or business rates account, tenancy or NI number, or an invoice or PCN number",
            examples=["hollis margaret", "DE11FS", "12 Friar Gate", "000123", "CT-000123-2026"],
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=MAX_RESULTS, description="At most this many customers")] = 20,
) -> view.CustomerSearchResults:
    """Find people and organisations the council bills, with their accounts and what the query matched."""
    try:
        asked = search_query(query)
    except ValueError as error:
        raise HTTPException(422, str(error)) from None
    async with billing.runtime.transaction(BillingStores.on, billing) as handling:
        stores = handling.stores.customer_view
        found = await stores.search(asked, _uuid_or_none(query), limit + 1)
        accounts = await stores.accounts([f.customer_id for f in found[:limit]])

    def matched_on(customer: FoundCustomer, party: LiableParty) -> MatchedOn:
        if customer.found_by == "reference":
            return matched_by_reference(asked, tuple(customer.reference_keys))
        if customer.found_by == "words":
            return matched_by_words(asked, customer_identity(party))
        return _FOUND_BY[customer.found_by]

    results = []
    for customer in found[:limit]:
        party = stored_party(customer.identity)
        results.append(
            view.FoundCustomer(
                customer_id=customer.customer_id,
                **_who(party),
                accounts=[
                    view.AccountSummary.model_validate(a, from_attributes=True)
                    for a in accounts.get(customer.customer_id, [])
                ],
                matched_on=matched_on(customer, party),
            )
        )
    return view.CustomerSearchResults(customers=results, more_than_shown=len(found) > limit)


def _paid_by_line(parts: DebtParts) -> dict[tuple[UUID, int], int]:
    paid: dict[tuple[UUID, int], int] = defaultdict(int)
    for allocation in parts.allocations:
        paid[(allocation.debt_id, allocation.line_number)] += allocation.amount_pence
    return paid


def _debt_in_full(
    debt: DebtRow, parts: DebtParts, paid: dict[tuple[UUID, int], int], postings: dict[str, int]
) -> view.DebtInFull:
    lines: list[LineRow] = parts.lines.get(debt.debt_id, [])
    return view.DebtInFull(
        debt_id=debt.debt_id,
        debt_type=debt.debt_type,
        reference=debt.account_reference or debt.external_reference,
        external_reference=debt.external_reference,
        account_reference=debt.account_reference,
        requesting_system=debt.requesting_system,
        originating_service=debt.originating_service,
        description=debt.description,
        financial_year=debt.financial_year,
        raised_on=debt.raised_on,
        due_date=debt.due_date,
        income_code=debt.income_code,
        amount_pence=debt.amount_pence,
        balance_pence=debt.balance_pence,
        written_off_pence=debt.written_off_pence,
        status=debt.status,
        cancelled_on=debt.cancelled_on,
        cancellation_reason=debt.cancellation_reason,
        jointly_liable_with=list(debt.other_liable_customers or []),
        postings_pence=postings,
        instalments=[
            view.Instalment(
                number=line.number,
                due_date=line.due_date,
                amount_pence=line.amount_pence,
                paid_pence=paid.get((debt.debt_id, line.number), 0),
                outstanding_pence=line.outstanding_pence,
                fell_due_on=line.fell_due_on,
            )
            for line in lines
            if line.kind == "instalment"
        ],
        added_charges=[
            view.AddedCharge(
                number=line.number,
                kind=line.kind,
                due_date=line.due_date,
                amount_pence=line.amount_pence,
                paid_pence=paid.get((debt.debt_id, line.number), 0),
                outstanding_pence=line.outstanding_pence,
                late_payment_basis=line.late_payment_basis,
                annual_interest_percent=line.annual_interest_percent,
                reference_day=line.reference_day,
                base_rate_percent=line.base_rate_percent,
                fixed_sum_band=line.fixed_sum_band,
            )
            for line in lines
            if line.kind != "instalment"
        ],
        allocations=[
            view.Allocation.model_validate(a, from_attributes=True)
            for a in parts.allocations
            if a.debt_id == debt.debt_id
        ],
        credit_notes=[
            view.CreditNote.model_validate(c, from_attributes=True)
            for c in parts.credit_notes.get(debt.debt_id, [])
        ],
        holds=[view.Hold.model_validate(h, from_attributes=True) for h in parts.holds.get(debt.debt_id, [])],
        write_offs=[
            view.WriteOff.model_validate(w, from_attributes=True)
            for w in parts.write_offs.get(debt.debt_id, [])
        ],
    )


@router.get(
    "/customers/{customer_id}",
    response_model=view.CustomerInFull,
    responses={404: {"description": "Billing holds no such customer"}},
)
async def customer_in_full(
    customer_id: UUID, _reader: CustomerReader, billing: Annotated[Billing, Depends(billing_service)]
) -> view.CustomerInFull:
    """One customer with every debt: balance, instalments (due date, amount, paid), payments and their
    allocations, credit notes, breathing space holds, write-offs and refunds due."""
    async with billing.runtime.transaction(BillingStores.on, billing) as handling:
        stores = handling.stores
        customer = await stores.customer_view.customer(customer_id)
        if customer is None:
            raise HTTPException(404, f"billing holds no customer {customer_id}")
        debts = await stores.customer_view.debts(customer_id)
        debt_ids = [d.debt_id for d in debts]
        parts = await stores.customer_view.parts(customer_id, debt_ids)
        by_kind = await stores.debts.postings_by_kind(debt_ids)
    party = stored_party(customer.identity)
    totals = customer_balance(
        str(customer_id),
        [
            debt_summary(
                d.debt_id,
                d.debt_type,
                d.financial_year,
                d.originating_service,
                by_kind[d.debt_id],
                d.balance_pence,
            )
            for d in debts
        ],
    )
    paid = _paid_by_line(parts)
    allocations_of: dict[UUID, list[view.Allocation]] = defaultdict(list)
    for allocation in parts.allocations:
        allocations_of[allocation.payment_id].append(
            view.Allocation.model_validate(allocation, from_attributes=True)
        )
    return view.CustomerInFull(
        customer_id=customer.customer_id,
        **_who(party),
        previous_addresses=[
            view.Address(lines=list(a.lines), postcode=a.postcode) for a in party.previous_addresses
        ],
        references=dict(party.references),
        email=party.email,
        phone=party.phone,
        merged_into=customer.merged_into,
        owed_pence=totals.owed_pence,
        credit_pence=totals.credit_pence,
        refund_due_pence=sum(r.amount_pence for r in parts.refunds if r.status == "due"),
        by_debt_type_pence={t.value: p for t, p in totals.by_debt_type.items()},
        debts=[_debt_in_full(d, parts, paid, by_kind[d.debt_id]) for d in debts],
        payments=[
            view.Payment.model_validate(
                {
                    **asdict(p),
                    "held_on_debt_id": p.held_on_debt_id if p.status == "held_on_written_off_debt" else None,
                    "allocations": allocations_of.get(p.payment_id, []),
                }
            )
            for p in parts.payments
        ],
        refunds=[view.Refund.model_validate(r, from_attributes=True) for r in parts.refunds],
    )
