"""Decisions that resolve tray items: a billing customer match confirmed or rejected, a breathing space match
confirmed or rejected, a quarantined agent file resolved. Each calls the owning service's route; a refusal is
shown on the same page with the service's reason."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response

from services.workbench.clients import NotFound, ServiceProblem
from services.workbench.domain.forms import FormErrors, text_from
from services.workbench.domain.permissions import Action
from services.workbench.officer import Officer
from services.workbench.pages.common import Desk, OnDesk

router = APIRouter()


def _status(extra: dict[str, Any]) -> int:
    return 422 if extra.get("errors") or extra.get("refusal") else 200


async def _customer_or_none(desk: Desk, customer_id: str) -> dict[str, Any] | None:
    try:
        return await desk.services.billing.customer(UUID(customer_id))
    except ServiceProblem:
        return None


async def _review_page(desk: Desk, review_id: UUID, **extra: Any) -> Response:
    try:
        reviews = await desk.services.billing.match_reviews()
        review = next((r for r in reviews if r["review_id"] == str(review_id)), None)
        if review is None:
            raise NotFound("billing", f"no open match review {review_id}")
    except ServiceProblem as problem:
        return desk.problem(problem)
    ids = [review["customer_id"], *review["possible_matches"]]
    found = await asyncio.gather(*(_customer_or_none(desk, c) for c in ids))
    return desk.render(
        "match_review.html",
        status_code=_status(extra),
        title="Is this an existing customer?",
        review=review,
        provisional=found[0],
        candidates=list(zip(review["possible_matches"], found[1:], strict=True)),
        **extra,
    )


def _chosen_customer(decision: str) -> UUID | None:
    """The customer id of a 'confirm:<id>' answer (None for anything else)."""
    if not decision.startswith("confirm:"):
        return None
    try:
        return UUID(decision.removeprefix("confirm:"))
    except ValueError:
        return None


@router.get("/match-reviews/{review_id}")
async def match_review(review_id: UUID, desk: OnDesk) -> Response:
    """The provisional customer beside each possible match, to confirm one or reject them all."""
    return await _review_page(desk, review_id)


@router.post("/match-reviews/{review_id}")
async def decide_match_review(review_id: UUID, desk: OnDesk) -> Response:
    """Confirm (the debts move to the chosen customer) or reject (they stay two customers)."""
    desk.require(Action.DECIDE_CUSTOMER_MATCH)
    decision = (await desk.fields()).get("decision", "")
    chosen = _chosen_customer(decision)
    errors = FormErrors()
    if decision != "reject" and chosen is None:
        errors.add("decision", "Select the existing customer they are, or that they are a different customer")

    async def call() -> None:
        if chosen is None:
            await desk.services.billing.reject_match(review_id)
        else:
            await desk.services.billing.confirm_match(review_id, chosen)

    async def page(**extra: Any) -> Response:
        return await _review_page(desk, review_id, **extra)

    return await desk.submit(page, errors, call, "/trays", "Match confirmed" if chosen else "Match rejected")


async def _moratorium_page(desk: Desk, reference: str, **extra: Any) -> Response:
    try:
        status, moratorium = await asyncio.gather(
            desk.services.breathing_space.status(), desk.services.breathing_space.moratorium(reference)
        )
    except ServiceProblem as problem:
        return desk.problem(problem)
    pending = next(
        (m for m in status.get("pending_matches", []) if m["moratorium_reference"] == reference), None
    )
    candidate_ids = [str(c["customer_id"]) for c in (pending or {}).get("candidates", [])]
    people = await asyncio.gather(*(_customer_or_none(desk, c) for c in candidate_ids))
    return desk.render(
        "moratorium.html",
        status_code=_status(extra),
        title=f"Breathing space {reference}",
        reference=reference,
        moratorium=moratorium,
        pending=pending,
        people=dict(zip(candidate_ids, people, strict=True)),
        **extra,
    )


@router.get("/breathing-space/moratoria/{reference}")
async def moratorium(reference: str, desk: OnDesk) -> Response:
    """One moratorium: its period, the debts held and each service's confirmations."""
    return await _moratorium_page(desk, reference)


@router.get("/breathing-space/matches/{reference}")
async def breathing_space_match(reference: str, officer: Officer) -> RedirectResponse:
    """A pending match is decided on its moratorium's page."""
    return RedirectResponse(f"/breathing-space/moratoria/{reference}#match", status_code=303)


@router.post("/breathing-space/moratoria/{reference}/match")
async def decide_breathing_space_match(reference: str, desk: OnDesk) -> Response:
    """Confirm which candidates are the person (every debt they owe is held), or reject them all."""
    desk.require(Action.DECIDE_BREATHING_SPACE_MATCH)
    form = await desk.form()
    fields = {key: values[-1] for key, values in form.items()}
    decision = fields.get("decision", "")
    errors = FormErrors()
    try:
        chosen = [UUID(c) for c in form.get("customer-ids", [])]
    except ValueError:
        chosen = []
    if decision not in {"confirm", "reject"}:
        errors.add("decision", "Select whether a candidate is the person in breathing space")
    elif decision == "confirm" and not chosen:
        errors.add("customer-ids", "Select the candidates who are the person in breathing space")
    reason = (
        text_from(fields, "reason", "why no candidate is the person", errors) if decision == "reject" else ""
    )

    async def call() -> None:
        if decision == "confirm":
            await desk.services.breathing_space.confirm_match(reference, chosen)
        else:
            await desk.services.breathing_space.reject_match(reference, reason)

    async def page(**extra: Any) -> Response:
        return await _moratorium_page(desk, reference, **extra)

    return await desk.submit(page, errors, call, "/trays", f"Breathing space match {decision}ed")


async def _agent_file_page(desk: Desk, file_id: int, **extra: Any) -> Response:
    try:
        files = await desk.services.agents_gateway.quarantined_files()
        found = next((f for f in files if f["file_id"] == file_id), None)
        if found is None:
            raise NotFound("agents gateway", f"no quarantined file {file_id}")
    except ServiceProblem as problem:
        return desk.problem(problem)
    return desk.render(
        "agent_file.html",
        status_code=_status(extra),
        title=f"Quarantined file {found['file_name']}",
        file=found,
        **extra,
    )


@router.get("/agent-files/{file_id}")
async def agent_file(file_id: int, desk: OnDesk) -> Response:
    """A file refused whole, with every problem."""
    return await _agent_file_page(desk, file_id)


@router.post("/agent-files/{file_id}")
async def resolve_agent_file(file_id: int, desk: OnDesk) -> Response:
    """Close the alert with what was done (e.g. the agent resent it corrected)."""
    desk.require(Action.RESOLVE_QUARANTINED_FILE)
    fields = await desk.fields()
    errors = FormErrors()
    resolution = text_from(fields, "resolution", "what was done about the file", errors)

    async def call() -> None:
        await desk.services.agents_gateway.resolve_quarantined_file(file_id, resolution)

    async def page(**extra: Any) -> Response:
        return await _agent_file_page(desk, file_id, fields=fields, **extra)

    return await desk.submit(page, errors, call, "/trays", "Quarantined file resolved")


async def _refused_placement_page(desk: Desk, referral_id: UUID, **extra: Any) -> Response:
    try:
        tray = await desk.services.agents_gateway.refused_placements()
        found = next((i for i in tray.get("items", []) if i["referral_id"] == str(referral_id)), None)
        if found is None:
            raise NotFound("agents gateway", f"no refused referral {referral_id} waits for an officer")
    except ServiceProblem as problem:
        return desk.problem(problem)
    return desk.render(
        "refused_placement.html",
        status_code=_status(extra),
        title="A referral no agent may take",
        item=found,
        **extra,
    )


@router.get("/refused-placements/{referral_id}")
async def refused_placement(referral_id: UUID, desk: OnDesk) -> Response:
    """Why the gateway refused the referral, and the collection agencies that could lawfully take it."""
    return await _refused_placement_page(desk, referral_id)


@router.post("/refused-placements/{referral_id}")
async def decide_refused_placement(referral_id: UUID, desk: OnDesk) -> Response:
    """Redirect the referral to a lawful agency, or give it back to recovery."""
    desk.require(Action.DECIDE_REFUSED_PLACEMENT)
    fields = await desk.fields()
    decision = fields.get("decision", "")
    errors = FormErrors()
    if decision != "return" and not decision.startswith("redirect"):
        errors.add("decision", "Select an agency to send it to, or give it back to recovery")
    reason = fields.get("reason", "").strip()
    if decision == "return":
        reason = text_from(fields, "reason", "why it goes back to recovery", errors)
    agent = decision.removeprefix("redirect:") if decision.startswith("redirect:") else None

    async def call() -> None:
        if decision == "return":
            await desk.services.agents_gateway.return_refused_placement(referral_id, reason)
        else:
            await desk.services.agents_gateway.redirect_refused_placement(referral_id, agent, reason)

    async def page(**extra: Any) -> Response:
        return await _refused_placement_page(desk, referral_id, fields=fields, **extra)

    done = "Referral returned to recovery" if decision == "return" else "Referral sent to the agency"
    return await desk.submit(page, errors, call, "/trays", done)
