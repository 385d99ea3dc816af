"""A payment taken at the counter, recorded from the single view: the receipt given to the payer, how they paid,
how much, and the debts they said it is for (none: billing's order). Billing applies it as every council payment
and records the officer from the token; the same receipt sent again changes nothing."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import Response

from services.workbench.clients import ServiceProblem
from services.workbench.domain.forms import FormErrors, choice_from, pence_from, text_from
from services.workbench.domain.permissions import Action
from services.workbench.pages.common import Desk, OnDesk
from shared.money import format_pounds

router = APIRouter()

METHODS = {"cash": "Cash", "card": "Card, on the counter's card terminal"}
"""How a payer pays at the counter (billing's counter methods)."""

TITLE = "Record a counter payment"


async def _page(desk: Desk, customer_id: UUID, status_code: int = 200, **extra: Any) -> Response:
    desk.require(Action.RECORD_COUNTER_PAYMENT)
    try:
        customer = await desk.services.billing.customer(customer_id)
    except ServiceProblem as problem:
        return desk.problem(problem)
    extra.setdefault("fields", {})
    extra.setdefault("chosen", [])
    return desk.render(
        "counter_payment.html",
        status_code=status_code,
        title=TITLE,
        customer_id=customer_id,
        customer=customer,
        debts=[d for d in customer.get("debts", []) if d.get("status") != "cancelled"],
        methods=METHODS,
        **extra,
    )


@router.get("/customers/{customer_id}/counter-payment")
async def counter_payment_form(customer_id: UUID, desk: OnDesk) -> Response:
    """The receipt, method, amount and the debts the payer named."""
    return await _page(desk, customer_id)


@router.post("/customers/{customer_id}/counter-payment")
async def record_counter_payment(customer_id: UUID, desk: OnDesk) -> Response:
    """Record the payment with billing; its refusal is shown on the form with its reason."""
    desk.require(Action.RECORD_COUNTER_PAYMENT)
    form = await desk.form()
    fields = {key: values[-1] for key, values in form.items()}
    chosen = form.get("debt-ids", [])
    errors = FormErrors()
    amount = pence_from(fields, "amount", "the amount paid", errors, required=True)
    if amount == 0:
        errors.add("amount", "The amount paid must be more than £0")
    method = choice_from(fields, "method", METHODS, "Select how the payment was made", errors)
    receipt = text_from(
        fields, "receipt-reference", "the receipt reference given to the payer", errors, limit=64
    )
    if receipt and any(c.isspace() for c in receipt):
        errors.add("receipt-reference", "The receipt reference must not contain spaces")
    try:
        directed = [UUID(d) for d in chosen]
    except ValueError:
        directed = []
        errors.add("debt-ids", "Select only the customer's debts")

    async def call() -> dict[str, Any]:
        assert amount is not None  # checked above
        return await desk.services.billing.record_counter_payment(
            customer_id, receipt_reference=receipt, method=method, amount_pence=amount, directed_to=directed
        )

    async def page(**extra: Any) -> Response:
        return await _page(desk, customer_id, 422, fields=fields, chosen=chosen, **extra)

    def done(recorded: dict[str, Any]) -> str:
        if recorded.get("already_recorded"):
            return f"Receipt {receipt} was already recorded by {recorded.get('recorded_by')}: nothing changed"
        return f"Counter payment of {format_pounds(amount or 0)} recorded, receipt {receipt}"

    return await desk.submit(page, errors, call, f"/customers/{customer_id}", done)
