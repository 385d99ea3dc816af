"""Billing's commands: `council-debt billing aged-debt`, `council-tax-run` and `payment-file`."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import typer

from shared import event_loop

if TYPE_CHECKING:
    from services.billing.billing import Billing

T = TypeVar("T")

commands = typer.Typer(
    help="Billing: aged-debt report, annual council tax billing run, payment files", no_args_is_help=True
)


def _with_billing(work: Callable[[Billing], Awaitable[T]]) -> T:
    """Run `work` against a billing service built for this command, closing its connections after."""
    from services.billing.bootstrap import bootstrap

    billing = bootstrap()

    async def run() -> T:
        try:
            return await work(billing)
        finally:
            await billing.runtime.database.dispose()

    return event_loop.run(run())


@commands.command("aged-debt")
def aged_debt_command(
    as_of: str = typer.Option("", help="Report date YYYY-MM-DD (default: the business date)"),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON"),
) -> None:
    """Unpaid debt by age band (0-30, 31-60, 61-90, 91-120, over 120 days), debt type and originating service."""
    from services.billing.aged_debt_report import aged_debt, report_as_dict
    from services.billing.domain.aged_debt import AgedDebtReport
    from services.billing.stores import BillingStores
    from shared.money import format_pounds

    async def report_on(billing: Billing) -> AgedDebtReport:
        async with billing.runtime.transaction(BillingStores.on, billing) as handling:
            on = date.fromisoformat(as_of) if as_of else billing.clock.today()
            return await aged_debt(handling.stores, on)

    report = _with_billing(report_on)
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
    chunk_size: int = typer.Option(1500, help="Accounts per transaction"),
) -> None:
    """The annual council tax billing run: raise every account's bill with its instalments, set-based."""
    from services.billing.annual_billing_run import (
        BillingRunOutcome,
        billing_run_outcome_json,
        run_annual_billing,
    )
    from services.billing.domain.financial_year import FinancialYear

    label = FinancialYear.parse(financial_year).label

    async def bill(billing: Billing) -> BillingRunOutcome:
        with accounts_csv.open(newline="", encoding="utf-8-sig") as lines:
            return await run_annual_billing(billing, lines, label, chunk_size=chunk_size)

    typer.echo(billing_run_outcome_json(_with_billing(bill)))


@commands.command("payment-file")
def payment_file_command(
    payments_csv: Path = typer.Argument(..., exists=True, dir_okay=False, help="Payment file (CSV)"),
    quarantine: Path = typer.Option(
        None,
        help="Where an unreadable file is moved with its report (default: a 'quarantine' folder beside it)",
    ),
    chunk_size: int = typer.Option(2000, help="Payments per transaction"),
) -> None:
    """Apply a payment file (direct debit collection, bank statement, PayPoint, cash office); an unreadable file is
    quarantined whole with a report and nothing is applied (exit code 2)."""
    from services.billing.domain.payment_file import read_payment_file
    from services.billing.payment_files import (
        PaymentFileOutcome,
        apply_payment_file,
        quarantine_payment_file,
        record_quarantined_file,
    )

    with payments_csv.open(newline="", encoding="utf-8-sig") as lines:
        read = read_payment_file(payments_csv.name, lines)
    if not read.readable:
        kept = quarantine_payment_file(payments_csv, read, quarantine or payments_csv.parent / "quarantine")

        async def keep_in_tray(billing: Billing) -> int:
            return await record_quarantined_file(billing, read, kept)

        _with_billing(keep_in_tray)  # the officers' tray: GET /payment-files/quarantined
        outcome = PaymentFileOutcome(read.name, read.payments, 0, 0, str(kept), tuple(read.problems))
        typer.echo(outcome.as_json())
        raise typer.Exit(2)

    async def apply(billing: Billing) -> PaymentFileOutcome:
        with payments_csv.open(newline="", encoding="utf-8-sig") as lines:
            return await apply_payment_file(billing, read, lines, chunk_size=chunk_size)

    typer.echo(_with_billing(apply).as_json())


def _include_management_information() -> None:
    from services.billing.management_information.commands import commands as management_information

    commands.add_typer(management_information, name="management-information")


_include_management_information()
