"""Billing's management information (services/billing/management_information/): the KPIs by month and year,
aged debt by directorate and service, the bad debt provision with the council's percentages per age band, and
the monthly budget-holder review with its decisions and 10-working-day deadlines; each report also as billing's
own CSV export. Read by revenues and senior officers and auditors; a decision recorded by a senior officer (or
the directorate's budget holder), billing taking who decided from the token."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.workbench.clients.calls import Download, ServiceClient

REPORTS = ("kpis", "aged-debt", "bad-debt-provision", "budget-holder-reviews")
"""Billing's management information reports, by the last part of their path."""


class ManagementInformationApi:
    """What the workbench asks billing's management information."""

    def __init__(self, client: ServiceClient) -> None:
        self.client = client

    async def kpis(self, *, financial_year: str | None = None, month: str | None = None) -> dict[str, Any]:
        """Each month of a financial year begun and the year (default: the current), or one month: the in-year
        council tax and business rates collection rates, HB overpayments not under arrangement and sundry debt
        older than three months."""
        found: dict[str, Any] = await self.client.get(
            "/management-information/kpis", financial_year=financial_year, month=month
        )
        return found

    async def aged_debt(self, as_of: str | None = None) -> dict[str, Any]:
        """Unpaid debt by directorate and debt type in age bands, as of a day (default: billing's today)."""
        found: dict[str, Any] = await self.client.get("/management-information/aged-debt", as_of=as_of)
        return found

    async def bad_debt_provision(self, as_of: str | None = None) -> dict[str, Any]:
        """The provision per debt type and age band, with the percentages it used."""
        found: dict[str, Any] = await self.client.get(
            "/management-information/bad-debt-provision", as_of=as_of
        )
        return found

    async def budget_holder_reviews(
        self,
        month: str | None = None,
        *,
        status: str | None = None,
        debt_id: UUID | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> dict[str, Any]:
        """The month's listing (default: this month), narrowed to a status or one debt, a page at a time: each
        debt with its budget holder, deadline, decision and status; how many matched (`total`) and the month's
        counts by status."""
        found: dict[str, Any] = await self.client.get(
            "/management-information/budget-holder-reviews",
            month=month,
            status=status,
            debt_id=str(debt_id) if debt_id else None,
            limit=limit,
            offset=offset or None,
        )
        return found

    async def list_for_review(self) -> dict[str, Any]:
        """List this business month's debts past the thresholds to their budget holders (once a month; a debt
        already listed keeps its entry): the month, how many are past the threshold and how many newly listed."""
        listed: dict[str, Any] = await self.client.post("/management-information/budget-holder-reviews")
        return listed

    async def record_decision(
        self, month: str, debt_id: UUID, decision: str, note: str | None
    ) -> dict[str, Any]:
        """Record the decision on a listed debt, once (billing records who decided from the token)."""
        recorded: dict[str, Any] = await self.client.post(
            f"/management-information/budget-holder-reviews/{month}/{debt_id}/decision",
            {"decision": decision, "note": note},
        )
        return recorded

    async def csv(self, report: str, **params: Any) -> Download:
        """One report as billing exports it in CSV, with billing's file name."""
        if report not in REPORTS:
            raise ValueError(f"billing has no management information report {report!r}")
        return await self.client.download(f"/management-information/{report}", format="csv", **params)
