"""The gateway's working day: holds and recalls sent at once, placement batches at each agent's hour, and each
agent's outbox polled on its schedule. Three background tasks of the service runtime, registered by bootstrap.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import datetime

import structlog

from services.agents_gateway import inbound_files, outbound_files
from services.agents_gateway.domain.agent_registry import Agent
from services.agents_gateway.domain.rejection_file import problems_for_the_agent
from services.agents_gateway.gateway_service import AgentsGateway
from services.agents_gateway.stores import AgentsGatewayStores
from shared.runtime import BackgroundTask, ServiceRuntime
from shared.working_days import is_working_day

log = structlog.get_logger("agents_gateway.schedule")


async def send_urgent_files(gateway: AgentsGateway) -> int:
    """Send every agent its waiting holds and recalls, each agent in a file of its own; files sent."""
    async with gateway.runtime.transaction(AgentsGatewayStores.on, gateway) as handling:
        codes = await handling.stores.instructions.agents_with_urgent_work()
    sent = 0
    for code in codes:
        try:
            agent = gateway.agents.agent(code)
            if await outbound_files.send_waiting_files(gateway, agent, urgent_only=True) is not None:
                sent += 1
        except Exception as error:  # one agent's server being down must not hold back the others
            log.warning("holds and recalls not sent yet", agent=code, reason=str(error))
    async with gateway.runtime.transaction(AgentsGatewayStores.on, gateway) as handling:
        await outbound_files.confirm_holds_sent(handling)
    return sent


async def send_owed_rejections(gateway: AgentsGateway) -> None:
    """Retry rejection files that could not be uploaded when their file was quarantined."""
    async with gateway.runtime.transaction(AgentsGatewayStores.on, gateway) as handling:
        owed = await handling.stores.received_files.rejections_owed()
    for file in owed:
        if not problems_for_the_agent(file.problems):
            continue
        try:
            await outbound_files.send_rejection_file(
                gateway, gateway.agents.agent(file.agent_code), file.file_id
            )
        except Exception as error:
            log.warning("rejection file not sent yet", agent=file.agent_code, reason=str(error))


async def batch_is_due(gateway: AgentsGateway, agent: Agent, now: datetime) -> bool:
    """True when the agent's daily placement and amendment batch time has passed and today's batch has not
    gone (on working days only, when the agent's schedule says so)."""
    if agent.schedule.working_days_only and not is_working_day(gateway.clock.today()):
        return False
    if now.time() < min(agent.schedule.placements_at, agent.schedule.amendments_at):
        return False
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    async with gateway.runtime.transaction(AgentsGatewayStores.on, gateway) as handling:
        return not await handling.stores.sent_files.batch_sent_since(agent.code, midnight)


async def _every(seconds: Callable[[], float], work: Callable[[], Awaitable[object]], what: str) -> None:
    while True:
        try:
            await work()
        except asyncio.CancelledError:
            raise
        except Exception as error:
            log.exception("background work failed; retrying", work=what, reason=str(error))
        await asyncio.sleep(seconds())


def background_work(gateway: AgentsGateway) -> list[BackgroundTask]:
    """The gateway's three background tasks, bound to this gateway: the urgent sender, the scheduled batches
    and the outbox poller."""
    settings = gateway.settings

    async def urgent_sender(runtime: ServiceRuntime) -> None:
        """Holds and recalls within a second of being recorded; owed rejection files every half minute."""
        # Load the registry (and, for development, generate its keys) now rather than inside the first handler.
        await asyncio.to_thread(lambda: gateway.agents.registry)
        last_rejections = 0.0

        async def once() -> None:
            nonlocal last_rejections
            await send_urgent_files(gateway)
            if time.monotonic() - last_rejections > 30:
                last_rejections = time.monotonic()
                await send_owed_rejections(gateway)

        await _every(lambda: settings.urgent_check_milliseconds / 1000, once, "urgent files")

    async def scheduled_batches(runtime: ServiceRuntime) -> None:
        """Each agent's daily file of placements and amendments, at its hour."""

        async def once() -> None:
            if not settings.send_on_schedule:
                return
            now = datetime.now().astimezone()
            for agent in gateway.agents.registry.agents:
                if await batch_is_due(gateway, agent, now):
                    try:
                        await outbound_files.send_waiting_files(gateway, agent, urgent_only=False)
                    except Exception as error:
                        log.warning("scheduled file not sent yet", agent=agent.code, reason=str(error))

        await _every(lambda: settings.schedule_check_seconds, once, "scheduled batches")

    async def outbox_poller(runtime: ServiceRuntime) -> None:
        """Poll each agent's outbox every `poll_outbox_every_minutes`."""
        last_polled: dict[str, float] = {}

        async def once() -> None:
            if not settings.poll_agents:
                return
            for agent in gateway.agents.registry.agents:
                due = last_polled.get(agent.code, 0.0) + agent.schedule.poll_outbox_every_minutes * 60
                if time.monotonic() < due:
                    continue
                last_polled[agent.code] = time.monotonic()
                try:
                    await inbound_files.poll_agent(gateway, agent)
                except Exception as error:
                    log.warning("agent outbox not polled", agent=agent.code, reason=str(error))

        await _every(lambda: 5, once, "outbox polling")

    return [urgent_sender, scheduled_batches, outbox_poller]
