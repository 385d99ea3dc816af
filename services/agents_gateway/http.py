"""The gateway's HTTP face for council officers and operations.

- GET  /status                              alerts (quarantined files), work waiting, last files
- GET  /agents                              the registry, without secrets
- POST /agents/{code}/send-now              send the agent's waiting placements and instructions now
- POST /agents/{code}/poll-now              fetch and handle the agent's new returns now
- GET  /quarantine                          quarantined files with every problem
- POST /quarantine/{file_id}/resolve        an officer closes the alert for one quarantined file
- GET  /placements/{referral_id}            one placement and where it stands
- POST /placements/{referral_id}/return-request   ask the agent to return the case
- GET  /reconciliation?as_of=&after_days=   the three reconciliation checks
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any
from uuid import UUID

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field
from sqlalchemy import text

from services.agents_gateway import inbound_files, outbound_files
from services.agents_gateway.domain.agent_registry import Agent
from services.agents_gateway.gateway import agents, runtime
from services.agents_gateway.recalls import NotWithAnAgent, request_return
from services.agents_gateway.reconciliation import reconcile
from services.agents_gateway.sftp import AgentUnreachable
from services.agents_gateway.tables import PlacementRow
from shared.clock import clock

app = FastAPI(title="Agents gateway", description=__doc__)
runtime.http_app = app


def _agent(code: str) -> Agent:
    try:
        return agents.agent(code)
    except KeyError:
        raise HTTPException(404, f"no agent {code} in the registry") from None


@app.get("/agents")
async def list_agents() -> list[dict[str, Any]]:
    """Each agent's code, name, kind, debt types, endpoint host and schedule (never keys or passwords)."""
    return [
        {
            "code": agent.code,
            "name": agent.name,
            "kind": agent.kind.value,
            "debt_types": sorted(agent.debt_types),
            "sftp_host": f"{agent.sftp.host}:{agent.sftp.port}",
            "file_format_version": agent.file_format_version,
            "schedule": agent.schedule.model_dump(mode="json"),
        }
        for agent in agents.registry.agents
    ]


@app.post("/agents/{code}/send-now")
async def send_now(code: str) -> dict[str, Any]:
    """Build, sign, encrypt and upload the agent's waiting placements and instructions at once."""
    agent = _agent(code)
    try:
        sent = await outbound_files.send_waiting_files(agent, urgent_only=False)
    except AgentUnreachable as error:
        raise HTTPException(502, str(error)) from None
    return {"sent": asdict(sent) if sent else None}


@app.post("/agents/{code}/poll-now")
async def poll_now(code: str) -> dict[str, Any]:
    """Fetch and handle the agent's new files at once."""
    agent = _agent(code)
    try:
        outcomes = await inbound_files.poll_agent(agent)
    except AgentUnreachable as error:
        raise HTTPException(502, str(error)) from None
    return {"files": [asdict(outcome) for outcome in outcomes]}


_QUARANTINE = text(
    "SELECT file_id, agent_code, file_name, sha256, sequence, problems, received_at, rejection_file_id, "
    "resolved_at, resolved_by, resolution FROM received_file WHERE outcome = 'quarantined' "
    "ORDER BY file_id DESC LIMIT :limit"
)


@app.get("/quarantine")
async def quarantined_files(limit: int = 100) -> list[dict[str, Any]]:
    """Files refused whole, newest first, with every problem and whether the agent was sent a rejection."""
    async with runtime.database.transaction() as session:
        rows = (await session.execute(_QUARANTINE, {"limit": limit})).all()
    return [
        {
            "file_id": row.file_id,
            "agent": row.agent_code,
            "file_name": row.file_name,
            "sha256": row.sha256,
            "sequence": row.sequence,
            "problems": row.problems,
            "received_at": row.received_at.isoformat(),
            "rejection_sent": row.rejection_file_id is not None,
            "resolved_at": row.resolved_at.isoformat() if row.resolved_at else None,
            "resolved_by": row.resolved_by,
            "resolution": row.resolution,
        }
        for row in rows
    ]


class Resolution(BaseModel):
    """An officer records what was done about a quarantined file (e.g. the agent resent it corrected)."""

    resolved_by: str = Field(min_length=2, max_length=200)
    resolution: str = Field(min_length=3, max_length=2000)


_RESOLVE = text(
    "UPDATE received_file SET resolved_at = now(), resolved_by = :by, resolution = :resolution "
    "WHERE file_id = :file_id AND outcome = 'quarantined' AND resolved_at IS NULL RETURNING file_id"
)


@app.post("/quarantine/{file_id}/resolve")
async def resolve_quarantined_file(file_id: int, resolution: Resolution) -> dict[str, str]:
    """Close the alert for one quarantined file; the file and its report are kept."""
    async with runtime.database.transaction() as session:
        done = (
            await session.execute(
                _RESOLVE,
                {"by": resolution.resolved_by, "resolution": resolution.resolution, "file_id": file_id},
            )
        ).scalar()
    if done is None:
        raise HTTPException(404, "no unresolved quarantined file with that id")
    return {"status": "resolved"}


_STATUS = text(
    """
    SELECT
      (SELECT count(*) FROM received_file WHERE outcome = 'quarantined') AS quarantined,
      (SELECT count(*) FROM received_file WHERE outcome = 'quarantined' AND resolved_at IS NULL)
          AS quarantined_unresolved,
      (SELECT count(*) FROM received_file WHERE outcome = 'quarantined' AND rejection_file_id IS NULL
          AND EXISTS (SELECT 1 FROM jsonb_array_elements(problems) AS problem
                      WHERE problem ->> 'code' <> 'council_key_unusable')) AS rejections_owed,
      (SELECT count(*) FROM instruction WHERE sent_file_id IS NULL AND urgent) AS urgent_waiting,
      (SELECT count(*) FROM instruction WHERE sent_file_id IS NULL AND NOT urgent) AS instructions_waiting,
      (SELECT count(*) FROM placement WHERE status = 'awaiting_file') AS placements_waiting,
      (SELECT count(*) FROM hold_confirmation WHERE confirmed_at IS NULL) AS holds_unconfirmed,
      (SELECT max(sent_at) FROM sent_file) AS last_sent,
      (SELECT max(received_at) FROM received_file) AS last_received
    """
)


@app.get("/status")
async def status() -> dict[str, Any]:
    """'alert' while a quarantined file awaits an officer or urgent work waits; the counts behind it."""
    async with runtime.database.transaction() as session:
        row = (await session.execute(_STATUS)).one()
    counts = dict(row._mapping)
    alert = counts["quarantined_unresolved"] > 0 or counts["urgent_waiting"] > 0
    return {
        "status": "alert" if alert else "ok",
        **{
            key: (value.isoformat() if hasattr(value, "isoformat") else value)
            for key, value in counts.items()
        },
    }


@app.get("/placements/{referral_id}")
async def placement(referral_id: UUID) -> dict[str, Any]:
    """Where one placement stands."""
    async with runtime.database.transaction() as session:
        row = await session.get(PlacementRow, referral_id)
    if row is None:
        raise HTTPException(404, "no such placement")
    return row.model_dump(mode="json")


class ReturnRequest(BaseModel):
    """An officer asks the agent to return a case."""

    reason: str = Field(min_length=3, max_length=2000)


@app.post("/placements/{referral_id}/return-request", status_code=202)
async def ask_for_return(referral_id: UUID, request: ReturnRequest) -> dict[str, str]:
    """Queue a return request for the agent's next file."""
    async with runtime.database.transaction() as session:
        row = await session.get(PlacementRow, referral_id)
        if row is None:
            raise HTTPException(404, "no such placement")
        try:
            await request_return(session, row, request.reason)
        except NotWithAnAgent as error:
            raise HTTPException(409, str(error)) from None
    return {"status": "queued for the next file"}


@app.get("/reconciliation")
async def reconciliation(
    as_of: date | None = None, after_days: int | None = None, posting_lag_days: int = 3
) -> dict[str, Any]:
    """Unacknowledged placements, payments reported vs posted, and activity on recalled cases."""
    result = await reconcile(as_of or clock.today(), after_days, posting_lag_days)
    return {
        "as_of": result.as_of.isoformat(),
        "unacknowledged_placements": [asdict(p) for p in result.unacknowledged],
        "payments": {
            "balanced": result.payments.balanced,
            "matched": len(result.payments.matched),
            "reported_total_pence": result.payments.reported_total_pence,
            "reported_not_posted": [asdict(p) for p in result.payments.reported_not_posted],
            "posted_not_reported": [asdict(p) for p in result.payments.posted_not_reported],
            "mismatched": [asdict(m) for m in result.payments.mismatched],
        },
        "activity_after_recall": [asdict(a) for a in result.activity_after_recall],
    }
