"""Recovery's commands: `council-debt recovery check-policies`, `timetable`, `daily-run`, `daily-runs`,
`holds-for-review`, `backfill-instalments`."""

from __future__ import annotations

from datetime import date

import typer

from shared import event_loop

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
    from services.recovery.bootstrap import bootstrap
    from shared.contracts.recovery import DailyRunRequested

    runtime = bootstrap().runtime

    async def request() -> None:
        try:
            for day in days:
                await runtime.publish_now(DailyRunRequested(business_date=day))
        finally:
            await runtime.database.dispose()

    event_loop.run(request())


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


@commands.command("request-due-daily-runs")
def request_due_daily_runs_now() -> None:
    """Request every daily run now due (working days, at RECOVERY_DAILY_RUN_AT, default 06:30 England) and not
    requested before, catching up missed ones in date order. Safe to run as often as wanted (a CronJob)."""
    from datetime import time

    from services.recovery.bootstrap import bootstrap
    from services.recovery.daily_run_schedule import DailyRunScheduleSettings, request_due_daily_runs
    from services.recovery.domain.daily_run_schedule import DailyRunSchedule

    service = bootstrap()
    settings = DailyRunScheduleSettings()
    schedule = DailyRunSchedule(settings.daily_run_at or time(6, 30), settings.daily_run_catch_up_days)

    async def request() -> list[date]:
        try:
            return await request_due_daily_runs(service, schedule, requested_by="request-due-daily-runs")
        finally:
            await service.runtime.database.dispose()

    days = event_loop.run(request())
    typer.echo(f"daily runs requested: {', '.join(d.isoformat() for d in days) or 'none due'}")


@commands.command("holds-for-review")
def holds_for_review(as_of: str = typer.Option("", help="YYYY-MM-DD (default: the business date)")) -> None:
    """Holds still in force whose review date has come (overdue disputes past their 30 days, manual holds,
    appeals, vulnerability): a hold stays until an officer lifts it, so these need someone to look."""
    from services.recovery.bootstrap import bootstrap
    from services.recovery.stores import RecoveryStores
    from services.recovery.stores.holds import HoldForReview
    from shared.clock import clock

    day = date.fromisoformat(as_of) if as_of else clock.today()
    service = bootstrap()

    async def fetch() -> list[HoldForReview]:
        try:
            async with service.runtime.transaction(RecoveryStores.on, service) as handling:
                return await handling.stores.holds.due_for_review(day)
        finally:
            await service.runtime.database.dispose()

    rows = event_loop.run(fetch())
    typer.echo(f"{len(rows)} holds due for review as of {day.isoformat()}")
    for row in rows:
        typer.echo(f"  {row.review_on} {row.kind:<36} case {row.case_id} ({row.authorised_by}): {row.reason}")


@commands.command("backfill-instalments")
def backfill_instalments_command(
    export: str = typer.Argument(
        ..., help="billing's schedule export (CSV): see services/recovery/instalment_backfill.py"
    ),
    as_of: str = typer.Option(
        "", help="YYYY-MM-DD the amounts paid were paid by (default: the business date)"
    ),
) -> None:
    """Give council tax and rates cases opened before recovery kept instalments their schedule, so the regulated
    path decides them; cases that already have instalments are left alone (safe to run again)."""
    from pathlib import Path

    from services.recovery.bootstrap import bootstrap
    from services.recovery.instalment_backfill import (
        BackfillResult,
        ScheduleExportError,
        backfill_instalments,
        read_schedule_export,
    )
    from shared.clock import clock

    try:
        rows = read_schedule_export(Path(export).read_text(encoding="utf-8-sig"))
    except ScheduleExportError as refusal:
        typer.echo(f"refused: {export}: {refusal}", err=True)
        raise typer.Exit(2) from None
    day = date.fromisoformat(as_of) if as_of else clock.today()
    service = bootstrap()

    async def backfill() -> BackfillResult:
        try:
            return await backfill_instalments(service, rows, day)
        finally:
            await service.runtime.database.dispose()

    result = event_loop.run(backfill())
    left = ", ".join(f"{why}: {n}" for why, n in result.skipped.items()) or "none"
    typer.echo(f"{result.backfilled} cases given their instalments; left as they were: {left}")


# -- letters (issue 16) -----------------------------------------------------------------------------------------
@commands.command("print-run")
def print_run_command(
    business_date: str = typer.Argument("", help="YYYY-MM-DD (default: the business date)"),
) -> None:
    """The day's print batch: render every letter issued up to the date and not yet printed, keep each PDF with
    its sha256, and write one file (PDFs, manifest.csv, totals.csv) to RECOVERY_LETTERS_PRINT_FOLDER, uploaded to
    the provider's SFTP server when RECOVERY_LETTERS_PRINT_DESTINATION=sftp (then that is where it says it went)."""
    from services.recovery.bootstrap import bootstrap
    from services.recovery.print_batch import PrintRunSummary, print_run
    from shared.clock import clock

    day = date.fromisoformat(business_date) if business_date else clock.today()
    service = bootstrap()

    async def run() -> PrintRunSummary:
        try:
            return await print_run(service, day)
        finally:
            await service.runtime.database.dispose()

    summary = event_loop.run(run())
    typer.echo(
        f"print run {service.council} {day}: {summary.printed} letters, {summary.pages} pages, "
        f"{summary.rendered} rendered; {summary.held_without_address} held without an address; "
        f"{summary.delivered()}"
    )


@commands.command("purge-letters")
def purge_letters_command(
    as_of: str = typer.Option("", help="YYYY-MM-DD (default: the business date)"),
) -> None:
    """Remove letters past the retention rule (RECOVERY_LETTERS_RETENTION_YEARS after the case's last recovery
    action, closed cases only), recording each removal."""
    from services.recovery.bootstrap import bootstrap
    from services.recovery.letter_retention import purge_letters
    from shared.clock import clock

    day = date.fromisoformat(as_of) if as_of else clock.today()
    service = bootstrap()

    async def run() -> int:
        try:
            return await purge_letters(service, day)
        finally:
            await service.runtime.database.dispose()

    typer.echo(f"{event_loop.run(run())} letters removed under the retention rule as of {day}")
