"""The single view of a customer, and the letters on their cases."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import Response

from services.workbench.clients import Refused, ServiceProblem
from services.workbench.customer_view import gather_customer
from services.workbench.domain.permissions import Action
from services.workbench.pages.common import OnDesk, after_action

router = APIRouter()


@router.get("/customers/{customer_id}")
async def customer(customer_id: UUID, desk: OnDesk, done: str | None = None) -> Response:
    """Every debt with its balance, instalments, payments and allocations, where recovery stands, holds,
    arrangements, placements, write-offs, contacts and the case record."""
    try:
        gathered = await gather_customer(desk.services, customer_id)
    except ServiceProblem as problem:
        return desk.problem(problem)
    return desk.render(
        "customer.html",
        title=str(gathered.view.customer.get("name") or "Customer"),
        customer_id=customer_id,
        gathered=gathered,
        view=gathered.view,
        done=done,
    )


@router.get("/customers/{customer_id}/cases/{case_id}/letters/{notice_id}")
async def letter(customer_id: UUID, case_id: UUID, notice_id: UUID, desk: OnDesk) -> Response:
    """One letter as it was issued."""
    try:
        notice = await desk.services.recovery.notice(case_id, notice_id)
    except ServiceProblem as problem:
        return desk.problem(problem)
    return desk.render("letter.html", title="Letter", customer_id=customer_id, case_id=case_id, notice=notice)


@router.get("/customers/{customer_id}/cases/{case_id}/letters/{notice_id}/pdf")
async def letter_pdf(customer_id: UUID, case_id: UUID, notice_id: UUID, desk: OnDesk) -> Response:
    """The letter's PDF as it was posted, fetched from recovery with the officer's token."""
    try:
        content, media_type = await desk.services.recovery.letter_pdf(case_id, notice_id)
    except ServiceProblem as problem:
        return desk.problem(problem)
    return Response(content, media_type=media_type, headers={"Content-Disposition": "inline"})


@router.post("/customers/{customer_id}/refunds/{refund_id}/authorise")
async def authorise_refund(customer_id: UUID, refund_id: UUID, desk: OnDesk) -> Response:
    """A senior officer authorises a refund due; billing records them as who authorised it."""
    desk.require(Action.AUTHORISE_REFUND)
    try:
        await desk.services.billing.authorise_refund(refund_id)
    except Refused as refused:
        return after_action(f"/customers/{customer_id}", f"Refund not authorised: {refused.reason}")
    except ServiceProblem as problem:
        return desk.problem(problem)
    return after_action(f"/customers/{customer_id}", "Refund authorised")
