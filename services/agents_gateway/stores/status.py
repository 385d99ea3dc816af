"""The counts behind the gateway's status page: alerts, work waiting and the last files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.agents_gateway.stores.files import AWAITING_AN_OFFICER, OWES_A_REJECTION
from services.agents_gateway.stores.placements import REFUSED_AWAITING_AN_OFFICER


def _age_of_oldest(column: str) -> str:
    return f"coalesce(extract(epoch FROM now() - min({column})), 0)"


WORK_TRAYS: dict[str, str] = {
    "agent_files_quarantined": (
        f"SELECT count(*), {_age_of_oldest('received_at')} FROM agents_gateway.received_file "
        f"WHERE {AWAITING_AN_OFFICER}"
    ),
    "placements_refused": (
        f"SELECT count(*), {_age_of_oldest('refused_at')} FROM agents_gateway.placement "
        f"WHERE {REFUSED_AWAITING_AN_OFFICER}"
    ),
    "rejection_files_owed": (
        f"SELECT count(*), {_age_of_oldest('received_at')} FROM agents_gateway.received_file "
        f"WHERE {OWES_A_REJECTION}"
    ),
    "holds_and_recalls_unsent": (
        f"SELECT count(*), {_age_of_oldest('created_at')} FROM agents_gateway.instruction "
        "WHERE urgent AND sent_file_id IS NULL"
    ),
}
"""The gateway's work trays for /metrics (`ServiceRuntime.watch_tray`: items waiting, age in seconds of the
oldest), each the same condition its tray or `GET /status` counts: quarantined agent files awaiting an officer
(`GET /quarantine/tray`), refused referrals awaiting an officer (`GET /placements/refused`), quarantined files
whose rejection file has not reached the agent yet, and holds and recalls not yet uploaded to the agent (a
breathing space must stop enforcement at once)."""


@dataclass(frozen=True)
class GatewayStatus:
    """What `GET /status` reports, in the order it reports it."""

    quarantined: int
    quarantined_unresolved: int
    rejections_owed: int
    urgent_waiting: int
    instructions_waiting: int
    placements_waiting: int
    holds_unconfirmed: int
    refused_awaiting_officer: int
    last_sent: datetime | None
    last_received: datetime | None


_STATUS = text(
    f"""
    SELECT
      (SELECT count(*) FROM received_file WHERE outcome = 'quarantined') AS quarantined,
      (SELECT count(*) FROM received_file WHERE outcome = 'quarantined' AND resolved_at IS NULL)
          AS quarantined_unresolved,
      (SELECT count(*) FROM received_file WHERE {OWES_A_REJECTION}) AS rejections_owed,
      (SELECT count(*) FROM instruction WHERE sent_file_id IS NULL AND urgent) AS urgent_waiting,
      (SELECT count(*) FROM instruction WHERE sent_file_id IS NULL AND NOT urgent) AS instructions_waiting,
      (SELECT count(*) FROM placement WHERE status = 'awaiting_file') AS placements_waiting,
      (SELECT count(*) FROM hold_confirmation WHERE confirmed_at IS NULL) AS holds_unconfirmed,
      (SELECT count(*) FROM placement WHERE status = 'refused' AND decision IS NULL) AS refused_awaiting_officer,
      (SELECT max(sent_at) FROM sent_file) AS last_sent,
      (SELECT max(received_at) FROM received_file) AS last_received
    """
)


class StatusStore:
    """Counts across the gateway's tables."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def status(self) -> GatewayStatus:
        """The counts as of now."""
        return GatewayStatus(*(await self.session.execute(_STATUS)).one())
