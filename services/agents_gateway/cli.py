"""`council-debt agents_gateway ...`: send or poll now, reconcile, and list quarantined files.

Commands work on the database and the agents' SFTP servers directly; events they cause are written to the
outbox and published by the running service's relay.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from datetime import date
from typing import TYPE_CHECKING, TypeVar

import typer

from shared import event_loop

commands = typer.Typer(help="Enforcement agents and collection agencies: files, quarantine, reconciliation.")

T = TypeVar("T")

if TYPE_CHECKING:  # the gateway is built when a command runs, not when the CLI is loaded
    from services.agents_gateway.gateway_service import AgentsGateway


def _run(work: Callable[[AgentsGateway], Awaitable[T]]) -> T:
    """Build the gateway from the environment, do the work with it, and close its connections."""
    from services.agents_gateway.bootstrap import bootstrap

    gateway = bootstrap()

    async def once() -> T:
        try:
            return await work(gateway)
        finally:
            await gateway.runtime.database.dispose()

    return event_loop.run(once())


@commands.command("send-now")
def send_now(agent: str = typer.Argument(..., help="The agent's code in the registry")) -> None:
    """Send the agent's waiting placements and instructions now."""
    from services.agents_gateway.outbound_files import send_waiting_files

    sent = _run(lambda gateway: send_waiting_files(gateway, gateway.agents.agent(agent), urgent_only=False))
    typer.echo(json.dumps(asdict(sent) if sent else {"sent": None}, indent=2))


@commands.command("poll-now")
def poll_now(agent: str = typer.Argument(..., help="The agent's code in the registry")) -> None:
    """Fetch and handle the agent's new return files now."""
    from services.agents_gateway.inbound_files import poll_agent

    outcomes = _run(lambda gateway: poll_agent(gateway, gateway.agents.agent(agent)))
    typer.echo(json.dumps([asdict(outcome) for outcome in outcomes], indent=2))


@commands.command("reconcile")
def reconcile(
    as_of: str = typer.Option(None, help="Business date, YYYY-MM-DD (default: today)"),
    after_days: int = typer.Option(None, help="Days allowed for acknowledgement (default: each agent's)"),
) -> None:
    """Unacknowledged placements, payments reported vs posted, activity on recalled cases."""
    from services.agents_gateway.reconciliation import reconcile as run_reconciliation
    from shared.clock import clock

    day = date.fromisoformat(as_of) if as_of else clock.today()
    result = _run(lambda gateway: run_reconciliation(gateway, day, after_days))
    typer.echo(f"as of {result.as_of}")
    typer.echo(f"placements unacknowledged: {len(result.unacknowledged)}")
    for placement in result.unacknowledged:
        typer.echo(f"  {placement.agent} {placement.case_reference} placed {placement.placed_on}")
    payments = result.payments
    typer.echo(
        f"payments: {len(payments.matched)} matched, {len(payments.reported_not_posted)} reported not posted, "
        f"{len(payments.posted_not_reported)} posted not reported, {len(payments.mismatched)} mismatched"
    )
    typer.echo(f"activity after recall: {len(result.activity_after_recall)}")
    for item in result.activity_after_recall:
        typer.echo(f"  {item.agent} {item.case_reference} {item.record_kind} on {item.occurred_on}")


@commands.command("quarantine")
def quarantine() -> None:
    """Quarantined files with every problem."""
    from services.agents_gateway.http import quarantine_report

    typer.echo(json.dumps(_run(quarantine_report), indent=2, default=str))
