"""Which debts are with an agent, heard from recovery (`recovery.case.referred`) and the agents gateway
(acknowledged, rejected, refused, returned): payments on a placed case go to the agent (Sundry 8.20), so the
council's own payments reach a placed debt only when they name it, and are then reported for the agent
(`payments.py`)."""

from __future__ import annotations

from services.billing.billing import Billing, BillingHandling
from services.billing.stores import BillingStores
from shared.contracts.agents_gateway import (
    CaseReturnedByAgent,
    PlacementAcknowledged,
    PlacementRefused,
    PlacementRejected,
)
from shared.contracts.recovery import CaseReferred
from shared.messaging.inbox_router import InboxRouter

router = InboxRouter[BillingStores, Billing]()


@router.handles(CaseReferred)
async def referred(message: CaseReferred, handling: BillingHandling) -> None:
    """Recovery referred the debt: from today payments on it go to the agent."""
    await handling.stores.placements.placed(
        message.referral_id, message.debt_id, message.referred_on, agency_kind=message.agency_kind
    )


@router.handles(PlacementAcknowledged)
async def acknowledged(message: PlacementAcknowledged, handling: BillingHandling) -> None:
    """The agent took the case: billing knows which agent holds it."""
    await handling.stores.placements.placed(
        message.referral_id, message.debt_id, message.acknowledged_on, agent=message.agent
    )


@router.handles(PlacementRejected)
async def rejected(message: PlacementRejected, handling: BillingHandling) -> None:
    """The agent refused the case (or an officer returned it to recovery): it is the council's again."""
    await handling.stores.placements.ended(
        message.referral_id,
        message.debt_id,
        message.rejected_on,
        f"rejected: {message.reason}",
        message.agent,
    )


@router.handles(PlacementRefused)
async def refused(message: PlacementRefused, handling: BillingHandling) -> None:
    """The gateway could not place it: no agent holds it."""
    await handling.stores.placements.ended(
        message.referral_id,
        message.debt_id,
        message.refused_on,
        "refused by the gateway: " + "; ".join(message.reasons),
    )


@router.handles(CaseReturnedByAgent)
async def returned(message: CaseReturnedByAgent, handling: BillingHandling) -> None:
    """The agent returned the case."""
    await handling.stores.placements.ended(
        message.referral_id,
        message.debt_id,
        message.returned_on,
        f"returned: {message.reason}",
        message.agent,
    )
