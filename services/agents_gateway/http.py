"""The gateway's HTTP face for council officers and operations. Every route needs a signed-in principal: actions
the agents officer role, reads the agents officer or auditor role (placements also revenues and senior officers,
for the officers' workbench); who acted is always the principal.

- GET  /status                              alerts (quarantined files), work waiting, last files
- GET  /agents                              the registry, without secrets
- POST /agents/{code}/send-now              send the agent's waiting placements and instructions now
- POST /agents/{code}/poll-now              fetch and handle the agent's new returns now
- GET  /quarantine                          quarantined files with every problem
- GET  /quarantine/tray                     quarantined files awaiting an officer: count, ages, reports
- POST /quarantine/{file_id}/resolve        an officer closes the alert for one quarantined file
- POST /quarantine/{file_id}/discard        an officer discards it (nothing applied)
- POST /quarantine/{file_id}/release        check it again and, if it now passes, apply it whole
- GET  /placements/refused                   the officers' tray of refused referrals (count, age, reasons)
- POST /placements/{referral_id}/redirect   send a refused referral to an agent that may take it
- POST /placements/{referral_id}/return-to-recovery   give a refused referral back to recovery
- GET  /placements?customer_id=             a customer's placements
- GET  /placements/{referral_id}            one placement and where it stands
- POST /placements/{referral_id}/return-request   ask the agent to return the case (who asked is kept)
- GET  /return-requests                     returns asked of agents, with the officer who asked
- GET  /reconciliation?as_of=&after_days=   the three reconciliation checks
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from pydantic import BaseModel, Field

from services.agents_gateway import inbound_files, outbound_files, quarantine_tray, refused_placements
from services.agents_gateway.domain.agent_registry import Agent
from services.agents_gateway.domain.refused_placements import CannotRedirect
from services.agents_gateway.gateway_service import AgentsGateway
from services.agents_gateway.recalls import NotWithAnAgent, request_return
from services.agents_gateway.reconciliation import reconcile
from services.agents_gateway.sftp import AgentUnreachable
from services.agents_gateway.stores import AgentsGatewayStores
from services.agents_gateway.stores.instructions import ReturnRequest as ReturnRequestRow
from shared.auth import Principal, Role, requires

router = APIRouter()


def the_gateway(request: Request) -> AgentsGateway:
    """The gateway this app was built for (set on the app by bootstrap)."""
    gateway: AgentsGateway = request.app.state.service
    return gateway


Gateway = Annotated[AgentsGateway, Depends(the_gateway)]
Officer = Annotated[Principal, Depends(requires(Role.AGENTS_OFFICER))]
"""An agents officer: the only one who acts on placements, files and agents."""
Reader = Annotated[Principal, Depends(requires(Role.AGENTS_OFFICER, Role.AUDITOR))]
"""An agents officer or an auditor (who reads everything and changes nothing)."""
StatusReader = Annotated[Principal, Depends(requires(Role.AGENTS_OFFICER, Role.AUDITOR, Role.OPERATIONS))]
"""The status page is also the operators' alert."""
PlacementReader = Annotated[
    Principal,
    Depends(requires(Role.AGENTS_OFFICER, Role.REVENUES_OFFICER, Role.SENIOR_OFFICER, Role.AUDITOR)),
]
"""Placements are also read by revenues and senior officers (the officers' workbench shows a customer's
placements); only an agents officer acts on them."""


def gateway_app(gateway: AgentsGateway) -> FastAPI:
    """The gateway's HTTP app, its routes given this gateway."""
    app = FastAPI(title="Agents gateway", description=__doc__)
    app.state.service = gateway
    app.include_router(router)
    return app


def _agent(gateway: AgentsGateway, code: str) -> Agent:
    try:
        return gateway.agents.agent(code)
    except KeyError:
        raise HTTPException(404, f"no agent {code} in the registry") from None


@router.get("/agents")
async def list_agents(gateway: Gateway, _reader: Reader) -> list[dict[str, Any]]:
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
        for agent in gateway.agents.registry.agents
    ]


@router.post("/agents/{code}/send-now")
async def send_now(code: str, gateway: Gateway, _officer: Officer) -> dict[str, Any]:
    """Build, sign, encrypt and upload the agent's waiting placements and instructions at once."""
    agent = _agent(gateway, code)
    try:
        sent = await outbound_files.send_waiting_files(gateway, agent, urgent_only=False)
    except AgentUnreachable as error:
        raise HTTPException(502, str(error)) from None
    return {"sent": asdict(sent) if sent else None}


@router.post("/agents/{code}/poll-now")
async def poll_now(code: str, gateway: Gateway, _officer: Officer) -> dict[str, Any]:
    """Fetch and handle the agent's new files at once."""
    agent = _agent(gateway, code)
    try:
        outcomes = await inbound_files.poll_agent(gateway, agent)
    except AgentUnreachable as error:
        raise HTTPException(502, str(error)) from None
    return {"files": [asdict(outcome) for outcome in outcomes]}


async def quarantine_report(gateway: AgentsGateway, limit: int = 100) -> list[dict[str, Any]]:
    """Files refused whole, newest first, with every problem and whether the agent was sent a rejection."""
    async with gateway.runtime.transaction(AgentsGatewayStores.on, gateway) as handling:
        files = await handling.stores.received_files.quarantined(limit)
    return [
        {
            "file_id": file.file_id,
            "agent": file.agent_code,
            "file_name": file.file_name,
            "sha256": file.sha256,
            "sequence": file.sequence,
            "problems": file.problems,
            "received_at": file.received_at.isoformat(),
            "rejection_sent": file.rejection_file_id is not None,
            "resolved_at": file.resolved_at.isoformat() if file.resolved_at else None,
            "resolved_by": file.resolved_by,
            "resolution": file.resolution,
            "decision": file.decision,
        }
        for file in files
    ]


@router.get("/quarantine")
async def quarantined_files(gateway: Gateway, _reader: Reader, limit: int = 100) -> list[dict[str, Any]]:
    """Files refused whole, newest first, with every problem and whether the agent was sent a rejection."""
    return await quarantine_report(gateway, limit)


class Resolution(BaseModel):
    """An officer records what was done about a quarantined file (e.g. the agent resent it corrected)."""

    resolution: str = Field(min_length=3, max_length=2000)


@router.post("/quarantine/{file_id}/resolve")
async def resolve_quarantined_file(
    file_id: int, resolution: Resolution, gateway: Gateway, officer: Officer
) -> dict[str, str]:
    """Close the alert for one quarantined file; the file and its report are kept, with who closed it."""
    async with gateway.runtime.transaction(AgentsGatewayStores.on, gateway) as handling:
        done = await handling.stores.received_files.resolve(
            file_id, officer.recorded_as, resolution.resolution
        )
    if not done:
        raise HTTPException(404, "no unresolved quarantined file with that id")
    return {"status": "resolved"}


@router.get("/quarantine/tray")
async def quarantined_files_tray(gateway: Gateway, _reader: Reader, limit: int = 100) -> dict[str, Any]:
    """Quarantined files awaiting an officer: the count, the oldest's age in hours, each with its report."""
    return await quarantine_tray.quarantine_tray(gateway, limit)


class Decision(BaseModel):
    """Why an officer discards or releases a quarantined file."""

    reason: str = Field(min_length=3, max_length=2000)


@router.post("/quarantine/{file_id}/discard")
async def discard_quarantined_file(
    file_id: int, decision: Decision, gateway: Gateway, officer: Officer
) -> dict[str, str]:
    """Discard a quarantined file: nothing of it is applied; the file and report are kept, with who and why."""
    try:
        await quarantine_tray.discard(gateway, file_id, officer.recorded_as, decision.reason)
    except quarantine_tray.NotAwaitingAnOfficer as error:
        raise HTTPException(404, str(error)) from None
    return {"status": "discarded"}


@router.post("/quarantine/{file_id}/release")
async def release_quarantined_file(
    file_id: int, decision: Decision, gateway: Gateway, officer: Officer
) -> dict[str, Any]:
    """Check the kept file again and apply it whole if it now passes (409 with every problem if it does not:
    nothing applied, still quarantined; 404 when no such file awaits an officer)."""
    try:
        outcome = await quarantine_tray.release(gateway, file_id, officer.recorded_as, decision.reason)
    except quarantine_tray.NotAwaitingAnOfficer as error:
        raise HTTPException(404, str(error)) from None
    except quarantine_tray.CannotRelease as error:
        raise HTTPException(409, {"reason": str(error), "problems": error.problems}) from None
    return asdict(outcome)


@router.get("/status")
async def status(gateway: Gateway, _reader: StatusReader) -> dict[str, Any]:
    """'alert' while a quarantined file or a refused referral awaits an officer, or urgent work waits; the
    counts behind it."""
    async with gateway.runtime.transaction(AgentsGatewayStores.on, gateway) as handling:
        counts = asdict(await handling.stores.status.status())
    alert = (
        counts["quarantined_unresolved"] > 0
        or counts["urgent_waiting"] > 0
        or counts["refused_awaiting_officer"] > 0
    )
    return {
        "status": "alert" if alert else "ok",
        **{
            key: (value.isoformat() if hasattr(value, "isoformat") else value)
            for key, value in counts.items()
        },
    }


@router.get("/placements/refused")
async def refused_placements_tray(
    gateway: Gateway, _reader: PlacementReader, limit: int = 100
) -> dict[str, Any]:
    """Referrals the gateway refused, waiting for an officer: the count, the oldest's age, and each with its
    reasons, hours waiting and the collection agencies that could lawfully take it."""
    return await refused_placements.refused_tray(gateway, limit)


class Redirection(BaseModel):
    """Where an officer sends a refused referral: the agent named, or (none named) the lawful collection agency
    with fewest open cases."""

    agent: str | None = Field(default=None, pattern=r"^[A-Z0-9_]{2,20}$")
    reason: str | None = Field(default=None, max_length=2000)


@router.post("/placements/{referral_id}/redirect")
async def redirect_refused_placement(
    referral_id: UUID, redirection: Redirection, gateway: Gateway, officer: Officer
) -> dict[str, str]:
    """Send a refused referral to an agent that may lawfully take it (404 when none waits; 409 when no agent
    may lawfully take it, with the reason)."""
    try:
        done = await refused_placements.redirect(
            gateway, referral_id, officer.recorded_as, redirection.agent, redirection.reason
        )
    except refused_placements.NotAwaitingAnOfficer as error:
        raise HTTPException(404, str(error)) from None
    except CannotRedirect as error:
        raise HTTPException(409, str(error)) from None
    return {"status": "awaiting_file", "agent": done.agent, "agency_kind": done.agency_kind}


class ReturnToRecovery(BaseModel):
    """Why an officer gives a refused referral back to recovery."""

    reason: str = Field(min_length=3, max_length=2000)


@router.post("/placements/{referral_id}/return-to-recovery")
async def return_refused_placement(
    referral_id: UUID, returned: ReturnToRecovery, gateway: Gateway, officer: Officer
) -> dict[str, str]:
    """Give a refused referral back to recovery, which takes its policy's next step (404 when none waits)."""
    try:
        await refused_placements.return_to_recovery(
            gateway, referral_id, officer.recorded_as, returned.reason
        )
    except refused_placements.NotAwaitingAnOfficer as error:
        raise HTTPException(404, str(error)) from None
    return {"status": "returned_to_recovery"}


def _return_request(request: ReturnRequestRow) -> dict[str, Any]:
    return {
        "referral_id": str(request.referral_id),
        "case_reference": request.case_reference,
        "agent": request.agent_code,
        "requested_on": request.requested_on.isoformat(),
        "reason": request.reason,
        "requested_by": request.requested_by,
        "requested_at": request.requested_at.isoformat(),
        "sent_to_agent": request.sent_file_id is not None,
        "placement_status": request.placement_status,
    }


@router.get("/placements")
async def placements_of_customer(
    customer_id: UUID, gateway: Gateway, _reader: PlacementReader, limit: int = 100
) -> list[dict[str, Any]]:
    """A customer's placements (every status, as each stands), newest referral first."""
    async with gateway.runtime.transaction(AgentsGatewayStores.on, gateway) as handling:
        found = await handling.stores.placements.of_customer(customer_id, limit)
    return [placement.model_dump(mode="json") for placement in found]


@router.get("/return-requests")
async def return_requests(
    gateway: Gateway, _reader: PlacementReader, limit: int = 100
) -> list[dict[str, Any]]:
    """Returns the council asked agents for, newest first: the case, the reason, the officer who asked, and
    whether the request has gone to the agent and where the placement stands."""
    async with gateway.runtime.transaction(AgentsGatewayStores.on, gateway) as handling:
        requests = await handling.stores.instructions.return_requests(limit=limit)
    return [_return_request(request) for request in requests]


@router.get("/placements/{referral_id}")
async def placement(referral_id: UUID, gateway: Gateway, _reader: PlacementReader) -> dict[str, Any]:
    """Where one placement stands, with the returns asked of its agent (and who asked)."""
    async with gateway.runtime.transaction(AgentsGatewayStores.on, gateway) as handling:
        found = await handling.stores.placements.get(referral_id)
        requests = await handling.stores.instructions.return_requests(referral_id) if found else []
    if found is None:
        raise HTTPException(404, "no such placement")
    return {**found.model_dump(mode="json"), "return_requests": [_return_request(r) for r in requests]}


class ReturnRequest(BaseModel):
    """An officer asks the agent to return a case."""

    reason: str = Field(min_length=3, max_length=2000)


@router.post("/placements/{referral_id}/return-request", status_code=202)
async def ask_for_return(
    referral_id: UUID, request: ReturnRequest, gateway: Gateway, officer: Officer
) -> dict[str, str]:
    """Queue a return request for the agent's next file, recording the officer who asked (their principal)."""
    async with gateway.runtime.transaction(AgentsGatewayStores.on, gateway) as handling:
        found = await handling.stores.placements.get(referral_id)
        if found is None:
            raise HTTPException(404, "no such placement")
        try:
            await request_return(handling, found, request.reason, officer.recorded_as)
        except NotWithAnAgent as error:
            raise HTTPException(409, str(error)) from None
    return {"status": "queued for the next file"}


@router.get("/reconciliation")
async def reconciliation(
    gateway: Gateway,
    _reader: Reader,
    as_of: date | None = None,
    after_days: int | None = None,
    posting_lag_days: int = 3,
) -> dict[str, Any]:
    """Unacknowledged placements, payments reported vs posted, and activity on recalled cases."""
    result = await reconcile(gateway, as_of or gateway.clock.today(), after_days, posting_lag_days)
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
