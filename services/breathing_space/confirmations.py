"""Confirmations from the services that apply a hold, and the watch for holds and matches left waiting.

Recovery, billing and the agents gateway each confirm every hold version they apply. A hold some service has
not confirmed within the configured window (`confirmation_window_seconds`), and a possible match no officer has
decided within `BREATHING_SPACE_PENDING_MATCH_ALERT_AFTER`, are raised as alerts: on the status page always,
and in the logs once each, by the background watch here.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from uuid import UUID

import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.breathing_space import status
from services.breathing_space.service import configuration, runtime
from shared.contracts.agents_gateway import AgentsGatewayConfirmedHold
from shared.contracts.billing import BillingConfirmedHold
from shared.contracts.envelope import Envelope
from shared.contracts.recovery import RecoveryConfirmedHold
from shared.runtime import ServiceRuntime

log = structlog.get_logger("breathing_space.confirmations")


async def record_confirmation(
    session: AsyncSession, service: str, moratorium_reference: str, hold_version: int, debt_ids: list[UUID]
) -> None:
    """Note that `service` applied this hold version (a repeat keeps the first confirmation)."""
    await session.execute(
        text(
            "INSERT INTO hold_confirmation (moratorium_reference, hold_version, service, confirmed_debt_ids) "
            "VALUES (:r, :v, :s, CAST(:d AS uuid[])) ON CONFLICT DO NOTHING"
        ),
        {"r": moratorium_reference, "v": hold_version, "s": service, "d": [str(d) for d in debt_ids]},
    )


@runtime.inbox.handles(BillingConfirmedHold)
async def billing_confirmed(session: AsyncSession, message: BillingConfirmedHold, envelope: Envelope) -> None:
    """Billing froze interest, fees and charges on the held debts."""
    await record_confirmation(
        session, "billing", message.moratorium_reference, message.hold_version, message.confirmed_debt_ids
    )


@runtime.inbox.handles(RecoveryConfirmedHold)
async def recovery_confirmed(
    session: AsyncSession, message: RecoveryConfirmedHold, envelope: Envelope
) -> None:
    """Recovery held every covered case and recalled any referral."""
    await record_confirmation(
        session, "recovery", message.moratorium_reference, message.hold_version, message.confirmed_debt_ids
    )


@runtime.inbox.handles(AgentsGatewayConfirmedHold)
async def agents_gateway_confirmed(
    session: AsyncSession, message: AgentsGatewayConfirmedHold, envelope: Envelope
) -> None:
    """The agents gateway told every agent holding a covered debt."""
    await record_confirmation(
        session,
        "agents_gateway",
        message.moratorium_reference,
        message.hold_version,
        message.confirmed_debt_ids,
    )


async def raise_alerts_once() -> int:
    """Log each unconfirmed hold and each overdue possible match the first time it is seen; returns how many."""
    now = datetime.now(UTC)
    raised = 0
    async with runtime.database.transaction() as session:
        for alert in await status.unconfirmed(session, now):
            reference, version = alert.broadcast_id.rsplit("#", 1)
            first = await session.execute(
                text(
                    "UPDATE hold_broadcast SET alerted_at = now() WHERE moratorium_reference = :r "
                    "AND hold_version = :v AND alerted_at IS NULL RETURNING 1"
                ),
                {"r": reference, "v": int(version)},
            )
            if first.first() is not None:
                raised += 1
                log.error(
                    "hold not confirmed in time",
                    moratorium_reference=reference,
                    hold_version=int(version),
                    change=alert.change.value,
                    awaiting=list(alert.awaiting),
                    waiting_seconds=int(alert.waiting_for.total_seconds()),
                )
        overdue = await session.execute(
            text(
                "UPDATE pending_match SET alerted_at = now() WHERE decision IS NULL AND alerted_at IS NULL "
                "AND queued_at < now() - make_interval(secs => :age) RETURNING moratorium_reference"
            ),
            {"age": int(configuration.pending_match_alert_after.total_seconds())},
        )
        for (reference,) in overdue:
            raised += 1
            log.error("possible match waiting for an officer too long", moratorium_reference=reference)
    return raised


async def watch_for_unconfirmed_work(runtime: ServiceRuntime) -> None:
    """Background task: check for unconfirmed holds and overdue matches every `confirmation_check_interval`."""
    while True:
        try:
            await raise_alerts_once()
        except asyncio.CancelledError:
            raise
        except Exception as error:  # the database may be briefly away; the next round tries again
            log.warning("could not check for unconfirmed holds", reason=str(error))
        await asyncio.sleep(configuration.confirmation_check_interval.total_seconds())


runtime.background.append(watch_for_unconfirmed_work)
