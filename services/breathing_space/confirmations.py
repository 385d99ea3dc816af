"""Confirmations from the services that apply a hold, and the watch for holds and matches left waiting.

Recovery, billing and the agents gateway each confirm every hold version they apply. A hold some service has
not confirmed within the configured window (`confirmation_window_seconds`), and a possible match no officer has
decided within `BREATHING_SPACE_PENDING_MATCH_ALERT_AFTER`, are raised as alerts: on the status page always,
and in the logs once each, by the background watch here.
"""

from __future__ import annotations

from datetime import UTC, datetime

import structlog

from services.breathing_space import status
from services.breathing_space.breathing_space_service import (
    BreathingSpace,
    BreathingSpaceHandling,
    breathing_space_router,
)
from services.breathing_space.rounds import in_rounds
from services.breathing_space.stores import BreathingSpaceStores
from shared.contracts.agents_gateway import AgentsGatewayConfirmedHold
from shared.contracts.billing import BillingConfirmedHold
from shared.contracts.recovery import RecoveryConfirmedHold

log = structlog.get_logger("breathing_space.confirmations")

router = breathing_space_router()


@router.handles(BillingConfirmedHold)
async def billing_confirmed(message: BillingConfirmedHold, handling: BreathingSpaceHandling) -> None:
    """Billing froze interest, fees and charges on the held debts."""
    await handling.stores.holds.record_confirmation(
        "billing", message.moratorium_reference, message.hold_version, message.confirmed_debt_ids
    )


@router.handles(RecoveryConfirmedHold)
async def recovery_confirmed(message: RecoveryConfirmedHold, handling: BreathingSpaceHandling) -> None:
    """Recovery held every covered case and recalled any referral."""
    await handling.stores.holds.record_confirmation(
        "recovery", message.moratorium_reference, message.hold_version, message.confirmed_debt_ids
    )


@router.handles(AgentsGatewayConfirmedHold)
async def agents_gateway_confirmed(
    message: AgentsGatewayConfirmedHold, handling: BreathingSpaceHandling
) -> None:
    """The agents gateway told every agent holding a covered debt."""
    await handling.stores.holds.record_confirmation(
        "agents_gateway", message.moratorium_reference, message.hold_version, message.confirmed_debt_ids
    )


async def raise_alerts_once(service: BreathingSpace) -> int:
    """Log each unconfirmed hold and each overdue possible match the first time it is seen; returns how many."""
    now = datetime.now(UTC)
    raised = 0
    async with service.runtime.transaction(BreathingSpaceStores.on, service) as handling:
        holds = handling.stores.holds
        for alert in await status.unconfirmed(handling, now):
            reference, version = alert.broadcast_id.rsplit("#", 1)
            if await holds.first_alert(reference, int(version)):
                raised += 1
                log.error(
                    "hold not confirmed in time",
                    moratorium_reference=reference,
                    hold_version=int(version),
                    change=alert.change.value,
                    awaiting=list(alert.awaiting),
                    waiting_seconds=int(alert.waiting_for.total_seconds()),
                )
        overdue = await handling.stores.matches.first_alerts_for_waiting(
            service.settings.pending_match_alert_after
        )
        for reference in overdue:
            raised += 1
            log.error("possible match waiting for an officer too long", moratorium_reference=reference)
    return raised


async def watch_for_unconfirmed_work(service: BreathingSpace) -> None:
    """Background task: check for unconfirmed holds and overdue matches every `confirmation_check_interval`."""
    await in_rounds(
        lambda: raise_alerts_once(service),
        service.settings.confirmation_check_interval,
        log,
        "could not check for unconfirmed holds",
    )
