"""`council-debt billing management-information ...`: the KPIs, aged debt by directorate, the bad debt
provision and the monthly budget-holder review, as JSON (default) or CSV (`--csv`)."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Awaitable, Callable
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import typer

if TYPE_CHECKING:
    from services.billing.management_information.reports import ManagementInformation

T = TypeVar("T")

commands = typer.Typer(
    help="Management information: KPIs, aged debt by directorate, bad debt provision, budget-holder review",
    no_args_is_help=True,
)


def _with_mi(work: Callable[[ManagementInformation], Awaitable[T]]) -> T:
    from services.billing.cli import _with_billing
    from services.billing.management_information.reports import ManagementInformation
    from services.billing.management_information.settings import ManagementInformationSettings

    policy = ManagementInformationSettings().policy()
    return _with_billing(lambda billing: work(ManagementInformation(billing, policy)))


def _print(body: dict[str, Any], rows: list[dict[str, Any]], as_csv: bool) -> None:
    if not as_csv:
        typer.echo(json.dumps(body, indent=2))
        return
    if rows:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _day(text: str, mi: ManagementInformation) -> date:
    return date.fromisoformat(text) if text else mi.billing.clock.today()


@commands.command("kpis")
def kpis_command(
    financial_year: str = typer.Option("", help="e.g. 2026/27 (default: the current)"),
    month: str = typer.Option("", help="one month, e.g. 2026-05"),
    as_csv: bool = typer.Option(False, "--csv", help="Print CSV"),
) -> None:
    """Collection KPIs for a month, or each month of a financial year and the year."""
    from services.billing.domain.financial_year import FinancialYear, financial_year_of
    from services.billing.management_information import reports
    from services.billing.management_information.periods import parse_month

    async def read(mi: ManagementInformation) -> list[reports.PeriodKpis]:
        today = mi.billing.clock.today()
        year = FinancialYear.parse(financial_year) if financial_year else financial_year_of(today)
        periods = [parse_month(month)] if month else reports.periods_of_year(year, today)
        async with mi.transaction() as handling:
            return await reports.kpis_of(handling.stores.management_information, periods)

    rows = _with_mi(read)
    _print(reports.kpis_json(rows), reports.kpis_csv(rows), as_csv)


def _as_of_command(name: str, as_of: str, as_csv: bool) -> None:
    from services.billing.management_information.reports import report_as_of

    body, rows = _with_mi(lambda mi: report_as_of(mi, name, _day(as_of, mi)))
    _print(body, rows, as_csv)


@commands.command("aged-debt")
def aged_debt_command(
    as_of: str = typer.Option("", help="YYYY-MM-DD (default: the business date)"),
    as_csv: bool = typer.Option(False, "--csv", help="Print CSV"),
) -> None:
    """Unpaid debt by directorate, debt type and age band."""
    _as_of_command("aged-debt", as_of, as_csv)


@commands.command("bad-debt-provision")
def provision_command(
    as_of: str = typer.Option("", help="YYYY-MM-DD (default: the business date)"),
    as_csv: bool = typer.Option(False, "--csv", help="Print CSV"),
) -> None:
    """The bad debt provision by debt type and age band, with the council's percentages."""
    _as_of_command("bad-debt-provision", as_of, as_csv)


@commands.command("list-for-review")
def list_for_review_command() -> None:
    """List this month's debts over 90 and 120 days to their budget holders (run monthly; safe to rerun)."""
    from services.billing.management_information import reports

    async def list_month(mi: ManagementInformation) -> dict[str, Any]:
        async with mi.transaction() as handling:
            month, over, listed = await reports.list_month_for_review(
                handling.stores.management_information, mi.policy, mi.billing.clock.today()
            )
        return {"review_month": month.isoformat()[:7], "debts_over_threshold": over, "newly_listed": listed}

    typer.echo(json.dumps(_with_mi(list_month)))


@commands.command("reviews")
def reviews_command(
    month: str = typer.Option("", help="e.g. 2026-05 (default: this month)"),
    as_csv: bool = typer.Option(False, "--csv", help="Print CSV"),
) -> None:
    """The month's budget-holder review: each debt, its deadline, decision, who decided and its status."""
    from services.billing.management_information import reports
    from services.billing.management_information.periods import parse_month

    async def read(mi: ManagementInformation) -> dict[str, Any]:
        today = mi.billing.clock.today()
        review_month = parse_month(month).ends.replace(day=1) if month else today.replace(day=1)
        async with mi.transaction() as handling:
            entries = await handling.stores.management_information.reviews_of(review_month)
        return reports.reviews_json(entries, today)

    body = _with_mi(read)
    _print(body, body["reviews"], as_csv)
