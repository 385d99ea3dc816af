"""The dead-letter tray over HTTP, on every service: what the operations team (and the workbench's tray) works.

The same tray as `council-debt <service> dead-letters ...` (shared/messaging/dead_letter_tray.py): listing shows
no personal data and is open to auditors too; reading a message's body, replaying and discarding are for the
operations role, and who did it comes from the token.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from shared.auth import Principal, Role, requires
from shared.messaging.dead_letter_tray import DeadLetter, DeadLetterError, DeadLetterTray

Operator = Annotated[Principal, Depends(requires(Role.OPERATIONS))]
Reader = Annotated[Principal, Depends(requires(Role.OPERATIONS, Role.AUDITOR))]


class DeadLetterView(BaseModel):
    """One dead letter as the tray lists it: where it came from, why it failed, how old it is (no body)."""

    id: int
    queue: str
    routing_key: str | None
    event_id: str | None
    reason: str
    attempts: int
    dead_lettered_at: datetime
    age_seconds: int
    first_seen_at: datetime
    times_dead_lettered: int
    settlement: str | None
    settled_by: str | None
    settled_at: datetime | None
    settlement_reason: str | None


class DeadLetterTrayView(BaseModel):
    """The tray: how many wait, the oldest's age, and each one."""

    service: str
    waiting: int
    oldest_waiting_age_seconds: int | None
    dead_letters: list[DeadLetterView]


class Settlement(BaseModel):
    """Replay or discard: which dead letters (or every one waiting, optionally of one queue) and why."""

    model_config = ConfigDict(extra="forbid")

    ids: list[int] = Field(default_factory=list, max_length=10_000)
    all_waiting: bool = False
    queue: str | None = Field(default=None, max_length=255)
    reason: str = Field(
        min_length=3, max_length=1000, description="Why: the fix made, or why no action is needed"
    )


class Settled(BaseModel):
    """How many dead letters were settled."""

    settlement: str
    count: int
    by: str


def _view(letter: DeadLetter, now: datetime) -> DeadLetterView:
    age = int((now - letter.dead_lettered_at).total_seconds())
    return DeadLetterView(**letter.__dict__, age_seconds=max(age, 0))


def dead_letter_router(service: str, tray: Callable[[], DeadLetterTray]) -> APIRouter:
    """`/dead-letters` routes for one service's tray."""
    router = APIRouter(prefix="/dead-letters", tags=["dead letters"])

    async def _ids(tray_now: DeadLetterTray, asked: Settlement) -> list[int]:
        if asked.all_waiting:
            return await tray_now.unsettled_ids(asked.queue)
        if not asked.ids:
            raise HTTPException(422, detail={"reason": "name the dead letters (ids) or ask for all_waiting"})
        return asked.ids

    @router.get("", response_model=DeadLetterTrayView, summary="The dead-letter tray")
    async def list_dead_letters(
        _reader: Reader,
        include_settled: bool = False,
        queue: Annotated[str | None, Query(max_length=255)] = None,
        limit: Annotated[int, Query(ge=1, le=5000)] = 500,
    ) -> DeadLetterTrayView:
        letters = await tray().dead_letters(include_settled=include_settled, queue=queue, limit=limit)
        now = datetime.now(UTC)
        views = [_view(letter, now) for letter in letters]
        waiting = [view for view in views if view.settled_at is None]
        return DeadLetterTrayView(
            service=service,
            waiting=len(waiting),
            oldest_waiting_age_seconds=max((view.age_seconds for view in waiting), default=None),
            dead_letters=views,
        )

    @router.get(
        "/{dead_letter_id}/message",
        summary="The message as it arrived (personal data)",
        responses={200: {"content": {"application/json": {}}}, 404: {"description": "No such dead letter"}},
    )
    async def message_of(dead_letter_id: int, _operator: Operator) -> Response:
        try:
            body = await tray().body_of(dead_letter_id)
        except DeadLetterError as missing:
            raise HTTPException(404, detail={"reason": str(missing)}) from None
        return Response(body, media_type="application/json")

    @router.post("/replay", response_model=Settled, summary="Replay dead letters to the queue each came from")
    async def replay(asked: Settlement, operator: Operator) -> Settled:
        tray_now = tray()
        try:
            count = await tray_now.replay(
                await _ids(tray_now, asked), by=operator.recorded_as, reason=asked.reason
            )
        except DeadLetterError as refusal:
            raise HTTPException(409, detail={"reason": str(refusal)}) from None
        return Settled(settlement="replayed", count=count, by=operator.recorded_as)

    @router.post("/discard", response_model=Settled, summary="Settle dead letters without replaying them")
    async def discard(asked: Settlement, operator: Operator) -> Settled:
        tray_now = tray()
        try:
            count = await tray_now.discard(
                await _ids(tray_now, asked), by=operator.recorded_as, reason=asked.reason
            )
        except DeadLetterError as refusal:
            raise HTTPException(409, detail={"reason": str(refusal)}) from None
        return Settled(settlement="discarded", count=count, by=operator.recorded_as)

    return router
