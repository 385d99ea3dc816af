"""`council-debt writeoff ...`: write-off reports (by financial year and debt area, by reason, by band; CSV or
JSON). Passwords are the council's identity provider's business, not this service's."""

from __future__ import annotations

import typer

from services.writeoff.reporting import ReportFormat, ReportKind, render_report
from services.writeoff.stores.write_offs import WriteOffStore
from shared import event_loop

commands = typer.Typer(help="Write-off reports", no_args_is_help=True)


async def _report(kind: ReportKind, output: ReportFormat, council: str | None) -> str:
    from shared.persistence.database import ServiceDatabase
    from shared.settings import platform_settings

    database = ServiceDatabase(platform_settings().database_url, "writeoff", pool_size=1)
    try:
        async with database.transaction() as session:
            records = await WriteOffStore(session).records(council)
    finally:
        await database.dispose()
    return render_report(records, kind, output)


@commands.command()
def report(
    by: ReportKind = typer.Option(ReportKind.YEAR_AND_AREA, help="year-and-area, reason or band"),
    output: ReportFormat = typer.Option(ReportFormat.CSV, "--format", help="csv or json"),
    council: str | None = typer.Option(None, help="One council's write-offs (default: every council)"),
) -> None:
    """Totals written off (less amounts reinstated) by financial year and debt area, by reason or by band."""
    typer.echo(event_loop.run(_report(by, output, council)), nl=False)
