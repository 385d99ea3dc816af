"""Events published by the agents gateway from the files enforcement agents and collection agencies return."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import Field

from shared.contracts.envelope import Contract, contract


@contract("agents_gateway.placement.acknowledged", version=1)
class PlacementAcknowledged(Contract):
    """The agent accepted the case."""

    referral_id: UUID
    debt_id: UUID
    agent: str
    agent_reference: str
    acknowledged_on: date


@contract("agents_gateway.placement.rejected", version=1)
class PlacementRejected(Contract):
    """The agent refused the case, or an officer returned a case the gateway refused (`agent` is then the agent
    first chosen, or 'none'); recovery decides what next."""

    referral_id: UUID
    debt_id: UUID
    agent: str
    reason: str
    rejected_on: date


@contract("agents_gateway.placement.refused", version=1)
class PlacementRefused(Contract):
    """The gateway refused a referral before any file went: no agent of the kind asked for takes the debt type,
    or an enforcement agent may not lawfully take it (no liability order, warrant or county court judgment
    behind the debt). Never silent: the case waits in the officers' tray (`GET /placements/refused`) until an
    officer redirects it to a collection agency (`agents_gateway.placement.redirected`) or returns it to
    recovery (`agents_gateway.placement.rejected`, when recovery takes its next step). `lawful_alternatives`
    names the collection agencies that could take it."""

    referral_id: UUID
    case_id: UUID
    debt_id: UUID
    agency_kind: str
    agent: str = Field(description="the agent chosen and found unable to take it, or 'none'")
    reasons: list[str]
    lawful_alternatives: list[str] = Field(default_factory=list)
    refused_on: date


@contract("agents_gateway.placement.redirected", version=1)
class PlacementRedirected(Contract):
    """An officer sent a refused referral to an agent that may lawfully take it (a collection agency, "collection
    only", NELC 10): it goes with that agent's next placement file. `redirected_by` is who acted."""

    referral_id: UUID
    case_id: UUID
    debt_id: UUID
    agent: str
    agency_kind: str
    redirected_by: str
    redirected_on: date


@contract("agents_gateway.payment.collected", version=1)
class PaymentCollectedByAgent(Contract):
    """An agent collected money on a placed case; billing posts it (channel 'agent', the agent's reference is
    the channel reference, so the same collection reported twice is applied once)."""

    debt_id: UUID
    agent: str
    agent_payment_reference: str
    amount_pence: int
    collected_on: date


@contract("agents_gateway.fee.reported", version=1)
class FeeReported(Contract):
    """An agent reported a statutory fee. `accepted` is False when it is above the 2014 scale or fell inside a
    breathing space: flagged to the council, not accepted silently."""

    debt_id: UUID
    agent: str
    stage: str
    amount_pence: int
    charged_on: date
    accepted: bool
    findings: list[str]


@contract("agents_gateway.case.returned", version=1)
class CaseReturnedByAgent(Contract):
    """The agent returned the case: nulla bona, gone away, untraceable, deceased, insolvent."""

    referral_id: UUID | None
    debt_id: UUID
    agent: str
    reason: str
    returned_on: date
    notes: str | None = None


@contract("agents_gateway.vulnerability.referred", version=1)
class VulnerabilityReferred(Contract):
    """The agent found the debtor vulnerable and referred them back (Derby 7.9): recovery holds enforcement."""

    debt_id: UUID
    agent: str
    indicators: list[str]
    referred_on: date
    notes: str | None = None


@contract("agents_gateway.status.updated", version=1)
class AgentStatusUpdated(Contract):
    """The agent's stage for a case (compliance, enforcement, sale) or an arrangement made with the agent."""

    debt_id: UUID
    agent: str
    stage: str
    reported_on: date
    arrangement: str | None = None


@contract("agents_gateway.file.quarantined", version=1)
class AgentFileQuarantined(Contract):
    """An inbound file was refused whole (wrong key, bad signature, bad trailer, unknown case, invalid record);
    nothing in it was applied. An alert for the council; the agent gets a rejection file."""

    agent: str
    file_name: str
    file_sha256: str
    problems: list[str]
    quarantined_on: date


@contract("agents_gateway.breathing_space_hold.confirmed", version=1)
class AgentsGatewayConfirmedHold(Contract):
    """The gateway has sent the hold/recall to every agent holding a covered debt (or none holds one)."""

    moratorium_reference: str
    hold_version: int
    confirmed_debt_ids: list[UUID]
