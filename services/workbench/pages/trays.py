"""The work trays: counts and ages of what waits, across the services, each item opening where it is resolved."""

from __future__ import annotations

from datetime import UTC, date, datetime

from fastapi import APIRouter
from fastapi.responses import Response

from services.workbench.pages.common import OnDesk
from services.workbench.work_trays import every_tray

router = APIRouter()


@router.get("/trays")
async def trays(desk: OnDesk, done: str | None = None) -> Response:
    """Every tray, with how many items wait and how long the oldest has."""
    settings = desk.request.app.state.settings
    found = await every_tray(
        desk.services, settings.writeoff_pages_url or settings.writeoff_url, desk.officer.roles
    )
    return desk.render(
        "trays.html", title="Work trays", trays=found, now=datetime.now(UTC), today=date.today(), done=done
    )
