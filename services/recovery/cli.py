"""Recovery's commands: `council-debt recovery check-policies`, `timetable`, `daily-run` and `daily-runs`."""

from __future__ import annotations

import asyncio
from datetime import date

import typer

commands = typer.Typer(help="Recovery: policy checks, timetables, the daily run", no_args_is_help=True)


@commands.command("check-policies")
def check_policies(
    directory: str = typer.Option(
        "", help="Policy directory (default: RECOVERY_POLICY_DIRECTORY or the shipped)"
    ),
) -> None:
    """Load and check every policy file as start-up does; exit 2 with `file:line: reason` if one is refused."""
    from services.recovery.domain.policy_loader import PolicyFileError, load_policy_directory
    from services.recovery.settings import RecoverySettings

    folder = directory or str(RecoverySettings().policy_directory)
    try:
        books = load_policy_directory(folder)
    except PolicyFileError as refusal:
        typer.echo(f"refused: {refusal}", err=True)
        raise typer.Exit(2) from None
    for council, book in sorted(books.items()):
        kinds = ", ".join(f"{p.debt_type.value}{'/' + p.group if p.group else ''}" for p in book.policies)
        typer.echo(f"{council}: {len(book.policies)} policies ({kinds})")


@commands.command("timetable")
def timetable(
    debt_type: str = typer.Argument(..., help="e.g. council_tax, sundry"),
    council: str = typer.Option("", help="Default: RECOVERY_COUNCIL"),
    group: str = typer.Option("", help="A special group, e.g. allotments"),
) -> None:
    """Print a policy's steps: when each falls due, its costs, and what it opens."""
    from services.recovery.domain.debt_types import DebtType
    from services.recovery.domain.policy_loader import load_policy_directory
    from services.recovery.settings import RecoverySettings
    from shared.money import format_pounds

    settings = RecoverySettings()
    book = load_policy_directory(settings.policy_directory)[council or settings.council]
    policy = book.policy_for(DebtType(debt_type), group or None)
    typer.echo(f"{book.council} {policy.debt_type.value}{' / ' + policy.group if policy.group else ''}")
    for step in policy.steps:
        anchor = step.trigger.anchor.value.replace("_", " ")
        costs = f", costs {format_pounds(step.costs)}" if step.costs else ""
        opens = f", opens {', '.join(o.value for o in step.opens)}" if step.opens else ""
        typer.echo(
            f"  {step.name} ({step.kind.value}): {step.trigger.days} {step.trigger.basis.value} days after "
            f"{anchor}{costs}{opens}"
        )


def _request_runs(days: list[date]) -> None:
    from services.recovery import service
    from shared.contracts.recovery import DailyRunRequested

    async def request() -> None:
        try:
            for day in days:
                await service.runtime.publish_now(DailyRunRequested(business_date=day))
        finally:
            await service.runtime.database.dispose()

    asyncio.run(request())


@commands.command("daily-run")
def daily_run(business_date: str = typer.Argument(..., help="YYYY-MM-DD")) -> None:
    """Request the daily run for a business date (through recovery's outbox, as the scheduler does)."""
    _request_runs([date.fromisoformat(business_date)])
    typer.echo(f"daily run requested for {business_date}")


@commands.command("daily-runs")
def daily_runs(first: str = typer.Argument(...), last: str = typer.Argument(...)) -> None:
    """Request the daily run for every date from `first` to `last` (a demo moving through the weeks)."""
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    days = [date.fromordinal(n) for n in range(start.toordinal(), end.toordinal() + 1)]
    _request_runs(days)
    typer.echo(f"{len(days)} daily runs requested, {first} to {last}")
