"""Billing's commands: `council-debt billing aged-debt` and `council-debt billing council-tax-run`."""

from __future__ import annotations

import asyncio
import json
from datetime import date
from pathlib import Path

import typer

commands = typer.Typer(help="Billing: aged-debt report, annual council tax billing run", no_args_is_help=True)


@commands.command("aged-debt")
def aged_debt_command(
    as_of: str = typer.Option("", help="Report date YYYY-MM-DD (default: the business date)"),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON"),
) -> None:
    """Unpaid debt by age band (0-30, 31-60, 61-90, 91-120, over 120 days), debt type and originating service."""
    from services.billing import service  # first: it registers every handler module in order
    from services.billing.aged_debt_report import aged_debt, report_as_dict
    from shared.clock import clock
    from shared.money import format_pounds

    async def run():  # type: ignore[no-untyped-def]
        try:
            async with service.runtime.database.transaction() as session:
                return await aged_debt(session, date.fromisoformat(as_of) if as_of else clock.today())
        finally:
            await service.runtime.database.dispose()

    report = asyncio.run(run())
    if as_json:
        typer.echo(json.dumps(report_as_dict(report), indent=2))
        return
    bands = list(report.totals)
    typer.echo(f"Aged debt as of {report.as_of.isoformat()}")
    typer.echo(f"{'debt type':<30} {'service':<20} " + " ".join(f"{b.value:>14}" for b in bands))
    for row in report.rows:
        cells = " ".join(f"{format_pounds(row.bands[b]):>14}" for b in bands)
        typer.echo(f"{row.debt_type.value:<30} {row.originating_service[:20]:<20} {cells}")
    typer.echo(f"{'total':<51} " + " ".join(f"{format_pounds(report.totals[b]):>14}" for b in bands))


@commands.command("council-tax-run")
def council_tax_run_command(
    accounts_csv: Path = typer.Argument(..., exists=True, dir_okay=False, help="Accounts CSV"),
    financial_year: str = typer.Option(..., help="e.g. 2026/27"),
    chunk_size: int = typer.Option(5000, help="Accounts per transaction"),
) -> None:
    """The annual council tax billing run: raise every account's bill with its instalments, set-based."""
    from services.billing import service  # first: it registers every handler module in order
    from services.billing.annual_billing_run import billing_run_outcome_json, run_annual_billing
    from services.billing.domain.financial_year import FinancialYear

    label = FinancialYear.parse(financial_year).label

    async def run():  # type: ignore[no-untyped-def]
        try:
            with accounts_csv.open(newline="", encoding="utf-8-sig") as lines:
                return await run_annual_billing(service.runtime.database, lines, label, chunk_size=chunk_size)
        finally:
            await service.runtime.database.dispose()

    typer.echo(billing_run_outcome_json(asyncio.run(run())))
