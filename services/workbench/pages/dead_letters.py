"""A dead letter from any service's tray: where it came from, why it failed and how often, and for the
operations team the message as it arrived (personal data, theirs only) and the choice to replay it to its queue
or discard it, with the reason. The service records who
settled it from the officer's token (shared/dead_letter_endpoints.py)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from services.workbench.clients import NotFound, ServiceProblem
from services.workbench.clients.dead_letters import SETTLEMENTS, DeadLettersApi
from services.workbench.domain.forms import FormErrors, choice_from, text_from
from services.workbench.domain.permissions import Action
from services.workbench.pages.common import Desk, OnDesk

router = APIRouter()

SETTLEMENT_CHOICES = {
    "replay": "Replay it to the queue it came from (the fault has been fixed)",
    "discard": "Discard it (no action is needed, or it was dealt with another way)",
}
assert set(SETTLEMENT_CHOICES) == set(SETTLEMENTS)


def _tray_of(desk: Desk, slug: str) -> DeadLettersApi:
    api = desk.services.dead_letters.get(slug)
    if api is None:
        raise NotFound("workbench", f"no service {slug} has a dead-letter tray")
    return api


def _readable(body: str) -> str:
    """The message's JSON laid out to read (as it came when it is not JSON)."""
    try:
        return json.dumps(json.loads(body), indent=2, ensure_ascii=False)
    except ValueError:
        return body


async def _page(desk: Desk, slug: str, dead_letter_id: int, status_code: int = 200, **extra: Any) -> Response:
    try:
        api = _tray_of(desk, slug)
        tray = await api.tray(include_settled=True)
        found = next((d for d in tray.get("dead_letters", []) if int(d["id"]) == dead_letter_id), None)
        if found is None:
            raise NotFound(api.service, f"{api.service} has no dead letter {dead_letter_id}")
    except ServiceProblem as problem:
        return desk.problem(problem)
    extra.setdefault("fields", {})
    message, message_problem = None, None
    if Action.SETTLE_DEAD_LETTER in desk.allowed:
        try:
            message = _readable(await api.message(dead_letter_id))
        except ServiceProblem as problem:
            message_problem = problem.reason
    return desk.render(
        "dead_letter.html",
        status_code=status_code,
        title=f"Dead letter {dead_letter_id} of {api.service}",
        service=api.service,
        letter=found,
        settlements=SETTLEMENT_CHOICES,
        message=message,
        message_problem=message_problem,
        **extra,
    )


@router.get("/dead-letters/{slug}/{dead_letter_id}")
async def dead_letter(slug: str, dead_letter_id: int, desk: OnDesk) -> Response:
    """One dead letter: its queue, routing key, why it failed, attempts, age, and how it was settled."""
    return await _page(desk, slug, dead_letter_id)


@router.post("/dead-letters/{slug}/{dead_letter_id}")
async def settle_dead_letter(slug: str, dead_letter_id: int, desk: OnDesk) -> Response:
    """Replay or discard the dead letter with the reason; the service records the officer as who settled it."""
    desk.require(Action.SETTLE_DEAD_LETTER)
    fields = await desk.fields()
    errors = FormErrors()
    settlement = choice_from(
        fields, "settlement", SETTLEMENT_CHOICES, "Select whether to replay or discard it", errors
    )
    reason = text_from(fields, "reason", "why: the fix made, or why no action is needed", errors, limit=1000)
    if reason and len(reason) < 3:
        errors.add("reason", "The reason must be 3 characters or more")

    async def call() -> None:
        await _tray_of(desk, slug).settle(settlement, dead_letter_id, reason)

    async def page(**extra: Any) -> Response:
        return await _page(desk, slug, dead_letter_id, 422, fields=fields, **extra)

    done = "Dead letter replayed" if settlement == "replay" else "Dead letter discarded"
    return await desk.submit(page, errors, call, "/trays", done)
